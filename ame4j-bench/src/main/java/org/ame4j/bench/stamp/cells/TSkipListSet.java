package org.ame4j.bench.stamp.cells;

import org.ame4j.bench.stamp.cells.Stm.TRef;
import org.ame4jbench.plain.SkipListSet;

/** {@code org.ame4jbench.plain.SkipListSet} over cells: every forward link is a cell. */
public final class TSkipListSet implements TIntSet {
  static final int MAX_LEVEL = SkipListSet.MAX_LEVEL;

  private static final class Node {
    final int key;
    final TRef<Node>[] next;

    @SuppressWarnings("unchecked")
    Node(Stm stm, int key, int level) {
      this.key = key;
      next = new TRef[level];
      for (int i = 0; i < level; i++) {
        next[i] = stm.newRef(null);
      }
    }
  }

  private final Stm stm;
  private final Node head;

  public TSkipListSet(Stm stm) {
    this.stm = stm;
    head = new Node(stm, Integer.MIN_VALUE, MAX_LEVEL);
  }

  private Node findPreds(Object txn, int key, Node[] preds) {
    Node x = head;
    for (int i = MAX_LEVEL - 1; i >= 0; i--) {
      Node n = x.next[i].get(txn);
      while (n != null && n.key < key) {
        x = n;
        n = x.next[i].get(txn);
      }
      preds[i] = x;
    }
    return x;
  }

  @Override
  public boolean add(Object txn, int key, int level) {
    Node[] preds = new Node[MAX_LEVEL];
    Node n = findPreds(txn, key, preds).next[0].get(txn);
    if (n != null && n.key == key) {
      return false;
    }
    Node node = new Node(stm, key, level);
    for (int i = 0; i < level; i++) {
      node.next[i].set(txn, preds[i].next[i].get(txn));
      preds[i].next[i].set(txn, node);
    }
    return true;
  }

  @Override
  public boolean remove(Object txn, int key) {
    Node[] preds = new Node[MAX_LEVEL];
    Node n = findPreds(txn, key, preds).next[0].get(txn);
    if (n == null || n.key != key) {
      return false;
    }
    for (int i = 0; i < n.next.length; i++) {
      preds[i].next[i].set(txn, n.next[i].get(txn));
    }
    return true;
  }

  @Override
  public boolean contains(Object txn, int key) {
    Node x = head;
    for (int i = MAX_LEVEL - 1; i >= 0; i--) {
      Node n = x.next[i].get(txn);
      while (n != null && n.key < key) {
        x = n;
        n = x.next[i].get(txn);
      }
      if (n != null && n.key == key) {
        return true;
      }
    }
    return false;
  }

  @Override
  public int[] toArray() {
    java.util.ArrayList<Integer> keys = new java.util.ArrayList<>();
    for (Node c = head.next[0].peek(); c != null; c = c.next[0].peek()) {
      keys.add(c.key);
    }
    return keys.stream().mapToInt(Integer::intValue).toArray();
  }

  @Override
  public String check() {
    int last = Integer.MIN_VALUE;
    for (Node c = head.next[0].peek(); c != null; c = c.next[0].peek()) {
      if (c.key <= last) {
        return "level 0 not strictly ascending at key " + c.key;
      }
      last = c.key;
    }
    for (int i = 1; i < MAX_LEVEL; i++) {
      Node below = head.next[i - 1].peek();
      for (Node c = head.next[i].peek(); c != null; c = c.next[i].peek()) {
        if (c.next.length <= i) {
          return "key " + c.key + " linked at level " + i + " with height " + c.next.length;
        }
        while (below != null && below != c) {
          below = below.next[i - 1].peek();
        }
        if (below == null) {
          return "key " + c.key + " at level " + i + " missing from level " + (i - 1);
        }
      }
    }
    return null;
  }
}
