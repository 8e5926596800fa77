package org.ame4j.internal.engine;

import java.lang.invoke.VarHandle;

/**
 * Blind updates, {@code x += d} whose old value the program never observes (the agent's
 * {@code BlindUpdatePatterns} recognises them): by default applied eagerly as a read-for-write.
 * The record is locked ({@link FieldLocks}, {@link ElementBarriers#lock}), then the value is
 * read, added to and stored; the value read under our own lock is stable, so it needs no
 * read-set entry and no validation: one barrier instead of two.
 *
 * <p>With {@code -Dame4j.blindElements.held=true} an element add of an application twin is held
 * to commit instead ({@link #addElementHeld}): the delta is kept in the attempt's
 * {@link BlindUpdates} and added at commit under the element's lock. With
 * {@code -Dame4j.blindUpdates.defer=true} the delta of a static, or of a field of an object with
 * no record of its own, is kept too: fewer conflicts on hot counters, but the commit-time apply
 * is a generic {@code VarHandle} call; measured slower on 2 cores (see the agent's DESIGN-NOTES).
 *
 * <p>Guarantees what a read followed by a write of the location guarantees in the same
 * transaction, with the old value logged for rollback. Does not guarantee that the location is
 * read at encounter time when deferred: the transaction's own later access applies the delta
 * first ({@link BlindUpdates#flush}).
 */
public final class BlindAdds {
  private BlindAdds() {}

  private static boolean deferBlind = Boolean.getBoolean("ame4j.blindUpdates.defer");

  /**
   * Switches blind updates between eager (default) and deferred to commit, for transactions'
   * updates from now on (an experiment switch; a pending delta is applied either way).
   */
  public static void deferBlindUpdates(boolean defer) {
    deferBlind = defer;
  }

  public static void addInt(Object holder, int field, VarHandle vh, int delta, Txn tx) {
    if (deferBlind && !hasOwnRecord(holder)) { // an object's own record: applied eagerly
      blindField(holder, field, vh, delta, tx);
      return;
    }
    int old;
    if (FieldLocks.lockField(holder, field, tx)) {
      old = (int) vh.get(holder);
      tx.undo.add(UndoLog.FIELD, holder, vh, null, old, -1);
    } else {
      old = (int) vh.get(holder);
    }
    vh.set(holder, old + delta);
  }

  public static void addLong(Object holder, int field, VarHandle vh, long delta, Txn tx) {
    if (deferBlind && !hasOwnRecord(holder)) { // an object's own record: applied eagerly
      blindField(holder, field, vh, delta, tx);
      return;
    }
    long old;
    if (FieldLocks.lockField(holder, field, tx)) {
      old = (long) vh.get(holder);
      tx.undo.add(UndoLog.FIELD, holder, vh, null, old, -1);
    } else {
      old = (long) vh.get(holder);
    }
    vh.set(holder, old + delta);
  }

  public static void addFloat(Object holder, int field, VarHandle vh, float delta, Txn tx) {
    if (deferBlind && !hasOwnRecord(holder)) { // an object's own record: applied eagerly
      blindField(holder, field, vh, Float.floatToRawIntBits(delta), tx);
      return;
    }
    float old;
    if (FieldLocks.lockField(holder, field, tx)) {
      old = (float) vh.get(holder);
      tx.undo.add(UndoLog.FIELD, holder, vh, null, Float.floatToRawIntBits(old), -1);
    } else {
      old = (float) vh.get(holder);
    }
    vh.set(holder, old + delta);
  }

  public static void addDouble(Object holder, int field, VarHandle vh, double delta, Txn tx) {
    if (deferBlind && !hasOwnRecord(holder)) { // an object's own record: applied eagerly
      blindField(holder, field, vh, Double.doubleToRawLongBits(delta), tx);
      return;
    }
    double old;
    if (FieldLocks.lockField(holder, field, tx)) {
      old = (double) vh.get(holder);
      tx.undo.add(UndoLog.FIELD, holder, vh, null, Double.doubleToRawLongBits(old), -1);
    } else {
      old = (double) vh.get(holder);
    }
    vh.set(holder, old + delta);
  }

