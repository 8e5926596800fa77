package org.ame4j.bench.stamp.cells;

import org.ame4j.bench.stamp.cells.Stm.TInt;
import org.ame4j.bench.stamp.cells.Stm.TRef;

/**
 * {@code org.ame4jbench.plain.RedBlackTree} over cells, line for line: key, value, colour and
 * the three links of every node are cells, the root is a cell, and the same stores are
 * conditional. Every method takes the running transaction's handle.
 */
public final class TRedBlackTree<V> implements TIntSet {
  private static final class Node<V> {
    final TInt key;
    final TRef<V> value;
    final TRef<Node<V>> left;
    final TRef<Node<V>> right;
    final TRef<Node<V>> parent;
    final TInt red; // 1 red, 0 black

    Node(Stm stm, int key, V value, Node<V> parent) {
      this.key = stm.newInt(key);
      this.value = stm.newRef(value);
      this.left = stm.newRef(null);
      this.right = stm.newRef(null);
      this.parent = stm.newRef(parent);
      this.red = stm.newInt(1);
    }
  }

  private final Stm stm;
  private final TRef<Node<V>> root;

  public TRedBlackTree(Stm stm) {
    this.stm = stm;
    root = stm.newRef(null);
  }

  private static boolean isRed(Object t, Node<?> n) {
    return n != null && n.red.get(t) == 1;
  }

  private static void paint(Object t, Node<?> n, boolean red) {
    n.red.set(t, red ? 1 : 0);
  }

  public V get(Object t, int key) {
    Node<V> n = find(t, key);
    return n == null ? null : n.value.get(t);
  }

  private Node<V> find(Object t, int key) {
    Node<V> x = root.get(t);
    while (x != null) {
      int k = x.key.get(t);
      if (key < k) {
        x = x.left.get(t);
      } else if (key > k) {
        x = x.right.get(t);
      } else {
        return x;
      }
    }
    return null;
  }

  public boolean insert(Object t, int key, V value) {
    Node<V> y = null;
    Node<V> x = root.get(t);
    int yk = 0;
    while (x != null) {
      y = x;
      yk = x.key.get(t);
      if (key < yk) {
        x = x.left.get(t);
      } else if (key > yk) {
        x = x.right.get(t);
      } else {
        return false;
      }
    }
    Node<V> z = new Node<>(stm, key, value, y);
    if (y == null) {
      root.set(t, z);
    } else if (key < yk) {
      y.left.set(t, z);
    } else {
      y.right.set(t, z);
    }
    insertFixup(t, z);
    return true;
  }

  private void insertFixup(Object t, Node<V> z) {
    while (z != root.get(t) && isRed(t, z.parent.get(t))) {
      Node<V> p = z.parent.get(t);
      Node<V> g = p.parent.get(t);
      if (p == g.left.get(t)) {
        Node<V> u = g.right.get(t);
        if (isRed(t, u)) {
          paint(t, p, false);
          paint(t, u, false);
          paint(t, g, true);
          z = g;
        } else {
          if (z == p.right.get(t)) {
            z = p;
            rotateLeft(t, z);
            p = z.parent.get(t);
          }
          paint(t, p, false);
          paint(t, g, true);
          rotateRight(t, g);
        }
      } else {
        Node<V> u = g.left.get(t);
        if (isRed(t, u)) {
          paint(t, p, false);
          paint(t, u, false);
          paint(t, g, true);
          z = g;
        } else {
          if (z == p.left.get(t)) {
            z = p;
            rotateRight(t, z);
            p = z.parent.get(t);
          }
          paint(t, p, false);
          paint(t, g, true);
          rotateLeft(t, g);
        }
      }
    }
    Node<V> r = root.get(t);
    if (isRed(t, r)) {
      paint(t, r, false);
    }
  }

  private void rotateLeft(Object t, Node<V> x) {
    Node<V> y = x.right.get(t);
    Node<V> b = y.left.get(t);
    x.right.set(t, b);
    if (b != null) {
      b.parent.set(t, x);
    }
    Node<V> p = x.parent.get(t);
    y.parent.set(t, p);
    if (p == null) {
      root.set(t, y);
    } else if (x == p.left.get(t)) {
      p.left.set(t, y);
    } else {
      p.right.set(t, y);
    }
    y.left.set(t, x);
    x.parent.set(t, y);
  }

  private void rotateRight(Object t, Node<V> x) {
    Node<V> y = x.left.get(t);
    Node<V> b = y.right.get(t);
    x.left.set(t, b);
    if (b != null) {
      b.parent.set(t, x);
    }
    Node<V> p = x.parent.get(t);
    y.parent.set(t, p);
    if (p == null) {
      root.set(t, y);
    } else if (x == p.right.get(t)) {
      p.right.set(t, y);
    } else {
      p.left.set(t, y);
    }
    y.right.set(t, x);
    x.parent.set(t, y);
  }

