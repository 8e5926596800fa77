package org.ame4j.bench.stamp.cells;

import org.ame4j.bench.stamp.cells.Stm.TRef;

/** {@code org.ame4jbench.plain.LinkedListSet} over cells: each {@code next} link is a cell. */
public final class TLinkedListSet implements TIntSet {
  private static final class Node {
    final int key;
    final TRef<Node> next;

    Node(Stm stm, int key, Node next) {
      this.key = key;
      this.next = stm.newRef(next);
    }
  }

  private final Stm stm;
  private final Node head;

  public TLinkedListSet(Stm stm) {
    this.stm = stm;
    head = new Node(stm, Integer.MIN_VALUE, null);
  }

  @Override
  public boolean add(Object txn, int key, int level) {
    Node prev = head;
    Node cur = prev.next.get(txn);
    while (cur != null && cur.key < key) {
      prev = cur;
      cur = cur.next.get(txn);
    }
    if (cur != null && cur.key == key) {
      return false;
    }
    prev.next.set(txn, new Node(stm, key, cur));
    return true;
  }

  @Override
  public boolean remove(Object txn, int key) {
    Node prev = head;
    Node cur = prev.next.get(txn);
    while (cur != null && cur.key < key) {
      prev = cur;
      cur = cur.next.get(txn);
    }
    if (cur == null || cur.key != key) {
      return false;
    }
    prev.next.set(txn, cur.next.get(txn));
    return true;
  }

  @Override
  public boolean contains(Object txn, int key) {
    Node cur = head.next.get(txn);
    while (cur != null && cur.key < key) {
      cur = cur.next.get(txn);
    }
    return cur != null && cur.key == key;
  }

  @Override
  public int[] toArray() {
    java.util.ArrayList<Integer> keys = new java.util.ArrayList<>();
    for (Node c = head.next.peek(); c != null; c = c.next.peek()) {
      keys.add(c.key);
    }
    return keys.stream().mapToInt(Integer::intValue).toArray();
  }

  @Override
  public String check() {
    int last = Integer.MIN_VALUE;
    for (Node c = head.next.peek(); c != null; c = c.next.peek()) {
      if (c.key <= last) {
        return "list not strictly ascending at key " + c.key + " after " + last;
      }
      last = c.key;
    }
    return null;
  }
}
