package org.ame4j.internal.engine;

import java.lang.invoke.VarHandle;

/**
 * Writes as one call each: lock the location's record ({@link FieldLocks}, or
 * {@link ElementBarriers#lock} for an element), log the old value, store. For instance fields at
 * sites without the per-site barriers ({@link SiteBarriers}), for every static field, for array
 * elements, and for the agent's runtime (array copies, {@code Unsafe} stand-ins).
 *
 * <p>The field's {@link VarHandle} (a constant at the call site, e.g. a
 * {@code ConstantBootstraps.fieldVarHandle} dynamic constant) does the access, so it folds away
 * when the barrier is inlined. Guarantees that the old value is in the undo log, under the
 * record's lock, before the new one is stored (none is logged for a location of an object the
 * attempt allocated); does not guarantee anything to code that accesses the location outside
 * transactions.
 *
 * <p>One method per type, not one generic one: a {@code VarHandle} call is signature-polymorphic,
 * so only a call site with the exact static type is the direct access that C2 folds (a generic
 * call through {@code Object} boxes and goes through the handle's generic invoker, as
 * {@link BlindUpdates#applyLocked} does at commit). Measured: {@code writeInt} through such a
 * folded method costs 80 ns per write instead of 23 (docs/benchmarks.md, "Folds of per-type
 * code").
 */
public final class FieldWrites {
  private FieldWrites() {}

  public static void writeInt(Object holder, int field, VarHandle vh, int value, Txn tx) {
    if (FieldLocks.lockField(holder, field, tx)) {
      tx.undo.add(UndoLog.FIELD, holder, vh, null, (long) (int) vh.get(holder), -1);
    }
    vh.set(holder, value);
  }

  public static void writeStaticInt(Class<?> owner, int field, VarHandle vh, int value, Txn tx) {
    FieldLocks.lockStatic(owner, field, tx);
    tx.undo.add(UndoLog.STATIC, owner, vh, null, (long) (int) vh.get(), -1);
    vh.set(value);
  }

  public static void writeElement(int[] array, int index, int value, Txn tx) {
    if (ElementBarriers.lock(array, index, tx)) {
      ElementBarriers.logOld(array, index, (long) array[index], tx);
    }
    array[index] = value;
  }

  public static void writeLong(Object holder, int field, VarHandle vh, long value, Txn tx) {
    if (FieldLocks.lockField(holder, field, tx)) {
      tx.undo.add(UndoLog.FIELD, holder, vh, null, (long) vh.get(holder), -1);
    }
    vh.set(holder, value);
  }

  public static void writeStaticLong(Class<?> owner, int field, VarHandle vh, long value, Txn tx) {
    FieldLocks.lockStatic(owner, field, tx);
    tx.undo.add(UndoLog.STATIC, owner, vh, null, (long) vh.get(), -1);
    vh.set(value);
  }

  public static void writeElement(long[] array, int index, long value, Txn tx) {
    if (ElementBarriers.lock(array, index, tx)) {
      ElementBarriers.logOld(array, index, array[index], tx);
    }
    array[index] = value;
  }

  public static void writeFloat(Object holder, int field, VarHandle vh, float value, Txn tx) {
    if (FieldLocks.lockField(holder, field, tx)) {
      tx.undo.add(UndoLog.FIELD, holder, vh, null, (long) Float.floatToRawIntBits((float) vh.get(holder)), -1);
    }
    vh.set(holder, value);
  }

  public static void writeStaticFloat(Class<?> owner, int field, VarHandle vh, float value, Txn tx) {
    FieldLocks.lockStatic(owner, field, tx);
    tx.undo.add(UndoLog.STATIC, owner, vh, null, (long) Float.floatToRawIntBits((float) vh.get()), -1);
    vh.set(value);
  }

  public static void writeElement(float[] array, int index, float value, Txn tx) {
    if (ElementBarriers.lock(array, index, tx)) {
      ElementBarriers.logOld(array, index, (long) Float.floatToRawIntBits(array[index]), tx);
    }
    array[index] = value;
  }

  public static void writeDouble(Object holder, int field, VarHandle vh, double value, Txn tx) {
    if (FieldLocks.lockField(holder, field, tx)) {
      tx.undo.add(UndoLog.FIELD, holder, vh, null, Double.doubleToRawLongBits((double) vh.get(holder)), -1);
    }
    vh.set(holder, value);
  }

  public static void writeStaticDouble(Class<?> owner, int field, VarHandle vh, double value, Txn tx) {
    FieldLocks.lockStatic(owner, field, tx);
    tx.undo.add(UndoLog.STATIC, owner, vh, null, Double.doubleToRawLongBits((double) vh.get()), -1);
    vh.set(value);
  }

  public static void writeElement(double[] array, int index, double value, Txn tx) {
    if (ElementBarriers.lock(array, index, tx)) {
      ElementBarriers.logOld(array, index, Double.doubleToRawLongBits(array[index]), tx);
    }
    array[index] = value;
  }

