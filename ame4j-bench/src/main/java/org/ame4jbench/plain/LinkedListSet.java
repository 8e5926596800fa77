package org.ame4jbench.plain;

/**
 * Sorted singly linked list with a head sentinel (Synchrobench's "linked list" integer set):
 * every operation walks from the head, so one operation reads O(n) nodes and an update writes one
 * {@code next} link. No size counter: a shared counter would make every update conflict.
 */
public final class LinkedListSet implements IntSet {
  static final class Node {
    final int key;
    Node next;

    Node(int key, Node next) {
      this.key = key;
      this.next = next;
    }
  }

  private final Node head = new Node(Integer.MIN_VALUE, null);

  @Override
  public boolean add(int key, int level) {
    Node prev = head;
    Node cur = prev.next;
    while (cur != null && cur.key < key) {
      prev = cur;
      cur = cur.next;
    }
    if (cur != null && cur.key == key) {
      return false;
    }
    prev.next = new Node(key, cur);
    return true;
  }

  @Override
  public boolean remove(int key) {
    Node prev = head;
    Node cur = prev.next;
    while (cur != null && cur.key < key) {
      prev = cur;
      cur = cur.next;
    }
    if (cur == null || cur.key != key) {
      return false;
    }
    prev.next = cur.next;
    return true;
  }

  @Override
  public boolean contains(int key) {
    Node cur = head.next;
    while (cur != null && cur.key < key) {
      cur = cur.next;
    }
    return cur != null && cur.key == key;
  }

  @Override
  public int[] toArray() {
    int n = 0;
    int[] out = new int[16];
    for (Node c = head.next; c != null; c = c.next) {
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
    for (Node c = head.next; c != null; c = c.next) {
      if (c.key <= last) {
        return "list not strictly ascending at key " + c.key + " after " + last;
      }
      last = c.key;
    }
    return null;
  }
}
