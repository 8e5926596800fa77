package org.ame4j.bench.stamp.cells;

import org.ame4j.bench.stamp.cells.Stm.TRef;

/** {@code org.ame4jbench.plain.ChainedHashSet} over cells: each bucket head and link a cell. */
public final class TChainedHashSet implements TIntSet {
  private static final class Node {
    final int key;
    final TRef<Node> next;

    Node(Stm stm, int key, Node next) {
      this.key = key;
      this.next = stm.newRef(next);
    }
  }

  private final Stm stm;
  private final TRef<Node>[] table;

  @SuppressWarnings("unchecked")
  public TChainedHashSet(Stm stm, int buckets) {
    this.stm = stm;
    table = new TRef[buckets];
    for (int i = 0; i < buckets; i++) {
      table[i] = stm.newRef(null);
    }
  }

  private int bucket(int key) {
    return key % table.length;
  }

  @Override
  public boolean add(Object txn, int key, int level) {
    TRef<Node> b = table[bucket(key)];
    Node first = b.get(txn);
    for (Node c = first; c != null; c = c.next.get(txn)) {
      if (c.key == key) {
        return false;
      }
    }
    b.set(txn, new Node(stm, key, first));
    return true;
  }

  @Override
  public boolean remove(Object txn, int key) {
    TRef<Node> b = table[bucket(key)];
    Node prev = null;
    for (Node c = b.get(txn); c != null; prev = c, c = c.next.get(txn)) {
      if (c.key == key) {
        Node next = c.next.get(txn);
        if (prev == null) {
          b.set(txn, next);
        } else {
          prev.next.set(txn, next);
        }
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean contains(Object txn, int key) {
    for (Node c = table[bucket(key)].get(txn); c != null; c = c.next.get(txn)) {
      if (c.key == key) {
        return true;
      }
    }
    return false;
  }

  @Override
  public int[] toArray() {
    java.util.ArrayList<Integer> keys = new java.util.ArrayList<>();
    for (TRef<Node> b : table) {
      for (Node c = b.peek(); c != null; c = c.next.peek()) {
        keys.add(c.key);
      }
    }
    return keys.stream().mapToInt(Integer::intValue).sorted().toArray();
  }

  @Override
  public String check() {
    for (int b = 0; b < table.length; b++) {
      java.util.BitSet seen = new java.util.BitSet();
      for (Node c = table[b].peek(); c != null; c = c.next.peek()) {
        if (bucket(c.key) != b) {
          return "key " + c.key + " in bucket " + b;
        }
        if (seen.get(c.key)) {
          return "key " + c.key + " twice in bucket " + b;
        }
        seen.set(c.key);
      }
    }
    return null;
  }
}