  public static void addStaticInt(Class<?> owner, int field, VarHandle vh, int delta, Txn tx) {
    if (deferBlind) {
      blind(BlindUpdates.STATIC, owner, vh, -1, Orecs.Table.index(owner, field), delta, tx);
      return;
    }
    FieldLocks.lockStatic(owner, field, tx);
    int old = (int) vh.get();
    tx.undo.add(UndoLog.STATIC, owner, vh, null, old, -1);
    vh.set(old + delta);
  }

  public static void addStaticLong(Class<?> owner, int field, VarHandle vh, long delta, Txn tx) {
    if (deferBlind) {
      blind(BlindUpdates.STATIC, owner, vh, -1, Orecs.Table.index(owner, field), delta, tx);
      return;
    }
    FieldLocks.lockStatic(owner, field, tx);
    long old = (long) vh.get();
    tx.undo.add(UndoLog.STATIC, owner, vh, null, old, -1);
    vh.set(old + delta);
  }

  public static void addStaticFloat(Class<?> owner, int field, VarHandle vh, float delta, Txn tx) {
    if (deferBlind) {
      blind(BlindUpdates.STATIC, owner, vh, -1, Orecs.Table.index(owner, field),
          Float.floatToRawIntBits(delta), tx);
      return;
    }
    FieldLocks.lockStatic(owner, field, tx);
    float old = (float) vh.get();
    tx.undo.add(UndoLog.STATIC, owner, vh, null, Float.floatToRawIntBits(old), -1);
    vh.set(old + delta);
  }

  public static void addStaticDouble(Class<?> owner, int field, VarHandle vh, double delta, Txn tx) {
    if (deferBlind) {
      blind(BlindUpdates.STATIC, owner, vh, -1, Orecs.Table.index(owner, field),
          Double.doubleToRawLongBits(delta), tx);
      return;
    }
    FieldLocks.lockStatic(owner, field, tx);
    double old = (double) vh.get();
    tx.undo.add(UndoLog.STATIC, owner, vh, null, Double.doubleToRawLongBits(old), -1);
    vh.set(old + delta);
  }

  /**
   * The null and index checks of the target of a blind element add whose operand may throw,
   * made before the operand (JLS 15.26.2: a compound assignment to an array element checks the
   * array and the index before it evaluates the right-hand side). The load is plain and its value
   * unused: only its exceptions matter, the program's own ones.
   */
  public static void checkElement(int[] array, int index, Txn tx) {
    int unused = array[index];
  }

  public static void checkElement(long[] array, int index, Txn tx) {
    long unused = array[index];
  }

  public static void checkElement(float[] array, int index, Txn tx) {
    float unused = array[index];
  }

  public static void checkElement(double[] array, int index, Txn tx) {
    double unused = array[index];
  }

  public static void addElement(int[] array, int index, int delta, Txn tx) {
    int old = array[index]; // NullPointerException / bounds here, where the program has them
    if (ElementBarriers.lock(array, index, tx)) {
      old = array[index]; // under our lock now
      ElementBarriers.logOld(array, index, old, tx);
    }
    array[index] = old + delta;
  }

  public static void addElement(long[] array, int index, long delta, Txn tx) {
    long old = array[index];
    if (ElementBarriers.lock(array, index, tx)) {
      old = array[index];
      ElementBarriers.logOld(array, index, old, tx);
    }
    array[index] = old + delta;
  }

  public static void addElement(float[] array, int index, float delta, Txn tx) {
    float old = array[index];
    if (ElementBarriers.lock(array, index, tx)) {
      old = array[index];
      ElementBarriers.logOld(array, index, Float.floatToRawIntBits(old), tx);
    }
    array[index] = old + delta;
  }

  public static void addElement(double[] array, int index, double delta, Txn tx) {
    double old = array[index];
    if (ElementBarriers.lock(array, index, tx)) {
      old = array[index];
      ElementBarriers.logOld(array, index, Double.doubleToRawLongBits(old), tx);
    }
    array[index] = old + delta;
  }

