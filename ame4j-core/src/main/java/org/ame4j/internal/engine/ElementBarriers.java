package org.ame4j.internal.engine;

import java.lang.invoke.VarHandle;

/**
 * The array-element half of the barriers (reached through {@link FieldBarriers}' and
 * {@link FieldWrites}' element entry points, which generated code calls): arrays find their
 * records by identity hash ({@link ArrayStripes}); read-only arrays are read with no check at all, written ones under a
 * word per element.
 *
 * <p>A read of a written array is the same bracket as a field read: {@link #beforeRead} waits out
 * a lock and keeps the word it saw in the descriptor, the plain {@code xaload} runs,
 * {@link #afterRead} fences, checks the word is unchanged (else the attempt aborts: the value on
 * the stack is never used) and logs it. A read of a read-only array stops at the null
 * {@link ArrayRecords#words()}: the grace period of the array's first writer ({@link ArrayTurns})
 * makes the plain load safe, for the inevitable transaction too.
 *
 * <p>A write turns a read-only array written first ({@link ArrayTurns#turn}), waits while another
 * transaction holds the stripe word (a turner whose own unchecked reads of the array must hold
 * until it ends), then locks the element's word, like any encounter-time lock.
 *
 * <p>A null array passes through untouched: the access instruction that follows throws the
 * program's own {@link NullPointerException}. Arrays the running attempt allocated need nothing.
 */
final class ElementBarriers {
  /** {@link Txn#pendingSlot} when no element read is pending (nothing to check). */
  static final int NONE = Integer.MIN_VALUE;

  private ElementBarriers() {}

  /**
   * Kept small, so that the JIT inlines it into large loop bodies (issue 14, session 10): the
   * common case, a read-only stripe this attempt already reads unchecked, is one identity hash,
   * one load of the stripe's published bit and one bit test; a written stripe goes straight to
   * its words ({@link #readWords}); the first read of a read-only stripe ({@link #readStripe})
   * and an attempt that allocated arrays ({@link #beforeReadAny}: it asks the capture set's
   * front before it hashes, and never installs an identity hash in a fresh array, a runtime
   * call) are out of line, calls
   * where C2 finds them cold. The fast path stores nothing: {@link Txn#pendingSlot} is
   * {@link #NONE} already (see {@link #afterRead}).
   *
   * <p>True if the running attempt may read every element of {@code array} with no barrier at all
   * until it ends: the array is fresh, or its stripe is read-only and the attempt's bit of it is
   * published (no writer stores to the stripe before this attempt ends, {@link ArrayTurns}). A
   * load site with a hoisted check ({@link #beforeReadAt}) keeps such an array and skips this
   * barrier for it from then on.
   */
  static boolean beforeRead(Object array, int i, Txn tx) {
    if (FAST_READS && array != null && !tx.freshArrays) {
      int s = ArrayStripes.of(array);
      if (!ArrayStripes.published(s)) {
        // readsUnchecked's first half: a bit already set was published before (noteUnchecked)
        return StripesRead.has(tx, s) || readStripe(i, s, tx);
      }
      return readWords(i, s, tx);
    }
    return beforeReadAny(array, i, tx);
  }

  /**
   * {@code ame4j.barriers.fastReads} (default true): {@link #beforeRead} and {@link #afterRead}
   * as a small inline fast path and an out-of-line rest. False: the whole barrier as one body
   * per site, the shape before (the A/B switch of issue 14, session 10).
   */
  static final boolean FAST_READS =
      Boolean.parseBoolean(System.getProperty("ame4j.barriers.fastReads", "true"));

  /** The whole {@link #beforeRead}, for any array (the shape before, and fresh arrays). */
  private static boolean beforeReadAny(Object array, int i, Txn tx) {
    tx.pendingSlot = NONE;
    if (array == null) {
      return false;
    }
    if (tx.freshArrays) {
      if (!STRIPE_BEFORE_SET) {
        if (tx.fresh.contains(array)) {
          return true;
        }
      } else {
        return readOfAllocator(array, i, tx);
      }
    }
    return readStripe(i, ArrayStripes.of(array), tx);
  }

  /**
   * {@link #beforeRead} in an attempt that allocated arrays: its own front first (never hashed),
   * then the stripe, then the rest of the capture set (hashed already). A read-only stripe the
   * attempt reads unchecked needs no search: fresh or not, such an array's loads need nothing for
   * the rest of the attempt. So a task that sums into arrays of its own reads shared read-only
   * arrays at the fast path's cost (the agent's DESIGN-NOTES, "Coarse k-means: a task's own
   * rows, and reads before the capture set").
   */
  private static boolean readOfAllocator(Object array, int i, Txn tx) {
    FreshObjects fresh = tx.fresh;
    if (fresh.inFront(array)) {
      return true;
    }
    int s = ArrayStripes.of(array);
    if (!ArrayStripes.published(s) && StripesRead.has(tx, s)) {
      return true;
    }
    if (SMALL_INLINE) {
      return readOfAllocatorRest(array, i, s, tx);
    }
    return fresh.inSet(array) || readStripe(i, s, tx);
  }

