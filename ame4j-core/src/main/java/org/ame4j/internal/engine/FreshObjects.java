package org.ame4j.internal.engine;

import java.util.Arrays;

/**
 * Objects allocated by the running attempt (capture analysis, Dragojević et al. 2009; Deuce's
 * "LICM" measured 2.6–7× on STAMP). Nobody else can reach them before the attempt commits, so
 * their fields need neither locking nor logging; if the attempt aborts they are garbage.
 *
 * <p>An identity hash set with linear probing. Bounded: past {@link #MAX} objects it stops
 * recording, which only means later objects are tracked like any other (never unsafe).
 */
final class FreshObjects {
  private static final int MAX = 1 << 15;
  private Object[] table = new Object[0];
  private int count;

  void add(Object o) {
    if (table.length == 0) {
      table = new Object[256];
    } else if (count * 2 >= table.length) {
      if (table.length >= MAX * 2) {
        return;
      }
      rehash(table.length * 2);
    }
    if (insert(table, o)) {
      count++;
    }
  }

  boolean contains(Object o) {
    if (count == 0) {
      return false;
    }
    Object[] t = table;
    int mask = t.length - 1;
    for (int i = spread(o) & mask; ; i = (i + 1) & mask) {
      Object e = t[i];
      if (e == o) {
        return true;
      }
      if (e == null) {
        return false;
      }
    }
  }

  void clear() {
    if (count > 0) {
      if (table.length > 4096) {
        table = new Object[0];
      } else {
        Arrays.fill(table, null);
      }
      count = 0;
    }
  }

  private void rehash(int capacity) {
    Object[] next = new Object[capacity];
    for (Object e : table) {
      if (e != null) {
        insert(next, e);
      }
    }
    table = next;
  }

  /** False if {@code o} was there already (a constructor chain records its object once per level). */
  private static boolean insert(Object[] t, Object o) {
    int mask = t.length - 1;
    int i = spread(o) & mask;
    while (t[i] != null) {
      if (t[i] == o) {
        return false;
      }
      i = (i + 1) & mask;
    }
    t[i] = o;
    return true;
  }

  private static int spread(Object o) {
    int h = System.identityHashCode(o) * 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}