  public static void writeBoolean(Object holder, int field, VarHandle vh, boolean value, Txn tx) {
    if (FieldLocks.lockField(holder, field, tx)) {
      tx.undo.add(UndoLog.FIELD, holder, vh, null, ((boolean) vh.get(holder) ? 1L : 0L), -1);
    }
    vh.set(holder, value);
  }

  public static void writeStaticBoolean(Class<?> owner, int field, VarHandle vh, boolean value, Txn tx) {
    FieldLocks.lockStatic(owner, field, tx);
    tx.undo.add(UndoLog.STATIC, owner, vh, null, ((boolean) vh.get() ? 1L : 0L), -1);
    vh.set(value);
  }

  public static void writeElement(boolean[] array, int index, boolean value, Txn tx) {
    if (ElementBarriers.HOLD_WRITES && array != null && index >= 0 && index < array.length
        && ElementBarriers.hold(array, index, value ? 1L : 0L, tx)) {
      return;
    }
    if (ElementBarriers.lock(array, index, tx)) {
      ElementBarriers.logOld(array, index, (array[index] ? 1L : 0L), tx);
    }
    array[index] = value;
  }

  public static void writeByte(Object holder, int field, VarHandle vh, byte value, Txn tx) {
    if (FieldLocks.lockField(holder, field, tx)) {
      tx.undo.add(UndoLog.FIELD, holder, vh, null, (long) (byte) vh.get(holder), -1);
    }
    vh.set(holder, value);
  }

  public static void writeStaticByte(Class<?> owner, int field, VarHandle vh, byte value, Txn tx) {
    FieldLocks.lockStatic(owner, field, tx);
    tx.undo.add(UndoLog.STATIC, owner, vh, null, (long) (byte) vh.get(), -1);
    vh.set(value);
  }

  public static void writeElement(byte[] array, int index, byte value, Txn tx) {
    if (ElementBarriers.HOLD_WRITES && array != null && index >= 0 && index < array.length
        && ElementBarriers.hold(array, index, value, tx)) {
      return;
    }
    if (ElementBarriers.lock(array, index, tx)) {
      ElementBarriers.logOld(array, index, (long) array[index], tx);
    }
    array[index] = value;
  }

  public static void writeShort(Object holder, int field, VarHandle vh, short value, Txn tx) {
    if (FieldLocks.lockField(holder, field, tx)) {
      tx.undo.add(UndoLog.FIELD, holder, vh, null, (long) (short) vh.get(holder), -1);
    }
    vh.set(holder, value);
  }

  public static void writeStaticShort(Class<?> owner, int field, VarHandle vh, short value, Txn tx) {
    FieldLocks.lockStatic(owner, field, tx);
    tx.undo.add(UndoLog.STATIC, owner, vh, null, (long) (short) vh.get(), -1);
    vh.set(value);
  }

  public static void writeElement(short[] array, int index, short value, Txn tx) {
    if (ElementBarriers.lock(array, index, tx)) {
      ElementBarriers.logOld(array, index, (long) array[index], tx);
    }
    array[index] = value;
  }

  public static void writeChar(Object holder, int field, VarHandle vh, char value, Txn tx) {
    if (FieldLocks.lockField(holder, field, tx)) {
      tx.undo.add(UndoLog.FIELD, holder, vh, null, (long) (char) vh.get(holder), -1);
    }
    vh.set(holder, value);
  }

  public static void writeStaticChar(Class<?> owner, int field, VarHandle vh, char value, Txn tx) {
    FieldLocks.lockStatic(owner, field, tx);
    tx.undo.add(UndoLog.STATIC, owner, vh, null, (long) (char) vh.get(), -1);
    vh.set(value);
  }

  public static void writeElement(char[] array, int index, char value, Txn tx) {
    if (ElementBarriers.lock(array, index, tx)) {
      ElementBarriers.logOld(array, index, (long) array[index], tx);
    }
    array[index] = value;
  }

  public static void writeObject(Object holder, int field, VarHandle vh, Object value, Txn tx) {
    if (FieldLocks.lockField(holder, field, tx)) {
      tx.undo.add(UndoLog.FIELD, holder, vh, vh.get(holder), 0, -1);
    }
    vh.set(holder, value);
  }

  public static void writeStaticObject(Class<?> owner, int field, VarHandle vh, Object value, Txn tx) {
    FieldLocks.lockStatic(owner, field, tx);
    tx.undo.add(UndoLog.STATIC, owner, vh, vh.get(), 0, -1);
    vh.set(value);
  }

  public static void writeElement(Object[] array, int index, Object value, Txn tx) {
    if (ElementBarriers.lock(array, index, tx)) {
      tx.undo.add(UndoLog.ARRAY, array, null, array[index], 0, index);
    }
    array[index] = value;
  }
}
