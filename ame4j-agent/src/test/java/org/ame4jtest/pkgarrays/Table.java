package org.ame4jtest.pkgarrays;

import java.util.Arrays;

/**
 * A fixture for the package scope of fresh-array fields ({@code FreshArrayFieldsPackageTest}):
 * package-private array fields as the java.base patch meets them ({@code HashMap.table}), stored
 * by this class and by other classes of its package ({@link Filler}, {@link Spoiler}).
 */
public class Table {
  /** Only ever new arrays or copies, here and in {@link Filler}. */
  Object[] slots;
  /** New arrays here, a caller's array in {@link Spoiler}. */
  int[] counts = new int[4];
  /** Protected: a subclass in any package may store it, so never a candidate. */
  protected long[] marks = new long[2];

  void grow() {
    slots = slots == null ? new Object[4] : Arrays.copyOf(slots, slots.length * 2);
    counts = Arrays.copyOf(counts, counts.length * 2);
  }
}
