package org.ame4j.internal.engine;

import java.lang.invoke.VarHandle;

/**
 * The per-site barriers of instance fields: small enough for the JIT to inline into every site,
 * while the site itself keeps the field access.
 *
 * <pre>
 * A read:   [obj] dup; astore o; ldc id; aload tx; openRead(Object,int,Txn)J; lstore w;
 *                 aload o; getfield C.f; aload o; lload w; aload tx; closeRead(Object,long,Txn)V
 * A write:  [obj, v] xstore t; dup; dup; dup; ldc id; aload tx; openWrite(Object,int,Txn)Z;
 *                 swap; getfield C.f; ldc VH; aload tx; logX(Object,boolean,X,VarHandle,Txn)V;
 *                 xload t; putfield C.f
 * </pre>
 *
 * The field access stays a {@code getfield}/{@code putfield} at the site and the barriers never
 * invoke the {@link VarHandle} (the undo log only keeps it for rollback), so each barrier is a few
 * dozen bytes of bytecode that C2 inlines into every site, with the slow paths out of line in
 * {@link Txn}. The object's word ({@link TxObject}) is read next to its header; other holders use
 * the striped table through {@link FieldBarriers}' table path.
 *
 * <p>Guarantees the same as that bracket: a read whose {@code closeRead} returned saw a value
 * that was current when it was logged; a write's old value is logged under the record's lock
 * before the site stores. Does not guarantee anything about a value loaded between an
 * {@code openRead} and a {@code closeRead} that throws: the site never uses it.
 */
public final class SiteBarriers {
  private SiteBarriers() {}

  /** {@link #openRead} result: a table read is pending in the descriptor (see {@link FieldBarriers#afterRead}). */
  private static final long TABLE = -3L;

  /**
   * Opens a field of {@code holder} for reading: the word to check after the load, or a marker
   * (odd, so never a real unlocked word) meaning nothing to check, or a table read pending.
   */
  public static long openRead(Object holder, int field, Txn tx) {
    if (holder instanceof TxObject o) {
      return FieldBarriers.openObjectRead(o, tx);
    }
    FieldBarriers.beforeRead(holder, field, tx);
    return TABLE;
  }

  /**
   * {@link #openRead} at a site whose field's class is known (at instrumentation time, from its
   * whole superclass chain) not to carry the java.base patch's record field: no {@link JdkWords}
   * probe. Sound because the field is declared only by classes extending {@code Object}
   * directly, so a class has it exactly when the top of its chain does, as all its subclasses.
   */
  public static long openReadNoRecord(Object holder, int field, Txn tx) {
    if (holder instanceof TxObject o) {
      return FieldBarriers.openObjectRead(o, tx);
    }
    FieldBarriers.beforeReadShared(holder, field, tx);
    return TABLE;
  }

  /**
   * {@link #openRead} at a read-for-write site ({@link RecordBarriers#openReadForWrite}): the
   * holder is opened for writing, and the read needs no check ({@link Txn#OWN}).
   */
  public static long openReadForWrite(Object holder, int field, Txn tx) {
    if (!RecordBarriers.READ_FOR_WRITE) {
      return openRead(holder, field, tx);
    }
    openWrite(holder, field, tx);
    return Txn.OWN;
  }

  /** Closes a read opened by {@link #openRead}: aborts if the word changed meanwhile. */
  public static void closeRead(Object holder, long word, Txn tx) {
    if ((word & 1L) == 0) {
      FieldBarriers.closeObjectRead((TxObject) holder, word, tx);
    } else if (word == TABLE) {
      FieldBarriers.afterRead(tx);
    }
  }

  /**
   * Opens a field of {@code holder} for writing: locks its record (the object's word, or the
   * table's) unless already ours. Returns whether the old value must be logged: false for an
   * object this attempt allocated.
   */
  public static boolean openWrite(Object holder, int field, Txn tx) {
    if (holder instanceof TxObject o) {
      return FieldLocks.openObjectWrite(o, tx);
    }
    return FieldLocks.lockField(holder, field, tx);
  }

  /** {@link #openWrite} at a site known not to see the patch's record field ({@link #openReadNoRecord}). */
  public static boolean openWriteNoRecord(Object holder, int field, Txn tx) {
    if (holder instanceof TxObject o) {
      return FieldLocks.openObjectWrite(o, tx);
    }
    return FieldLocks.lockShared(holder, field, tx);
  }

  /** Logs the old value of an int-like field (boolean, byte, char, short, int) opened for writing. */
  public static void logInt(Object holder, boolean log, int old, VarHandle vh, Txn tx) {
    if (log) {
      tx.undo.add(UndoLog.FIELD, holder, vh, null, old, -1);
    }
  }

  public static void logLong(Object holder, boolean log, long old, VarHandle vh, Txn tx) {
    if (log) {
      tx.undo.add(UndoLog.FIELD, holder, vh, null, old, -1);
    }
  }

  public static void logFloat(Object holder, boolean log, float old, VarHandle vh, Txn tx) {
    if (log) {
      tx.undo.add(UndoLog.FIELD, holder, vh, null, Float.floatToRawIntBits(old), -1);
    }
  }

  public static void logDouble(Object holder, boolean log, double old, VarHandle vh, Txn tx) {
    if (log) {
      tx.undo.add(UndoLog.FIELD, holder, vh, null, Double.doubleToRawLongBits(old), -1);
    }
  }

  public static void logObject(Object holder, boolean log, Object old, VarHandle vh, Txn tx) {
    if (log) {
      tx.undo.add(UndoLog.FIELD, holder, vh, old, 0, -1);
    }
  }
}
