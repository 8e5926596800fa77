package org.ame4jbench.plain;

/**
 * Fixed-size chained hash set (Synchrobench's "hash set"): {@code buckets} unsorted chains, a
 * new key pushed at the front of its chain; load factor 1 at the initial size, no resizing (a
 * resize would be one huge transaction, which no variant of the benchmark does).
 */
public final class ChainedHashSet implements IntSet {
  static final class Node {
    final int key;
    Node next;

    Node(int key, Node next) {
      this.key = key;
      this.next = next;
    }
  }

  private final Node[] table;

  public ChainedHashSet(int buckets) {
    table = new Node[buckets];
  }

  private int bucket(int key) {
    return key % table.length;
  }

  @Override
  public boolean add(int key, int level) {
    int b = bucket(key);
    Node first = table[b];
    for (Node c = first; c != null; c = c.next) {
      if (c.key == key) {
        return false;
      }
    }
    table[b] = new Node(key, first);
    return true;
  }

  @Override
  public boolean remove(int key) {
    int b = bucket(key);
    Node prev = null;
    for (Node c = table[b]; c != null; prev = c, c = c.next) {
      if (c.key == key) {
        if (prev == null) {
          table[b] = c.next;
        } else {
          prev.next = c.next;
        }
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean contains(int key) {
    for (Node c = table[bucket(key)]; c != null; c = c.next) {
      if (c.key == key) {
        return true;
      }
    }
    return false;
  }

  @Override
  public int[] toArray() {
    int n = 0;
    int[] out = new int[16];
    for (Node first : table) {
      for (Node c = first; c != null; c = c.next) {
        if (n == out.length) {
          out = java.util.Arrays.copyOf(out, n * 2);
        }
        out[n++] = c.key;
      }
    }
    int[] keys = IntSet.trim(out, n);
    java.util.Arrays.sort(keys);
    return keys;
  }

  @Override
  public String check() {
    for (int b = 0; b < table.length; b++) {
      java.util.BitSet seen = new java.util.BitSet();
      for (Node c = table[b]; c != null; c = c.next) {
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
