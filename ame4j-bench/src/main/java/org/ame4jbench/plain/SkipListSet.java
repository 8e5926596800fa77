package org.ame4jbench.plain;

/**
 * Pugh's skip list (CACM 1990; Synchrobench's "skip list" integer set): a head tower of
 * {@link #MAX_LEVEL} links, each key a tower of {@code level} forward links whose height the
 * caller draws (geometric, p = 1/2). A search walks down from the top level; an update writes the
 * links of the predecessors at each level of the new or removed tower.
 */
public final class SkipListSet implements IntSet {
  public static final int MAX_LEVEL = 16;

  static final class Node {
    final int key;
    final Node[] next;

    Node(int key, int level) {
      this.key = key;
      this.next = new Node[level];
    }
  }

  private final Node head = new Node(Integer.MIN_VALUE, MAX_LEVEL);

  /** Fills {@code preds} with the last node before {@code key} at every level; returns level 0's. */
  private Node findPreds(int key, Node[] preds) {
    Node x = head;
    for (int i = MAX_LEVEL - 1; i >= 0; i--) {
      Node n = x.next[i];
      while (n != null && n.key < key) {
        x = n;
        n = x.next[i];
      }
      preds[i] = x;
    }
    return x;
  }

  @Override
  public boolean add(int key, int level) {
    Node[] preds = new Node[MAX_LEVEL];
    Node n = findPreds(key, preds).next[0];
    if (n != null && n.key == key) {
      return false;
    }
    Node node = new Node(key, level);
    for (int i = 0; i < level; i++) {
      node.next[i] = preds[i].next[i];
      preds[i].next[i] = node;
    }
    return true;
  }

  @Override
  public boolean remove(int key) {
    Node[] preds = new Node[MAX_LEVEL];
    Node n = findPreds(key, preds).next[0];
    if (n == null || n.key != key) {
      return false;
    }
    for (int i = 0; i < n.next.length; i++) {
      preds[i].next[i] = n.next[i];
    }
    return true;
  }

  @Override
  public boolean contains(int key) {
    Node x = head;
    for (int i = MAX_LEVEL - 1; i >= 0; i--) {
      Node n = x.next[i];
      while (n != null && n.key < key) {
        x = n;
        n = x.next[i];
      }
      if (n != null && n.key == key) {
        return true;
      }
    }
    return false;
  }

  @Override
  public int[] toArray() {
    int n = 0;
    int[] out = new int[16];
    for (Node c = head.next[0]; c != null; c = c.next[0]) {
      if (n == out.length) {
        out = java.util.Arrays.copyOf(out, n * 2);
      }
      out[n++] = c.key;
    }
    return IntSet.trim(out, n);
  }

  @Override
  public String check() {
    int last = Integer.MIN_VALUE;
    for (Node c = head.next[0]; c != null; c = c.next[0]) {
      if (c.key <= last) {
        return "level 0 not strictly ascending at key " + c.key;
      }
      last = c.key;
    }
    // every level is a sublist of the level below, in order
    for (int i = 1; i < MAX_LEVEL; i++) {
      Node below = head.next[i - 1];
      for (Node c = head.next[i]; c != null; c = c.next[i]) {
        if (c.next.length <= i) {
          return "key " + c.key + " linked at level " + i + " with height " + c.next.length;
        }
        while (below != null && below != c) {
          below = below.next[i - 1];
        }
        if (below == null) {
          return "key " + c.key + " at level " + i + " missing from level " + (i - 1);
        }
      }
    }
    return null;
  }
}
