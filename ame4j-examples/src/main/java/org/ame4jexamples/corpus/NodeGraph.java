package org.ame4jexamples.corpus;

import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;
import java.util.function.UnaryOperator;
import org.ame4j.TransactionQueue;

/**
 * Corpus program (d): an object graph mutated through interfaces and lambdas. Nodes carry a
 * value, a touch counter, a {@code next} pointer (all nodes form one ring) and a few fixed peers.
 * Each operation applies one {@link Rule} from a table built once: lambdas, method references
 * (static, unbound instance), rules composed with default and static interface methods, rules
 * that call {@code java.util.function} objects ({@link UnaryOperator}, {@link Consumer}, {@link
 * Predicate}, {@link ToLongFunction}, {@link BiConsumer}), a lambda created inside the operation,
 * and a rule that rewires the ring.
 *
 * <p>Invariants (kept by every rule, so by any serial order): the sum of the values is
 * conserved, {@code next} still forms a single ring through every node, and the touch counters
 * add up to the number of touches the operations make (each rule touches a fixed number of
 * nodes).
 */
public final class NodeGraph implements CorpusProgram {
  /** A node: plain mutable fields. */
  static final class Node {
    final int id;
    long value;
    int touches;
    Node next;
    Node[] peers;

    Node(int id, long value) {
      this.id = id;
      this.value = value;
    }

    void touch() {
      touches++;
    }
  }

  /** What an operation does to the node it starts at. */
  @FunctionalInterface
  interface Rule {
    void apply(Node n);

    /** This rule, then {@code after} on the same node. */
    default Rule then(Rule after) {
      return n -> {
        apply(n);
        after.apply(n);
      };
    }

    /** {@code rule} applied {@code times} times. */
    static Rule repeat(Rule rule, int times) {
      return n -> {
        for (int i = 0; i < times; i++) {
          rule.apply(n);
        }
      };
    }
  }

  /** How much value flows from one node to another. */
  @FunctionalInterface
  interface Flow {
    long amount(Node from, Node to);

    default Flow capped(long max) {
      return (from, to) -> Math.min(max, amount(from, to));
    }
  }

  static final int PEERS = 3;

  private final Node[] nodes;
  private final int[] start;
  private final int[] kind;
  private final long total;
  private final Rule[] rules;
  /** Nodes each rule touches, indexed like {@link #rules}. */
  private final int[] touchesOf;

  public NodeGraph(int operations, long seed) {
    int n = Math.max(8, operations / 50);
    SplittableRandom random = new SplittableRandom(seed);
    nodes = new Node[n];
    long sum = 0;
    for (int i = 0; i < n; i++) {
      nodes[i] = new Node(i, 100 + random.nextInt(900));
      sum += nodes[i].value;
    }
    total = sum;
    for (int i = 0; i < n; i++) {
      nodes[i].next = nodes[(i + 1) % n];
      nodes[i].peers = new Node[PEERS];
      for (int k = 0; k < PEERS; k++) {
        nodes[i].peers[k] = nodes[(i + 1 + random.nextInt(n - 1)) % n];
      }
    }

    Flow halfTheDifference = (from, to) -> Math.max(0, (from.value - to.value) / 2);
    Rule share = node -> move(node, node.peers[0], halfTheDifference.capped(50));
    Rule touch = Node::touch;
    UnaryOperator<Node> hop = node -> node.next;
    Consumer<Node> visit = Node::touch;
    Predicate<Node> rich = node -> node.value > 1_000;
    ToLongFunction<Node> tax = node -> node.value / 10;
    BiConsumer<Node, Node> pay = (a, b) -> {
      long t = tax.applyAsLong(a);
      a.value -= t;
      b.value += t;
    };
    rules = new Rule[] {
      share,                                   // 0: user lambda through a user interface
      NodeGraph::equalize,                     // 1: static method reference
      this::swapAhead,                         // 2: bound method reference, rewires the ring
      node -> {                                // 3: walks the ring through JDK interfaces
        Node at = node;
        for (int i = 0; i < 3; i++) {
          visit.accept(at);
          at = hop.apply(at);
        }
      },
      node -> {                                // 4: JDK Predicate / ToLongFunction / BiConsumer
        if (rich.test(node)) {
          pay.accept(node, node.next);
        }
        node.touch();
      },
      share.then(touch),                       // 5: default method composition, unbound ref
      Rule.repeat(this::swapAhead, 2),         // 6: static interface method
      node -> {                                // 7: a lambda created inside the operation
        long limit = node.touches % 7 + 1;
        Flow upTo = (from, to) -> Math.min(limit, from.value);
        move(node, node.peers[PEERS - 1], upTo);
      },
    };
    touchesOf = new int[] {2, 1 + PEERS, 1, 3, 1, 3, 2, 2};

    start = new int[operations];
    kind = new int[operations];
    for (int i = 0; i < operations; i++) {
      start[i] = random.nextInt(n);
      kind[i] = random.nextInt(rules.length);
    }
  }

  /** The loop body: one rule at one node. */
  void operation(int i) {
    rules[kind[i]].apply(nodes[start[i]]);
  }

  private static void move(Node from, Node to, Flow flow) {
    long amount = flow.amount(from, to);
    from.value -= amount;
    to.value += amount;
    from.touch();
    to.touch();
  }

  /** Averages the node with each of its peers in turn (the sum of each pair is kept). */
  private static void equalize(Node node) {
    for (Node peer : node.peers) {
      long pair = node.value + peer.value;
      node.value = pair / 2;
      peer.value = pair - pair / 2;
      peer.touch();
    }
    node.touch();
  }

  /** a → b → c → d becomes a → c → b → d: the ring stays one ring. */
  private void swapAhead(Node a) {
    Node b = a.next;
    Node c = b.next;
    Node d = c.next;
    if (b != a && c != a && d != a && d != b) {
      a.next = c;
      c.next = b;
      b.next = d;
    }
    a.touch();
  }

  @Override
  public void runSequential() {
    for (int i = 0; i < start.length; i++) {
      operation(i);
    }
  }

  @Override
  public void runTasks(TransactionQueue q, int workers) {
    CorpusProgram.runLoop(q, workers, start.length, 1, this::operation);
  }

  @Override
  public void runChunkedTasks(TransactionQueue q, int workers, int chunk) {
    CorpusProgram.runLoop(q, workers, start.length, chunk, this::operation);
  }

  @Override
  public String fingerprint() {
    Digest d = new Digest();
    for (Node node : nodes) {
      d.add(node.value).add(node.touches).add(node.next.id);
    }
    return d.toString();
  }

  @Override
  public String check() {
    long sum = 0;
    long touches = 0;
    for (Node node : nodes) {
      sum += node.value;
      touches += node.touches;
    }
    if (sum != total) {
      return "sum of values " + sum + " instead of " + total;
    }
    long expected = 0;
    for (int k : kind) {
      expected += touchesOf[k];
    }
    if (touches != expected) {
      return touches + " touches counted, the operations made " + expected;
    }
    boolean[] seen = new boolean[nodes.length];
    Node at = nodes[0];
    for (int i = 0; i < nodes.length; i++) {
      if (at == null || seen[at.id]) {
        return "the ring is broken after " + i + " of " + nodes.length + " nodes";
      }
      seen[at.id] = true;
      at = at.next;
    }
    if (at != nodes[0]) {
      return "the ring does not close after " + nodes.length + " nodes";
    }
    return null;
  }

  @Override
  public String summary() {
    return "nodes=" + nodes.length + " rules=" + rules.length;
  }
}