  public boolean delete(Object t, int key) {
    Node<V> z = find(t, key);
    if (z == null) {
      return false;
    }
    if (z.left.get(t) != null && z.right.get(t) != null) {
      Node<V> s = z.right.get(t);
      for (Node<V> l = s.left.get(t); l != null; l = s.left.get(t)) {
        s = l;
      }
      z.key.set(t, s.key.get(t));
      z.value.set(t, s.value.get(t));
      z = s;
    }
    Node<V> zl = z.left.get(t);
    Node<V> child = zl != null ? zl : z.right.get(t);
    Node<V> p = z.parent.get(t);
    if (child != null) {
      child.parent.set(t, p);
      if (p == null) {
        root.set(t, child);
      } else if (z == p.left.get(t)) {
        p.left.set(t, child);
      } else {
        p.right.set(t, child);
      }
      if (!isRed(t, z)) {
        deleteFixup(t, child);
      }
    } else if (p == null) {
      root.set(t, null);
    } else {
      if (!isRed(t, z)) {
        deleteFixup(t, z);
      }
      p = z.parent.get(t);
      if (z == p.left.get(t)) {
        p.left.set(t, null);
      } else {
        p.right.set(t, null);
      }
    }
    return true;
  }

  private void deleteFixup(Object t, Node<V> x) {
    while (x != root.get(t) && !isRed(t, x)) {
      Node<V> p = x.parent.get(t);
      if (x == p.left.get(t)) {
        Node<V> w = p.right.get(t);
        if (isRed(t, w)) {
          paint(t, w, false);
          paint(t, p, true);
          rotateLeft(t, p);
          w = p.right.get(t);
        }
        if (!isRed(t, w.left.get(t)) && !isRed(t, w.right.get(t))) {
          paint(t, w, true);
          x = p;
        } else {
          if (!isRed(t, w.right.get(t))) {
            paint(t, w.left.get(t), false);
            paint(t, w, true);
            rotateRight(t, w);
            w = p.right.get(t);
          }
          if (isRed(t, p)) {
            paint(t, w, true);
            paint(t, p, false);
          }
          paint(t, w.right.get(t), false);
          rotateLeft(t, p);
          x = root.get(t);
        }
      } else {
        Node<V> w = p.left.get(t);
        if (isRed(t, w)) {
          paint(t, w, false);
          paint(t, p, true);
          rotateRight(t, p);
          w = p.left.get(t);
        }
        if (!isRed(t, w.left.get(t)) && !isRed(t, w.right.get(t))) {
          paint(t, w, true);
          x = p;
        } else {
          if (!isRed(t, w.left.get(t))) {
            paint(t, w.right.get(t), false);
            paint(t, w, true);
            rotateLeft(t, w);
            w = p.left.get(t);
          }
          if (isRed(t, p)) {
            paint(t, w, true);
            paint(t, p, false);
          }
          paint(t, w.left.get(t), false);
          rotateRight(t, p);
          x = root.get(t);
        }
      }
    }
    if (isRed(t, x)) {
      paint(t, x, false);
    }
  }

  @Override
  public boolean add(Object txn, int key, int level) {
    return insert(txn, key, null);
  }

  @Override
  public boolean remove(Object txn, int key) {
    return delete(txn, key);
  }

  @Override
  public boolean contains(Object txn, int key) {
    return find(txn, key) != null;
  }

  /** Visits every entry in key order (quiescent state only). */
  public void forEach(java.util.function.BiConsumer<Integer, V> action) {
    java.util.ArrayDeque<Node<V>> stack = new java.util.ArrayDeque<>();
    Node<V> x = root.peek();
    while (x != null || !stack.isEmpty()) {
      while (x != null) {
        stack.push(x);
        x = x.left.peek();
      }
      x = stack.pop();
      action.accept(x.key.peek(), x.value.peek());
      x = x.right.peek();
    }
  }

  @Override
  public int[] toArray() {
    java.util.ArrayList<Integer> keys = new java.util.ArrayList<>();
    forEach((k, v) -> keys.add(k));
    return keys.stream().mapToInt(Integer::intValue).toArray();
  }

  @Override
  public String check() {
    Node<V> r = root.peek();
    if (r == null) {
      return null;
    }
    if (r.red.peek() == 1) {
      return "red root";
    }
    if (r.parent.peek() != null) {
      return "root has a parent";
    }
    String[] error = new String[1];
    blackHeight(r, Long.MIN_VALUE, Long.MAX_VALUE, error);
    return error[0];
  }

  private static int blackHeight(Node<?> n, long lo, long hi, String[] error) {
    if (n == null) {
      return 1;
    }
    int k = n.key.peek();
    if (k <= lo || k >= hi) {
      error[0] = "key " + k + " out of order";
      return -1;
    }
    boolean red = n.red.peek() == 1;
    for (Node<?> c : java.util.List.of(java.util.Optional.ofNullable(n.left.peek()),
        java.util.Optional.ofNullable(n.right.peek())).stream().flatMap(java.util.Optional::stream)
        .toList()) {
      if (c.parent.peek() != n) {
        error[0] = "wrong parent link under key " + k;
        return -1;
      }
      if (red && c.red.peek() == 1) {
        error[0] = "red node under red node " + k;
        return -1;
      }
    }
    int l = blackHeight(n.left.peek(), lo, k, error);
    int r = blackHeight(n.right.peek(), k, hi, error);
    if (l < 0 || r < 0) {
      return -1;
    }
    if (l != r) {
      error[0] = "black heights " + l + " != " + r + " under key " + k;
      return -1;
    }
    return l + (red ? 0 : 1);
  }
}
