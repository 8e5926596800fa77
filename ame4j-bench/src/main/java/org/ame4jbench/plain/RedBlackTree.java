package org.ame4jbench.plain;

/**
 * A red-black tree map from {@code int} keys to values, with parent links and no sentinel
 * (Cormen et al., "Introduction to Algorithms", ch. 13; the structure of STAMP's {@code rbtree}
 * and of Synchrobench's red-black tree set). Used as the integer set and as vacation's tables.
 *
 * <p>Written for transactions as much as for speed: no size counter, and every store of a
 * colour or link that may already hold the value is conditional ({@code if (n.red) n.red =
 * false}), so a transaction does not write the root's colour on every insert. Under an STM such a
 * silent store would still lock the location and conflict with every other operation.
 */
public final class RedBlackTree<V> implements IntSet {
  static final class Node<V> {
    int key;
    V value;
    Node<V> left;
    Node<V> right;
    Node<V> parent;
    boolean red = true;

    Node(int key, V value, Node<V> parent) {
      this.key = key;
      this.value = value;
      this.parent = parent;
    }
  }

  private Node<V> root;

  public V get(int key) {
    Node<V> n = find(key);
    return n == null ? null : n.value;
  }

  private Node<V> find(int key) {
    Node<V> x = root;
    while (x != null) {
      if (key < x.key) {
        x = x.left;
      } else if (key > x.key) {
        x = x.right;
      } else {
        return x;
      }
    }
    return null;
  }

  /** Inserts if absent: true if inserted, false (and nothing changed) if the key was present. */
  public boolean insert(int key, V value) {
    Node<V> y = null;
    Node<V> x = root;
    while (x != null) {
      y = x;
      if (key < x.key) {
        x = x.left;
      } else if (key > x.key) {
        x = x.right;
      } else {
        return false;
      }
    }
    Node<V> z = new Node<>(key, value, y);
    if (y == null) {
      root = z;
    } else if (key < y.key) {
      y.left = z;
    } else {
      y.right = z;
    }
    insertFixup(z);
    return true;
  }

  private void insertFixup(Node<V> z) {
    while (z != root && z.parent.red) {
      Node<V> p = z.parent;
      Node<V> g = p.parent; // p is red, so it is not the root
      if (p == g.left) {
        Node<V> u = g.right;
        if (u != null && u.red) {
          p.red = false;
          u.red = false;
          g.red = true;
          z = g;
        } else {
          if (z == p.right) {
            z = p;
            rotateLeft(z);
            p = z.parent;
          }
          p.red = false;
          g.red = true;
          rotateRight(g);
        }
      } else {
        Node<V> u = g.left;
        if (u != null && u.red) {
          p.red = false;
          u.red = false;
          g.red = true;
          z = g;
        } else {
          if (z == p.left) {
            z = p;
            rotateRight(z);
            p = z.parent;
          }
          p.red = false;
          g.red = true;
          rotateLeft(g);
        }
      }
    }
    if (root.red) {
      root.red = false;
    }
  }

  private void rotateLeft(Node<V> x) {
    Node<V> y = x.right;
    Node<V> b = y.left;
    x.right = b;
    if (b != null) {
      b.parent = x;
    }
    Node<V> p = x.parent;
    y.parent = p;
    if (p == null) {
      root = y;
    } else if (x == p.left) {
      p.left = y;
    } else {
      p.right = y;
    }
    y.left = x;
    x.parent = y;
  }

  private void rotateRight(Node<V> x) {
    Node<V> y = x.left;
    Node<V> b = y.right;
    x.left = b;
    if (b != null) {
      b.parent = x;
    }
    Node<V> p = x.parent;
    y.parent = p;
    if (p == null) {
      root = y;
    } else if (x == p.right) {
      p.right = y;
    } else {
      p.left = y;
    }
    y.right = x;
    x.parent = y;
  }

  /** Removes the key: true if it was present. */
  public boolean delete(int key) {
    Node<V> z = find(key);
    if (z == null) {
      return false;
    }
    if (z.left != null && z.right != null) {
      Node<V> s = z.right;
      while (s.left != null) {
        s = s.left;
      }
      z.key = s.key; // move the successor's entry here, then unlink the successor
      z.value = s.value;
      z = s;
    }
    Node<V> child = z.left != null ? z.left : z.right;
    Node<V> p = z.parent;
    if (child != null) {
      child.parent = p;
      if (p == null) {
        root = child;
      } else if (z == p.left) {
        p.left = child;
      } else {
        p.right = child;
      }
      if (!z.red) {
        deleteFixup(child);
      }
    } else if (p == null) {
      root = null;
    } else {
      if (!z.red) {
        deleteFixup(z); // z stands in for the missing leaf while the tree is repaired
      }
      p = z.parent;
      if (z == p.left) {
        p.left = null;
      } else {
        p.right = null;
      }
    }
    return true;
  }

