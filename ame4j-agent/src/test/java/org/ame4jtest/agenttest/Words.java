package org.ame4jtest.agenttest;

/**
 * Classes in each position toward the objects' own ownership word (issue 14): a class extending
 * Object (it gets the word), its subclass (inherits it), a subclass of an uninstrumented JDK class
 * (striped table), a record, an enum, an interface (left as they are); and tasks over them.
 */
public class Words {
  public static class Node {
    public int id;
    public int failed;
    public int count;
    public Node next;

    public Node(int id) {
      this.id = id;
    }
  }

  public static class SubNode extends Node {
    public long extra;

    public SubNode(int id) {
      super(id);
    }
  }

  /** Its superclass is a JDK class the agent does not rewrite: its fields use the striped table. */
  public static class OverJdk extends Number {
    public int count;

    @Override
    public int intValue() {
      return count;
    }

    @Override
    public long longValue() {
      return count;
    }

    @Override
    public float floatValue() {
      return count;
    }

    @Override
    public double doubleValue() {
      return count;
    }
  }

  public record Rec(int a) {}

  public enum Color { RED, GREEN }

  public interface Marker {}

  public static Node head = new Node(0);
  public static SubNode sub = new SubNode(0);
  public static OverJdk jdk = new OverJdk();

  public static void reset() {
    head = new Node(0);
    sub = new SubNode(0);
    jdk = new OverJdk();
  }

  /** One task: bumps three counters held in the three kinds of object, plainly and blindly. */
  public static void bump(int k) {
    head.count = head.count + k;
    sub.count++;
    sub.extra += k;
    jdk.count = jdk.count + 1;
  }

  public static String counters() {
    return head.count + " " + sub.count + " " + sub.extra + " " + jdk.count;
  }

  /** Publishes a new node at the head; when {@code fail}, marks it and throws (rolled back). */
  public static void publish(int id, boolean fail) {
    Node n = fail ? new SubNode(id) : new Node(id);
    n.failed = fail ? 1 : 0;
    n.next = head.next;
    head.next = n;
    if (fail) {
      throw new IllegalStateException("rolled back after publishing " + id);
    }
  }

  /** Walks the published nodes: how many of them were marked failed (must be none). */
  public static int walkFailed() {
    int failed = 0;
    for (Node n = head.next; n != null; n = n.next) {
      failed += n.failed;
    }
    return failed;
  }

  public static int length() {
    int length = 0;
    for (Node n = head.next; n != null; n = n.next) {
      length++;
    }
    return length;
  }

  /** Builds a node, then writes and reads it again (born owned: no record involved). */
  public static int buildAndSum(int n) {
    Node first = null;
    for (int i = 0; i < n; i++) {
      Node x = new Node(i);
      x.count = i * 2;
      x.next = first;
      first = x;
    }
    int sum = 0;
    for (Node x = first; x != null; x = x.next) {
      sum += x.count;
    }
    return sum;
  }

  public static String shapes() {
    return new Rec(3).a() + " " + Color.GREEN.ordinal();
  }
}