  /**
   * {@link #readOfAllocator} past its common case: the capture set's hash set, then the stripe's
   * full path (a first read of a read-only stripe, or a written one). Out of line on purpose: a
   * site whose profile reaches it rarely leaves it a call (C2 inlines a callee over
   * {@code MaxInlineSize} bytes only where it is hot), so the site's inlined part stays the front,
   * the stripe's bit and the attempt's bit, and the twin's loop keeps its inlining budget for the
   * rest of its barriers (the agent's DESIGN-NOTES, "Barrier fast paths small enough to inline
   * everywhere").
   */
  private static boolean readOfAllocatorRest(Object array, int i, int s, Txn tx) {
    return tx.fresh.inSet(array) || readStripe(i, s, tx);
  }

  /**
   * {@code ame4j.barriers.smallInline} (default true): the element barriers' cold paths are
   * separate methods, so that the part C2 inlines at every site is only the common case; false:
   * the shape before (issue 14, session 16's A/B switch). The same checks run either way.
   */
  static final boolean SMALL_INLINE =
      Boolean.parseBoolean(System.getProperty("ame4j.barriers.smallInline", "true"));

  /**
   * {@code ame4j.freshReads.stripeFirst} (default true): an attempt that allocated arrays checks
   * a read's stripe before searching its capture set's hash set ({@link #readOfAllocator});
   * false: the capture set first, the order before (issue 14, session 13's A/B switch).
   */
  static final boolean STRIPE_BEFORE_SET =
      Boolean.parseBoolean(System.getProperty("ame4j.freshReads.stripeFirst", "true"));

  /** {@link #beforeRead} of element {@code i} of an array of stripe {@code s} that is not fresh. */
  private static boolean readStripe(int i, int s, Txn tx) {
    if (!ArrayStripes.published(s) && readsUnchecked(s, tx)) {
      return true;
    }
    return readWords(i, s, tx);
  }

  /** {@link #beforeRead} of element {@code i} of stripe {@code s}, whose words are published. */
  private static boolean readWords(int i, int s, Txn tx) {
    if (tx.blind.hasPending()) {
      tx.blind.flushElement(s, i, tx); // our own add held to commit goes first (BlindAdds)
    }
    tx.pendingSlot = NONE;
    ArrayRecords r = ArrayStripes.records(s);
    long[] w = r.words(); // published: not null
    int k = ArrayRecords.slot(w, i);
    // HOLD_WRITES (a constant) first: with held stores off, C2 drops the check from every read
    if (HOLD_WRITES && (tx.heldFilter & HeldElementWrites.bit(s, k)) != 0) {
      tx.heldWrites.apply(s, k, tx); // this attempt holds a store of this word: into the array now
    }
    long word = (long) Orecs.TABLE.getAcquire(w, k);
    if (Orecs.isLocked(word) || tx.inevitable) {
      if (word != tx.lockWord) { // our own lock (a read after a write) needs nothing: common
        readSlow(r, i, tx, s);
      }
      return false;
    }
    tx.pendingStripe = s;
    tx.pendingSlot = k;
    tx.pendingArrayWord = word;
    return false;
  }

  /**
   * {@link #beforeRead} with a hoisted check: {@code checked} is the array this load site last
   * found readable unchecked in the same twin invocation (or null), and the site keeps what this
   * returns for its next load. A load of that same array costs one reference compare.
   *
   * <p><b>Why it is safe.</b> The array was fresh, or read unchecked with the attempt's stripe bit
   * published, earlier in this attempt: a twin invocation lies inside one attempt, because an
   * attempt ends only in the engine, after every twin frame of it has returned or thrown (an
   * abort throws {@link ControlSignal}; code that swallows it still runs in the doomed attempt,
   * whose bit stays published). A turner of the stripe publishes its words and then waits until
   * this attempt has ended, even after it asked the attempt to abort ({@link ArrayTurns}: a
   * request, not an end); nobody stores to an element of the stripe before it is ready, and the
   * turner's own stores are ours if this attempt turns it. So every later element this attempt
   * loads is the value it would have read through {@link #beforeRead} (unchecked, or checked
   * against a word no committed writer changed): the same snapshot, opaque for a zombie too.
   */
  static Object beforeReadAt(Object array, int i, Object checked, Txn tx) {
    if (array == checked) {
      if (!FAST_READS) {
        tx.pendingSlot = NONE; // the shape before: a store at every kept load
      }
      return checked;
    }
    return beforeRead(array, i, tx) ? array : checked;
  }

