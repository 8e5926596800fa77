package org.ame4j.internal.engine;

import java.lang.invoke.VarHandle;
import java.lang.reflect.Array;

/**
 * The array-element half of the barriers (reached through {@link FieldBarriers}' element entry
 * points, which generated code calls): arrays find their records by identity hash
 * ({@link ArrayStripes}); read-only arrays are read under one word for the whole array, written
 * ones under a word per element.
 *
 * <p>A read is the same bracket as a field read: {@link #beforeRead} waits out a lock and keeps
 * the word it saw in the descriptor, the plain {@code xaload} runs, {@link #afterRead} fences and
 * checks the word is unchanged (else the attempt aborts: the value on the stack is never used).
 * The descriptor remembers the read-only stripe words it logged ({@link LoggedStripes}), so a
 * loop over a few read-only arrays logs each one's word once per attempt, not per element.
 *
 * <p>A write locks the array word first if the array is still read-only (turning it written,
 * {@link ArrayRecords#turnWritten}; after waiting for an inevitable transaction that read it
 * read-only), then the element's word, like any encounter-time lock. The inevitable transaction
 * locks the element words it reads, like any record, but marks a read-only array instead of
 * locking its word, so the readers of that array go on.
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

  /**
   * Kept small, so that the JIT inlines it into large loop bodies: the unlocked cases only; a
   * locked word, our own lock and the inevitable reader go to {@link #readSlow}.
   */
  static void beforeRead(Object array, int i, Txn tx) {
    tx.pendingSlot = NONE;
    if (array == null || (tx.freshArrays && tx.fresh.contains(array))) {
      return;
    }
    int s = ArrayStripes.of(array);
    ArrayRecords r = ArrayStripes.records(s);
    open(r, r.words(), i, s, tx);
  }

  /**
   * {@link #beforeRead} once the stripe's words are loaded: {@code w} is what that load returned,
   * null if the array was read-only then. Package-private so that a test can hand it the null of
   * a reader that loaded it just before another transaction turned the stripe written (the race
   * below).
   */
  static void open(ArrayRecords r, long[] w, int i, int s, Txn tx) {
    int k;
    long word;
    if (w != null) {
      k = ArrayRecords.slot(w, i);
      word = (long) Orecs.TABLE.getAcquire(w, k);
    } else {
      k = ARRAY_WORD;
      word = (long) TxCell.META.getAcquire((TxCell) r);
      if (turnedSince(r, w)) {
        readSlow(r, i, tx, s);
        return;
      }
    }
    if (Orecs.isLocked(word) || tx.inevitable) {
      if (word != tx.lockWord) { // our own lock (a read after a write) needs nothing: common
        readSlow(r, i, tx, s);
      }
      return;
    }
    if (k == ARRAY_WORD && !tx.loggedStripes.has(s, word)) {
      logArrayWord(s, word, tx);
    }
    tx.pendingStripe = s;
    tx.pendingSlot = k;
    tx.pendingArrayWord = word;
  }

  /**
   * True if the stripe was read-only when {@code w} was loaded ({@code w == null}) and has been
   * turned written since: the array word just loaded after {@code w} must then not be used. The
   * rule: <em>a read-only stripe's word guards an element only if the stripe is still read-only
   * after that word was loaded</em>. The writer that turns a stripe written publishes its words
   * before it releases the array word, and never changes the array word again; its later writers
   * change element words only. A reader that loaded {@code words} (null), was preempted while
   * that writer turned the stripe and committed, and then loaded the released array word would
   * log a word that no later write of any element ever changes: its read would never be
   * invalidated, and a write based on it would overwrite a newer commit (a lost update). The
   * acquire load of the array word makes the writer's store of {@code words} visible, so loading
   * {@code words} again after it tells the two cases apart.
   */
  static boolean turnedSince(ArrayRecords r, long[] w) {
    return w == null && r.words() != null;
  }

  /** Logs a read-only stripe's word, once per attempt (as long as it stays in the filter). */
  private static void logArrayWord(int s, long word, Txn tx) {
    tx.logElementRead(s, ARRAY_WORD, word);
    tx.loggedStripes.put(s, word);
  }

  /** {@link #beforeRead} after it met a locked word or runs inevitable. */
  private static void readSlow(ArrayRecords r, int i, Txn tx, int s) {
    for (; ; ) {
      long[] w = r.words();
      int k = w != null ? ArrayRecords.slot(w, i) : ARRAY_WORD;
      long word = Txn.wordOf(r, k);
      if (turnedSince(r, w)) {
        continue;
      }
      if (word == tx.lockWord) {
        return; // ours (written, or being turned written by us)
      }
      if (tx.inevitable && w == null && !Orecs.isLocked(word)) {
        // Read-only array, inevitable reader: mark instead of locking the array word (see
        // ArrayRecords#inevitableRead), then make sure no writer started turning it meanwhile.
        r.markRead(tx.readMark());
        if (Txn.wordOf(r, ARRAY_WORD) == word && r.words() == null) {
          return;
        }
        continue;
      }
      if (Orecs.isLocked(word) || tx.inevitable) {
        // A writer holds it (for the array word: it is turning the array written), or we are
        // inevitable and lock what we read.
        tx.acquireRecordForRead(r, k, word);
        if (tx.inevitable) {
          return;
        }
        continue;
      }
      if (k == ARRAY_WORD && !tx.loggedStripes.has(s, word)) {
        logArrayWord(s, word, tx);
      }
      tx.pendingStripe = s;
      tx.pendingSlot = k;
      tx.pendingArrayWord = word;
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
    int s = tx.pendingStripe;
    ArrayRecords r = ArrayStripes.records(s);
    if (Txn.wordOf(r, k) != word) {
      throw tx.abortRead(r, k);
    }
    if (k != ARRAY_WORD) {
      tx.logElementRead(s, k, word);
    }
  }

  /**
   * Locks element {@code i} of {@code array} for a write by {@code tx} (turning a read-only
   * array written first). False if nothing is needed: the array is null (the store throws) or
   * was allocated by this attempt; true means the caller must log the old value.
   */
  static boolean lock(Object array, int i, Txn tx) {
    if (array == null || (tx.freshArrays && tx.fresh.contains(array))) {
      return false;
    }
    ArrayRecords r = ArrayStripes.recordsOf(array);
    long[] w = r.words();
    if (w == null) {
      ArrayRecords.ReadMark mark = r.readByOtherInevitable(tx);
      if (mark != null) {
        tx.awaitEnd(mark); // an inevitable transaction read it read-only: it must not change
      }
      tx.acquire(r, -1, true);
      if (r.words() == null && r.readByOtherInevitable(tx) != null) {
        throw tx.abort(AbortKind.INEVITABLE); // it started reading meanwhile: step back
      }
      w = r.turnWritten(Array.getLength(array));
    } else {
      awaitTurned(r, tx);
    }
    tx.acquire(r, ArrayRecords.slot(w, i), true);
    return true;
  }

  /**
   * Waits out (or aborts on) a transaction that is turning the stripe written: the rule is that
   * <em>nobody writes an element while another transaction holds the array word</em>. The turner
   * read elements under the array word before it locked it, and validates those reads against
   * that word, which it now holds: a write to such an element through the element words it has
   * just published would never be seen, and the turner's own write based on its read would
   * overwrite it (issue 18's lost update: the hash set's first writer preempted between turning
   * the table and locking its bucket while the other worker committed an add to that bucket).
   * The array word is locked before {@code words} is published and released only when the
   * turner ends, so a writer that found {@code words} then finds the array word locked until the
   * turner has committed or rolled back. Checked on every write, also to an element this
   * transaction holds already: an inevitable transaction that locked it to read it must not
   * write it under a running turner either.
   */
  private static void awaitTurned(ArrayRecords r, Txn tx) {
    for (; ; ) {
      long word = Txn.wordOf(r, ARRAY_WORD);
      if (!Orecs.isLocked(word) || word == tx.lockWord) {
        return;
      }
      tx.awaitRecord(r, ARRAY_WORD, word);
    }
  }
}