  /**
   * A blind element add held to commit (issue 14, session 12): the delta goes into the attempt's
   * accumulator ({@link BlindUpdates}) and is added at commit under the element's lock, so the
   * site costs the target's checks and a few stores, and two attempts adding into one element
   * hold its word only while committing. Applied now instead, as {@link #addElement}, where
   * holding is not safe or not cheaper ({@link #heldStripe}).
   */
  public static void addElementHeld(int[] array, int index, int delta, Txn tx) {
    int old = array[index]; // NullPointerException / bounds here, where the program has them
    int s = heldStripe(array, tx);
    if (s >= 0) {
      tx.blind.addElement(array, index, s, delta, tx);
    } else {
      addElement(array, index, delta, tx);
    }
  }

  public static void addElementHeld(long[] array, int index, long delta, Txn tx) {
    long old = array[index];
    int s = heldStripe(array, tx);
    if (s >= 0) {
      tx.blind.addElement(array, index, s, delta, tx);
    } else {
      addElement(array, index, delta, tx);
    }
  }

  public static void addElementHeld(float[] array, int index, float delta, Txn tx) {
    float old = array[index];
    int s = heldStripe(array, tx);
    if (s >= 0) {
      tx.blind.addElement(array, index, s, Float.floatToRawIntBits(delta), tx);
    } else {
      addElement(array, index, delta, tx);
    }
  }

  public static void addElementHeld(double[] array, int index, double delta, Txn tx) {
    double old = array[index];
    int s = heldStripe(array, tx);
    if (s >= 0) {
      tx.blind.addElement(array, index, s, Double.doubleToRawLongBits(delta), tx);
    } else {
      addElement(array, index, delta, tx);
    }
  }

  /**
   * The stripe of {@code array} if an add into it may be held to commit, else -1. Held only into
   * a stripe written and ready that no turner holds, by an attempt that is logged and not
   * inevitable, into an array it did not allocate. Why each:
   * <ul>
   *   <li>every later access of the attempt to the element must see the delta, and the engine
   *       applies it first only on the paths of a written stripe ({@code ElementBarriers.readWords}
   *       and {@code lock}). A stripe this attempt read unchecked stays unchecked for it (a site's
   *       hoisted check keeps the array) unless the attempt turned it itself: then it holds the
   *       stripe word, so a free stripe word means no kept check covers the array;
   *   <li>a fresh array is read and written with no barrier at all: the add is a plain one;
   *   <li>the inevitable transaction must not meet a lock it cannot take at commit, and an
   *       unlogged attempt must restart logged before it writes (its first lock does that).
   * </ul>
   */
  private static int heldStripe(Object array, Txn tx) {
    if (tx.inevitable || tx.unlogged || (tx.freshArrays && tx.fresh.contains(array))) {
      return -1;
    }
    int s = ArrayStripes.of(array);
    ArrayRecords r = ArrayStripes.records(s);
    if (r.words() == null || !r.ready || Orecs.isLocked((long) TxCell.META.getAcquire((TxCell) r))) {
      return -1;
    }
    return s;
  }

  private static boolean hasOwnRecord(Object holder) {
    return holder instanceof TxObject || (holder != null && JdkWords.has(holder.getClass()));
  }

  private static void blindField(Object holder, int field, VarHandle vh, long delta, Txn tx) {
    if (holder == null) {
      throw new NullPointerException("cannot update a field of null");
    }
    blind(BlindUpdates.FIELD, holder, vh, -1, Orecs.Table.index(holder, field), delta, tx);
  }

  private static void blind(byte kind, Object holder, VarHandle vh, int element, int orec, long delta, Txn tx) {
    if (tx.fresh.contains(holder)) {
      BlindUpdates.applyLocked(kind, holder, vh, element, delta, tx);
      return;
    }
    long word = (long) Orecs.TABLE.getAcquire(Orecs.Table.WORDS, orec);
    if (tx.inevitable || word == tx.lockWord) {
      tx.acquire(null, orec, true); // ours already, or the inevitable transaction's: apply now
      BlindUpdates.applyLocked(kind, holder, vh, element, delta, tx);
    } else {
      tx.blind.add(kind, holder, vh, element, orec, delta, tx);
    }
  }
}