  /**
   * True if {@code tx} may read stripe {@code s}, found not published, unchecked: no writer stores
   * to it before this attempt ends ({@link ArrayTurns}) once the attempt has published its bit of
   * the stripe. The first time, the stripe is checked again after that (Dekker), since a turn may
   * have run in between: issue 18's race, a reader preempted after it found the stripe read-only
   * (package-private so that a test can run it after such a stale load).
   */
  static boolean readsUnchecked(int s, Txn tx) {
    return StripesRead.has(tx, s) || !tx.noteUnchecked(s);
  }

  /** {@link #beforeRead} after it met a locked word or runs inevitable (words published). */
  private static void readSlow(ArrayRecords r, int i, Txn tx, int s) {
    int k = ArrayRecords.slot(r.words(), i);
    for (; ; ) {
      long word = Txn.wordOf(r, k);
      if (word == tx.lockWord) {
        return; // ours
      }
      if (Orecs.isLocked(word) || tx.inevitable) {
        // A writer holds it, or we are inevitable and lock what we read.
        tx.acquireRecordForRead(r, k, word);
        if (tx.inevitable) {
          return;
        }
        continue;
      }
      tx.pendingStripe = s;
      tx.pendingSlot = k;
      tx.pendingArrayWord = word;
      return;
    }
  }

  /**
   * Kept small like {@link #beforeRead}: nothing pending is one load and one compare.
   *
   * <p>{@link Txn#pendingSlot} is {@link #NONE} outside a bracket that left a read pending: this
   * consumes it, and the attempt's end resets it ({@code Txn.finish}). So the fast paths of
   * {@link #beforeRead} and {@link #beforeReadAt} need not store it. The one exception is an
   * element load that throws inside its bracket (an index out of bounds, caught by the twin):
   * its pending read stays and the next {@code afterRead} of the attempt checks and logs it. A
   * read logged that was not used only makes validation stricter (an abort at worst), never lets
   * an inconsistent value through.
   */
  static void afterRead(Txn tx) {
    if (!FAST_READS) {
      afterReadPending(tx);
    } else if (tx.pendingSlot != NONE) {
      afterReadPending(tx);
    }
  }

  /** {@link #afterRead} with the check and the log, out of line. */
  private static void afterReadPending(Txn tx) {
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
    tx.logElementRead(s, k, word);
  }

  /**
   * Locks element {@code i} of {@code array} for a write by {@code tx} (turning a read-only
   * array written first). False if nothing is needed: the array is null (the store throws) or
   * was allocated by this attempt's running nesting level; true means the caller must log the old
   * value (an array allocated before the running nested block began is logged, not locked).
   */
  static boolean lock(Object array, int i, Txn tx) {
    if (array == null) {
      return false;
    }
    if (tx.freshArrays && tx.fresh.contains(array)) {
      return tx.fresh.bornBefore(array, tx.level); // log only if allocated before this nested block
    }
    int s = ArrayStripes.of(array);
    if (tx.blind.hasPending()) {
      tx.blind.flushElement(s, i, tx); // our own add held to commit goes first (BlindAdds)
    }
    ArrayRecords r = ArrayStripes.records(s);
    long[] w = r.words();
    if (w == null || !r.ready) {
      w = ArrayTurns.turn(r, s, array, tx);
    } else {
      long m = (long) TxCell.META.getAcquire((TxCell) r);
      if (Orecs.isLocked(m) && m != tx.lockWord) {
        awaitTurner(r, tx);
      }
    }
    if (TOUCH_BEFORE_LOCK) {
      tx.touched = touch(array, i); // the element's miss overlaps the word's, not after the CAS
    }
    if (COMPACT_WRITES) {
      int k = ArrayRecords.slot(w, i);
      if (HOLD_WRITES && (tx.heldFilter & HeldElementWrites.bit(s, k)) != 0) {
        tx.heldWrites.apply(s, k, tx); // in place before this store, which follows them
      }
      tx.acquireElement(r, w, k);
    } else {
      tx.acquire(r, ArrayRecords.slot(w, i), true);
    }
    return true;
  }

  /**
   * {@code ame4j.elementWrites.touch} (default true): {@link #lock} loads the element before it
   * takes the word's lock. x86 lets no later load pass a locked instruction, so the load of the
   * old value that follows the compare-and-set (the undo entry, or {@code a[i] += d}) would start
   * its cache miss only once the lock is taken; loaded first, the element's miss and the word's
   * overlap, and the load under the lock finds the line in L1 (issue 14, session 13).
   */
  static final boolean TOUCH_BEFORE_LOCK =
      Boolean.parseBoolean(System.getProperty("ame4j.elementWrites.touch", "true"));

