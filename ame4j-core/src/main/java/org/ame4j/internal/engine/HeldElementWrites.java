package org.ame4j.internal.engine;

import java.util.Arrays;

/**
 * Element stores held until commit (issue 14, session 12): a per-attempt redo log of
 * {@code (array, index, new value)} for elements of written stripes, whose words are locked only
 * when the attempt commits ({@link #lockAll}), after its body has run, and whose values reach
 * the arrays only after the commit has validated its reads ({@link #storeAll}), under those
 * locks. Why: a locked compare-and-set at the store site makes every cache miss the task has in
 * flight wait for it (x86 orders earlier loads before a locked instruction), and a graph walk's
 * tasks are a few random loads around a few stores; at commit the loads are done.
 *
 * <p><b>Own reads.</b> The attempt's own later access to an element it holds here (a read, or a
 * store that locks at the site) must see the held value, but generated code loads the element
 * itself. So every such access of a written stripe first asks {@link Txn#heldFilter} (one bit
 * per word slot, never a false negative); on a hit, {@link #apply} takes the word's lock now and
 * moves every held store of that word into the array as an encounter-time write (the old value
 * in the undo log), and the access then finds the word locked by its own attempt, as before.
 *
 * <p><b>What it does not cover</b> (the caller's conditions, {@link ElementBarriers#defer}): the
 * attempt is top level (a nested block or a joined task's rollback undoes the undo log to a mark,
 * so held stores are applied before such a mark is taken: {@link #applyAll}), logged,
 * optimistic and not pausing commits; the array's stripe is written and ready and the attempt
 * does not read it unchecked. With the conflict report on (session 15,
 * {@link Diagnostics#HELD_WRITES}) each entry keeps the site of its store, and the word's lock,
 * taken later, names that line (as {@link BlindUpdates}' adds do): the first held store of the
 * word when {@link #apply} takes it, each store's own line at {@link #lockAll}.
 * Everything else locks at the site, as before. Stores to one element are kept in program order
 * and stored in that order.
 */
final class HeldElementWrites {
  Object[] arrays = new Object[16];
  int[] indexes = new int[16];
  long[] bits = new long[16];
  /** The stripe and word slot of each entry (what {@link #apply} matches). */
  int[] stripes = new int[16];
  int[] slots = new int[16];
  /** The site of each store ({@link Diagnostics#ON}), which names its lock. */
  private int[] sites = Diagnostics.ON ? new int[16] : null;
  int size;

  /** The filter bit of word slot {@code k} of stripe {@code s}. */
  static long bit(int s, int k) {
    return 1L << (k ^ s);
  }

  void add(Object array, int i, long valueBits, int s, int k, Txn tx) {
    int n = size;
    if (n == arrays.length) {
      grow();
    }
    arrays[n] = array;
    indexes[n] = i;
    bits[n] = valueBits;
    stripes[n] = s;
    slots[n] = k;
    if (Diagnostics.ON) {
      sites[n] = tx.diag.site();
    }
    size = n + 1;
  }

  private void grow() {
    int capacity = arrays.length * 2;
    arrays = Arrays.copyOf(arrays, capacity);
    indexes = Arrays.copyOf(indexes, capacity);
    bits = Arrays.copyOf(bits, capacity);
    stripes = Arrays.copyOf(stripes, capacity);
    slots = Arrays.copyOf(slots, capacity);
    if (Diagnostics.ON) {
      sites = Arrays.copyOf(sites, capacity);
    }
  }

  /**
   * Moves the held stores of word slot {@code k} of stripe {@code s} into their arrays: the word
   * locked for {@code tx} (which may wait, abort or restart, as any lock), each old value logged,
   * each value stored, in program order; the entries leave this log. Nothing if none is held
   * (the filter's false positive).
   */
  void apply(int s, int k, Txn tx) {
    int kept = 0;
    boolean locked = false;
    for (int e = 0, n = size; e < n; e++) {
      if (stripes[e] != s || slots[e] != k) {
        move(e, kept++);
        continue;
      }
      if (!locked) {
        lock(e, tx);
        locked = true;
      }
      Object a = arrays[e];
      int i = indexes[e];
      ElementBarriers.logOld(a, i, loadBits(a, i), tx);
      Values.storeElement(a, i, null, bits[e]);
    }
    truncate(kept);
  }

  /** Applies every held store ({@link #apply}), before a rollback mark is taken. */
  void applyAll(Txn tx) {
    while (size > 0) {
      apply(stripes[0], slots[0], tx);
    }
  }

  /** Locks the word of every held store for {@code tx} (commit, before the stamp). */
  void lockAll(Txn tx) {
    for (int e = 0, n = size; e < n; e++) {
      lock(e, tx);
    }
  }

  /** Takes the word lock of entry {@code e} for {@code tx}, named by the entry's store (report on). */
  private void lock(int e, Txn tx) {
    ArrayRecords r = ArrayStripes.records(stripes[e]);
    if (!Diagnostics.ON) {
      tx.acquireElement(r, r.words(), slots[e]);
      return;
    }
    int site = tx.diag.site;
    // The lock names the store's line, not the access's or the commit's; so does an abort while
    // taking it (no finally: the report reads the site after the signal unwound).
    tx.diag.site = sites[e];
    tx.acquireElement(r, r.words(), slots[e]);
    tx.diag.site = site;
  }

  /** Stores every held value in program order (commit, validated, under the locks). */
  void storeAll() {
    for (int e = 0, n = size; e < n; e++) {
      Values.storeElement(arrays[e], indexes[e], null, bits[e]);
    }
  }

  void clear() {
    truncate(0);
  }

  private void move(int from, int to) {
    if (from != to) {
      arrays[to] = arrays[from];
      indexes[to] = indexes[from];
      bits[to] = bits[from];
      stripes[to] = stripes[from];
      slots[to] = slots[from];
      if (Diagnostics.ON) {
        sites[to] = sites[from];
      }
    }
  }

  private void truncate(int n) {
    Object[] a = arrays;
    for (int e = n, end = size; e < end; e++) {
      a[e] = null;
    }
    size = n;
  }

  /** The bits of primitive element {@code i} of {@code array} (as {@link UndoLog} keeps them). */
  static long loadBits(Object array, int i) {
    if (array instanceof int[] a) return a[i];
    if (array instanceof boolean[] a) return a[i] ? 1L : 0L;
    if (array instanceof long[] a) return a[i];
    if (array instanceof double[] a) return Double.doubleToRawLongBits(a[i]);
    if (array instanceof float[] a) return Float.floatToRawIntBits(a[i]);
    if (array instanceof byte[] a) return a[i];
    if (array instanceof short[] a) return a[i];
    if (array instanceof char[] a) return a[i];
    throw new AssertionError(array.getClass());
  }
}