  private static boolean isRed(Node<?> n) {
    return n != null && n.red;
  }

  private void deleteFixup(Node<V> x) {
    while (x != root && !x.red) {
      Node<V> p = x.parent;
      if (x == p.left) {
        Node<V> w = p.right;
        if (w.red) {
          w.red = false;
          p.red = true;
          rotateLeft(p);
          w = p.right;
        }
        if (!isRed(w.left) && !isRed(w.right)) {
          w.red = true;
          x = p;
        } else {
          if (!isRed(w.right)) {
            w.left.red = false;
            w.red = true;
            rotateRight(w);
            w = p.right;
          }
          if (p.red) { // w is black here: it takes p's colour
            w.red = true;
            p.red = false;
          }
          w.right.red = false;
          rotateLeft(p);
          x = root;
        }
      } else {
        Node<V> w = p.left;
        if (w.red) {
          w.red = false;
          p.red = true;
          rotateRight(p);
          w = p.left;
        }
        if (!isRed(w.left) && !isRed(w.right)) {
          w.red = true;
          x = p;
        } else {
          if (!isRed(w.left)) {
            w.right.red = false;
            w.red = true;
            rotateLeft(w);
            w = p.left;
          }
          if (p.red) { // w is black here: it takes p's colour
            w.red = true;
            p.red = false;
          }
          w.left.red = false;
          rotateRight(p);
          x = root;
        }
      }
    }
    if (x.red) {
      x.red = false;
    }
  }

  @Override
  public boolean add(int key, int level) {
    return insert(key, null);
  }

  @Override
  public boolean remove(int key) {
    return delete(key);
  }

  @Override
  public boolean contains(int key) {
    return find(key) != null;
  }

  /** Number of entries, by traversal (quiescent state only). */
  public int size() {
    return toArray().length;
  }

  @Override
  public int[] toArray() {
    int[] out = new int[16];
    int n = 0;
    Node<V> x = root;
    java.util.ArrayDeque<Node<V>> stack = new java.util.ArrayDeque<>();
    while (x != null || !stack.isEmpty()) {
      while (x != null) {
        stack.push(x);
        x = x.left;
      }
      x = stack.pop();
      if (n == out.length) {
        out = java.util.Arrays.copyOf(out, n * 2);
      }
      out[n++] = x.key;
      x = x.right;
    }
    return IntSet.trim(out, n);
  }

  /** Visits every entry in key order (quiescent state only). */
  public void forEach(java.util.function.BiConsumer<Integer, V> action) {
    Node<V> x = root;
    java.util.ArrayDeque<Node<V>> stack = new java.util.ArrayDeque<>();
    while (x != null || !stack.isEmpty()) {
      while (x != null) {
        stack.push(x);
        x = x.left;
      }
      x = stack.pop();
      action.accept(x.key, x.value);
      x = x.right;
    }
  }

  @Override
  public String check() {
    if (root == null) {
      return null;
    }
    if (root.red) {
      return "red root";
    }
    if (root.parent != null) {
      return "root has a parent";
    }
    String[] error = new String[1];
    blackHeight(root, Long.MIN_VALUE, Long.MAX_VALUE, error);
    return error[0];
  }

  /** Black height of the subtree, checking order, parent links and colours; -1 on error. */
  private static int blackHeight(Node<?> n, long lo, long hi, String[] error) {
    if (n == null) {
      return 1;
    }
    if (n.key <= lo || n.key >= hi) {
      error[0] = "key " + n.key + " out of order";
      return -1;
    }
    for (Node<?> c : new Node<?>[] {n.left, n.right}) {
      if (c != null && c.parent != n) {
        error[0] = "wrong parent link under key " + n.key;
        return -1;
      }
      if (c != null && n.red && c.red) {
        error[0] = "red node " + c.key + " under red node " + n.key;
        return -1;
      }
    }
    int l = blackHeight(n.left, lo, n.key, error);
    int r = blackHeight(n.right, n.key, hi, error);
    if (l < 0 || r < 0) {
      return -1;
    }
    if (l != r) {
      error[0] = "black heights " + l + " != " + r + " under key " + n.key;
      return -1;
    }
    return l + (n.red ? 0 : 1);
  }
}