  /**
   * Loads element {@code i} of the primitive or reference array {@code array} and returns
   * something of it (its value is never used: the load is). An index out of bounds loads nothing,
   * so the site's own store still throws the program's exception. Small, since it is inlined into
   * every element write: the graph walks' {@code int[]} and {@code boolean[]} and the stencils'
   * {@code double[]} here, the other types out of line ({@link #touchOther}).
   */
  static long touch(Object array, int i) {
    if (array instanceof int[] a) {
      return i >= 0 && i < a.length ? a[i] : 0;
    } else if (array instanceof boolean[] a) {
      return i >= 0 && i < a.length && a[i] ? 1 : 0;
    } else if (array instanceof double[] a) {
      return i >= 0 && i < a.length ? (long) a[i] : 0;
    }
    return touchOther(array, i);
  }

  private static long touchOther(Object array, int i) {
    if (array instanceof long[] a) {
      return i >= 0 && i < a.length ? a[i] : 0;
    } else if (array instanceof Object[] a) {
      return i >= 0 && i < a.length && a[i] != null ? 1 : 0;
    } else if (array instanceof byte[] a) {
      return i >= 0 && i < a.length ? a[i] : 0;
    } else if (array instanceof float[] a) {
      return i >= 0 && i < a.length ? (long) a[i] : 0;
    } else if (array instanceof char[] a) {
      return i >= 0 && i < a.length ? a[i] : 0;
    } else if (array instanceof short[] a) {
      return i >= 0 && i < a.length ? a[i] : 0;
    }
    return 0;
  }

  /**
   * Holds the store of {@code bits} into element {@code i} of {@code array} until commit
   * ({@link HeldElementWrites}) when it may: true if held (the caller must not store), false if
   * the caller must store through {@link #lock} as before. The caller has checked the index
   * (an index out of bounds goes the locking way and throws at the store).
   */
  static boolean hold(Object array, int i, long bits, Txn tx) {
    if (!HOLD_WRITES || Diagnostics.ON && !Diagnostics.HELD_WRITES || array == null
        || tx.freshArrays || tx.unlogged || tx.inevitable || tx.paused || tx.joined || tx.depth != 1) {
      return false;
    }
    int s = ArrayStripes.of(array);
    ArrayRecords r = ArrayStripes.records(s);
    long[] w = r.words();
    if (w == null || !r.ready || (tx.uncheckedStripes & (1L << s)) != 0
        || Orecs.isLocked((long) TxCell.META.getAcquire((TxCell) r))) {
      return false; // read-only, being turned, or read unchecked by this attempt: lock it now
    }
    int k = ArrayRecords.slot(w, i);
    tx.heldWrites.add(array, i, bits, s, k, tx);
    tx.heldFilter |= HeldElementWrites.bit(s, k);
    return true;
  }

  /**
   * {@code ame4j.elementWrites.hold} (default false): element stores of written stripes held
   * until commit where {@link #hold} may; false: every element store locks at its site. Off by
   * default: measured no gain on one worker and a loss on two (sssp 1.23 of the locked stores'
   * time on a quiet machine, the agent's DESIGN-NOTES, "Element stores held until commit").
   */
  static final boolean HOLD_WRITES =
      Boolean.parseBoolean(System.getProperty("ame4j.elementWrites.hold", "false"));

  /**
   * The compact element write ({@code ame4j.elementWrites.compact}, default on): the lock taken
   * by {@link Txn#acquireElement} on the words already loaded, and the old value logged by
   * {@link UndoLog#addElement} (four stores instead of six). Off: {@link Txn#acquire} and
   * {@link UndoLog#add}, the path before (issue 14, session 9; see the agent's DESIGN-NOTES).
   */
  static final boolean COMPACT_WRITES =
      Boolean.parseBoolean(System.getProperty("ame4j.elementWrites.compact", "true"));

  /** Logs the old bits of element {@code i} of {@code array}, which the caller locked. */
  static void logOld(Object array, int i, long oldBits, Txn tx) {
    if (COMPACT_WRITES) {
      tx.undo.addElement(array, oldBits, i);
    } else {
      tx.undo.add(UndoLog.ARRAY, array, null, null, oldBits, i);
    }
  }

  /**
   * Waits until no other transaction holds the stripe word: <em>nobody writes an element while
   * another transaction holds it</em> (issue 18). The turner keeps it until it ends, and its own
   * reads of the stripe were unchecked (or, in session 6's protocol, checked against that word,
   * which it held itself): the STAMP hash set's first writer, preempted between turning the table
   * and locking its bucket while the other worker committed an add to that bucket, overwrote the
   * add. A write conflict with the turner (wait, kill or abort), without taking its word.
   */
  private static void awaitTurner(ArrayRecords r, Txn tx) {
    for (; ; ) {
      long m = Txn.wordOf(r, -1);
      if (!Orecs.isLocked(m) || m == tx.lockWord) {
        return;
      }
      tx.awaitRecord(r, -1, m);
    }
  }
}
