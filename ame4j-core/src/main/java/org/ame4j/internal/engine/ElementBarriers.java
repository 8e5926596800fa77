package org.ame4j.internal.engine;

import java.lang.invoke.VarHandle;
import org.ame4j.AbortKind;

/**
 * The array-element half of the barriers (reached through {@link FieldBarriers}' element entry
 * points, which generated code calls): each array has its own records ({@link ArrayRecords}),
 * read-only arrays are read under one word for the whole array, written ones under a word per
 * element.
 *
 * <p>A read is the same bracket as a field read: {@link #beforeRead} waits out a lock and keeps
 * the word it saw in the descriptor, the plain {@code xaload} runs, {@link #afterRead} fences and
 * checks the word is unchanged (else the attempt aborts: the value on the stack is never used).
 * The descriptor keeps the last few arrays it used with their records ({@link ArrayCache}), so a
 * loop over a few arrays looks their records up once, and logs a read-only array's word once per
 * attempt, not per element.
 *
 * <p>A write locks the array word first if the array is still read-only (turning it written,
 * {@link ArrayRecords#turnWritten}), then the element's word, like any encounter-time lock.
 *
 * <p>A null array passes through untouched: the access instruction that follows throws the
 * program's own {@link NullPointerException}. Arrays the running attempt allocated need nothing.
 */
final class ElementBarriers {
  /** {@link Txn#pendingSlot} when no element read is pending (nothing to check). */
  static final int NONE = Integer.MIN_VALUE;
  /** {@link Txn#pendingSlot} for a read under the array word (read-only array). */
  static final int ARRAY_WORD = -1;

  private ElementBarriers() {}

  static void beforeRead(Object array, int i, Txn tx) {
    tx.pendingSlot = NONE;
    if (array == null || tx.fresh.contains(array)) {
      return;
    }
    ArrayRecords r = tx.arrays.records(array);
    for (; ; ) {
      long[] w = r.words();
      if (w != null) {
        int k = ArrayRecords.slot(w, i);
        long word = (long) Orecs.TABLE.getAcquire(w, k);
        if (word == tx.lockWord) {
          return;
        }
        if (Orecs.isLocked(word) || tx.inevitable) {
          tx.acquireRecordForRead(r, k, word);
          if (tx.inevitable) {
            return; // locked by us now: nobody can change it
          }
          continue;
        }
        tx.pendingSlot = k;
        tx.pendingArrayWord = word;
        return;
      }
      // Read-only array: the array word guards every element.
      long m = (long) TxCell.META.getAcquire((TxCell) r);
      if (m == tx.lockWord) {
        return; // we hold it (the inevitable transaction read-locked it)
      }
      if (Orecs.isLocked(m) || tx.inevitable) {
        tx.acquireRecordForRead(r, -1, m); // a writer is turning it written, or we lock it
        if (tx.inevitable) {
          return;
        }
        continue;
      }
      if (m != tx.arrays.loggedWord()) {
        tx.logRead(r, -1, m); // once per attempt and array while it stays in the cache
        tx.arrays.setLogged(m);
      }
      tx.pendingSlot = ARRAY_WORD;
      tx.pendingArrayWord = m;
      return;
    }
  }

  static void afterRead(Txn tx) {
    int k = tx.pendingSlot;
    if (k == NONE) {
      return;
    }
    tx.pendingSlot = NONE;
    VarHandle.acquireFence(); // the element load above happens before the re-check below
    long word = tx.pendingArrayWord;
    if (Txn.wordOf(tx.arrays.lastRecords(), k) != word) {
      throw tx.abort(AbortKind.READ_WRITE);
    }
    if (k >= 0) {
      tx.logElementRead(k, word); // r is still the cache's last array: only the load ran since
    }
  }

  /**
   * Locks element {@code i} of {@code array} for a write by {@code tx} (turning a read-only
   * array written first). False if nothing is needed: the array is null (the store throws) or
   * was allocated by this attempt; true means the caller must log the old value.
   */
  static boolean lock(Object array, int i, Txn tx) {
    if (array == null || tx.fresh.contains(array)) {
      return false;
    }
    ArrayRecords r = tx.arrays.records(array);
    long[] w = r.words();
    if (w == null) {
      tx.acquire(r, -1, true);
      w = r.turnWritten();
    }
    tx.acquire(r, ArrayRecords.slot(w, i), true);
    return true;
  }
}
