package org.ame4j.internal.engine;

import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * Updates whose old value the program never looks at ({@code count++}, {@code total += x},
 * {@code sums[c] += v}, recognised by the agent): a <em>blind</em> read-modify-write. Instead of
 * reading the location at encounter time (a read-set entry, and a conflict with every other
 * transaction that bumps the same counter) the delta is remembered and applied at commit, under
 * the commit's locks, to whatever value is current then. A transaction never observed the old
 * value, so applying it at its serialization point is exactly what a serial run does (also for
 * floating point: the additions happen in commit order, which is the serial order; in an ordered
 * run that is the sequential order, bit for bit).
 *
 * <p>Any other access of this transaction to a location with a pending delta (a read, a write,
 * another barrier on the same ownership record; for an element, a read or a lock of the same
 * index in its stripe, {@code ElementBarriers}) first applies the delta the ordinary way (lock,
 * undo log, store), so the transaction always sees its own updates. An applied delta records the
 * undo-log position it was applied at, so that a nested block rolled back past it re-arms it.
 *
 * <p>Element adds ({@code BlindAdds.addElementHeld}) still pending at commit are locked before the
 * clock stamp ({@link #flushAll}) and added only once the commit has validated ({@link
 * #addLocked}), with no undo entry; their lock is taken at the add's site for the conflict report.
 *
 * <p>Not thread-safe: one per transaction descriptor.
 */
final class BlindUpdates {
  static final byte FIELD = 1;
  static final byte STATIC = 2;
  /** An element: holder the array, element its index, orec its stripe ({@link ArrayStripes}). */
  static final byte ARRAY = 3;

  private byte[] kinds = new byte[16];
  private Object[] holders = new Object[16];
  private VarHandle[] handles = new VarHandle[16];
  private int[] elements = new int[16];
  private int[] orecs = new int[16];
  private long[] deltas = new long[16];
  /** -1 while pending, else the undo-log size when it was applied. */
  private int[] appliedAt = new int[16];
  /** The site of each add ({@link Diagnostics#ON}): its lock, taken later, names that line. */
  private int[] sites = Diagnostics.ON ? new int[16] : null;
  int size;
  private int pending;

  boolean hasPending() {
    return pending != 0;
  }

  /** Holds {@code delta} for a field or static ({@code kind}) on table word {@code orec}. */
  void add(byte kind, Object holder, VarHandle vh, int element, int orec, long delta, Txn tx) {
    handles[append(kind, holder, element, orec, delta, tx)] = vh;
  }

  /**
   * Holds {@code delta} (raw bits for floating point) for element {@code index} of {@code array},
   * of stripe {@code stripe}, until commit or this transaction's next access to the element (no
   * handle: {@link #clear} leaves element entries' handles alone).
   */
  void addElement(Object array, int index, int stripe, long delta, Txn tx) {
    append(ARRAY, array, index, stripe, delta, tx);
  }

  /** A new pending entry, at the index returned. */
  private int append(byte kind, Object holder, int element, int orec, long delta, Txn tx) {
    int n = size;
    if (n == kinds.length) {
      grow();
    }
    kinds[n] = kind;
    holders[n] = holder;
    elements[n] = element;
    orecs[n] = orec;
    deltas[n] = delta;
    appliedAt[n] = -1;
    if (Diagnostics.ON) {
      sites[n] = tx.diag.site;
    }
    size = n + 1;
    pending++;
    return n;
  }

  /**
   * Applies the pending deltas on ownership record {@code orec} of the striped table (before
   * another access to it).
   */
  void flush(int orec, Txn tx) {
    for (int i = 0; i < size; i++) {
      if (appliedAt[i] < 0 && orecs[i] == orec && kinds[i] != ARRAY) {
        apply(i, tx);
      }
    }
  }

  /**
   * Applies the pending deltas on element {@code index} of arrays of stripe {@code stripe}
   * (before another access of this transaction to such an element: another array of the stripe
   * at the same index is applied early too, which is harmless).
   */
  void flushElement(int stripe, int index, Txn tx) {
    for (int i = 0; i < size; i++) {
      if (appliedAt[i] < 0 && elements[i] == index && orecs[i] == stripe && kinds[i] == ARRAY) {
        apply(i, tx);
      }
    }
  }

  /**
   * At commit, before the clock stamp (after the commit turn of an ordered run): applies every
   * pending field delta, and locks the element of every held element add, whose delta
   * {@link #addLocked} adds once the commit has validated (so it needs no undo entry: an abort
   * before that point has nothing of it to undo).
   */
  void flushAll(Txn tx) {
    // Every pending delta is handled here, in order: the flushes of the locks taken below need
    // not look for any (a commit that aborts half-way clears the rest with the attempt).
    pending = 0;
    for (int i = 0; i < size; i++) {
      if (appliedAt[i] < 0) {
        if (kinds[i] == ARRAY) {
          appliedAt[i] = LOCKED;
          lock(i, tx);
          locked++;
        } else {
          applyNow(i, tx);
        }
      }
    }
  }

  /** {@link #appliedAt} of a held element add whose element the commit locked. */
  private static final int LOCKED = Integer.MAX_VALUE - 1;
  /** Entries {@link #LOCKED}. */
  private int locked;

  boolean hasLocked() {
    return locked != 0;
  }

  /**
   * Locks the element of held add {@code i}: the stripe's words straight away while the stripe is
   * as {@code BlindAdds.heldStripe} found it (written, ready, no turner), which it almost always
   * still is; else the whole element lock, which turns it or waits out its turner.
   */
  private void lockElement(int i, Txn tx) {
    ArrayRecords r = ArrayStripes.records(orecs[i]);
    long[] w = r.words();
    if (w != null && r.ready && !Orecs.isLocked((long) TxCell.META.getAcquire((TxCell) r))) {
      tx.acquireElement(r, w, ArrayRecords.slot(w, elements[i]));
    } else {
      ElementBarriers.lock(holders[i], elements[i], tx); // never fresh (BlindAdds.heldStripe): logged
    }
  }

  /**
   * The commit validated: adds each held element delta under the lock {@link #flushAll} took, in
   * the order the adds ran (for floating point, the order a serial run adds them in).
   */
  void addLocked() {
    for (int i = 0; i < size; i++) {
      if (appliedAt[i] == LOCKED) {
        addTo(holders[i], elements[i], deltas[i]);
      }
    }
    locked = 0;
  }

  private void apply(int i, Txn tx) {
    pending--;
    applyNow(i, tx);
  }

  private void applyNow(int i, Txn tx) {
    appliedAt[i] = Integer.MAX_VALUE; // not pending while we lock: flush must not recurse on it
    lock(i, tx);
    appliedAt[i] = tx.undo.size;
    applyLocked(kinds[i], holders[i], handles[i], elements[i], deltas[i], tx);
  }

  /** Takes the lock of entry {@code i}'s location, which is no longer pending. */
  private void lock(int i, Txn tx) {
    int site = 0;
    if (Diagnostics.ON) {
      site = tx.diag.site;
      tx.diag.site = sites[i]; // the lock names the add's line, not the access's
    }
    if (kinds[i] != ARRAY) {
      tx.acquire(null, orecs[i], true);
    } else {
      lockElement(i, tx);
    }
    if (Diagnostics.ON) {
      tx.diag.site = site;
    }
  }

  /**
   * Adds {@code delta} to the location now, with an undo entry (the caller holds the lock, or the
   * object is the transaction's own).
   */
  static void applyLocked(byte kind, Object holder, VarHandle vh, int element, long delta, Txn tx) {
    if (kind == ARRAY) {
      long oldBits;
      if (holder instanceof int[] a) {
        oldBits = a[element];
      } else if (holder instanceof long[] a) {
        oldBits = a[element];
      } else if (holder instanceof double[] a) {
        oldBits = Double.doubleToRawLongBits(a[element]);
      } else {
        oldBits = Float.floatToRawIntBits(((float[]) holder)[element]);
      }
      ElementBarriers.logOld(holder, element, oldBits, tx);
      addTo(holder, element, delta);
      return;
    }
    // One generic VarHandle call (the handle is not a constant here): getAndAdd returns the old
    // value for the undo log. We hold the record's lock, so its atomicity is not needed, only
    // its single call.
    boolean isStatic = kind == STATIC;
    Class<?> type = vh.varType();
    byte undoKind = isStatic ? UndoLog.STATIC : UndoLog.FIELD;
    long oldBits;
    if (type == int.class) {
      oldBits = isStatic ? (int) vh.getAndAdd((int) delta) : (int) vh.getAndAdd(holder, (int) delta);
    } else if (type == long.class) {
      oldBits = isStatic ? (long) vh.getAndAdd(delta) : (long) vh.getAndAdd(holder, delta);
    } else if (type == double.class) {
      double d = Double.longBitsToDouble(delta);
      oldBits = Double.doubleToRawLongBits(isStatic ? (double) vh.getAndAdd(d) : (double) vh.getAndAdd(holder, d));
    } else {
      float f = Float.intBitsToFloat((int) delta);
      oldBits = Float.floatToRawIntBits(isStatic ? (float) vh.getAndAdd(f) : (float) vh.getAndAdd(holder, f));
    }
    tx.undo.add(undoKind, holder, vh, null, oldBits, -1);
  }

  /** Adds {@code delta} (raw bits for floating point) to element {@code element} of {@code array}. */
  private static void addTo(Object array, int element, long delta) {
    if (array instanceof int[] a) {
      a[element] += (int) delta;
    } else if (array instanceof long[] a) {
      a[element] += delta;
    } else if (array instanceof double[] a) {
      a[element] += Double.longBitsToDouble(delta);
    } else {
      ((float[]) array)[element] += Float.intBitsToFloat((int) delta);
    }
  }

  /**
   * A nested block rolled back: its own deltas go, and deltas of the enclosing block that were
   * applied inside it (their stores were just undone) are pending again.
   */
  void rollbackTo(int mark, int undoMark) {
    for (int i = mark; i < size; i++) {
      holders[i] = null;
      handles[i] = null;
      if (appliedAt[i] < 0) {
        pending--;
      }
    }
    size = mark;
    for (int i = 0; i < size; i++) {
      if (appliedAt[i] >= undoMark) {
        appliedAt[i] = -1;
        pending++;
      }
    }
  }

  void clear() {
    if (size > 0) {
      // A loop, not Arrays.fill: a commit clears a few entries (k-means' five held adds), where
      // the calls' own cost showed. Element entries store no handle ({@link #addElement}).
      for (int i = 0; i < size; i++) {
        holders[i] = null;
        if (kinds[i] != ARRAY) {
          handles[i] = null;
        }
      }
      size = 0;
      pending = 0;
      locked = 0;
    }
  }

  private void grow() {
    int c = kinds.length * 2;
    kinds = Arrays.copyOf(kinds, c);
    holders = Arrays.copyOf(holders, c);
    handles = Arrays.copyOf(handles, c);
    elements = Arrays.copyOf(elements, c);
    orecs = Arrays.copyOf(orecs, c);
    deltas = Arrays.copyOf(deltas, c);
    appliedAt = Arrays.copyOf(appliedAt, c);
    if (Diagnostics.ON) {
      sites = Arrays.copyOf(sites, c);
    }
  }
}
