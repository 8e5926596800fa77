package org.ame4j.internal.engine;

import java.util.Arrays;

/**
 * The ownership records a transaction has locked (encounter-time locking).
 *
 * <p>An entry is appended <em>before</em> the compare-and-set that takes the lock, and release
 * only touches words that really hold the owner's lock value. So an asynchronous error (a
 * {@link StackOverflowError} or {@link OutOfMemoryError} thrown between the two steps) can never
 * leave a lock behind, and never releases somebody else's.
 */
final class LockSet extends LinePadding {
  TxCell[] cells = new TxCell[32];
  int[] indexes = new int[32];
  int size;

  /** True once a cell or an object (not a table word) was locked since the last release. */
  private boolean hasCells;
  /** Attempts that stored references into {@code cells} since it was allocated. */
  private int cellUses;

  void add(TxCell cell, int index) {
    hasCells |= cell != null;
    int n = size;
    if (n == indexes.length) {
      cells = Arrays.copyOf(cells, n * 2);
      indexes = Arrays.copyOf(indexes, n * 2);
    }
    cells[n] = cell;
    indexes[n] = index;
    size = n + 1;
  }

  /** Undoes the last {@link #add} after a failed compare-and-set. */
  void dropLast() {
    cells[--size] = null;
  }

  /**
   * Releases every lock held by {@code ownLock}, stamping the words with {@code version}.
   *
   * <p>Each unlock is a release store ({@code setRelease}), and must stay one: a reader that
   * loads the new word with acquire semantics ({@code FieldBarriers.beforeRead},
   * {@code Txn.openRead}) must then see every data write made under the lock, the committed
   * values on commit and the restored ones on rollback (the seqlock writer's closing store;
   * release and acquire as {@link java.lang.invoke.VarHandle}'s access modes define them). Both
   * callers happen to run a {@code getAndAdd} on the clock just before, a full fence on HotSpot
   * today, but nothing here may rest on that: a caller that stamps without ticking the clock, or
   * a JIT free to sink the data stores past a plain store, would publish the word ahead of the
   * data. A plain or opaque store here is a bug; {@code RecordStoresTest} rejects one anywhere in
   * the engine.
   */
  void releaseAll(long ownLock, long version) {
    long word = Orecs.unlocked(version);
    TxCell[] c = cells;
    int[] x = indexes;
    for (int i = 0, n = size; i < n; i++) {
      TxCell cell = c[i];
      int index = x[i];
      if (cell != null) {
        c[i] = null; // drop the reference here rather than in a second pass
        if (index >= 0) { // an element word of an array's records
          long[] words = ((ArrayRecords) cell).words();
          if ((long) Orecs.TABLE.getVolatile(words, index) == ownLock) {
            Orecs.TABLE.setRelease(words, index, word);
          }
        } else if ((long) TxCell.META.getVolatile(cell) == ownLock) {
          TxCell.META.setRelease(cell, word);
        }
      } else if ((long) Orecs.TABLE.getVolatile(Orecs.Table.WORDS, index) == ownLock) {
        Orecs.TABLE.setRelease(Orecs.Table.WORDS, index, word);
      }
    }
    if (hasCells && ++cellUses >= ReadSet.RENEW_EVERY) {
      cells = new TxCell[cells.length]; // young again: see ReadSet.clear
      cellUses = 0;
    }
    hasCells = false;
    size = 0;
    if (indexes.length > ReadSet.RETAINED) {
      cells = new TxCell[32];
      indexes = new int[32];
    }
  }

  // ---- trailing padding: declared last (LinePadding, "The other end") ----------------------
  @SuppressWarnings("unused") private Object t00, t01, t02, t03, t04, t05, t06, t07;
  @SuppressWarnings("unused") private Object t08, t09, t10, t11, t12, t13, t14, t15;
  @SuppressWarnings("unused") private Object t16, t17, t18, t19, t20, t21, t22, t23;
  @SuppressWarnings("unused") private Object t24, t25, t26, t27, t28, t29, t30, t31;
}
