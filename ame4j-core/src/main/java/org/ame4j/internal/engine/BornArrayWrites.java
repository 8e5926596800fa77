package org.ame4j.internal.engine;

/**
 * Element stores with a hoisted check of born arrays: the agent gives an element store inside a
 * loop of a twin a local of its own ({@code born}, null at the twin's start), and the site stores
 * what the barrier returns back into it. The barrier returns the array when the running attempt
 * allocated it at its running nesting level ({@link ElementBarriers#lock} answers "nothing to
 * lock, nothing to log"), so the site's next store into that same array costs one reference
 * compare and the plain store: no capture-set lookup, no lock, no undo entry. A store into any
 * other array is the ordinary element write ({@link FieldWrites}), and leaves {@code born} as it
 * was.
 *
 * <p><b>Why it is safe.</b> A born array is unreachable by other transactions until the attempt
 * commits (it can only be published through a location the attempt locks), and if the attempt
 * aborts it is garbage; a store into it needs an undo entry only for a nested block that may fail
 * alone, and only if the array was allocated before the block began. A twin invocation lies
 * inside one attempt (an attempt ends in the engine, after every twin frame of it has returned or
 * thrown) and inside one nesting level: a nested block is entered and left by the engine around a
 * call ({@code Atomically.nested}), so a frame that found the array born at its level keeps that
 * level until it returns. What is not guaranteed: nothing is hoisted across invocations, and a
 * written shared array is never kept (its elements are locked one by one).
 *
 * <p>Off with {@code -Dame4j.hoistedStores=false} (the agent then emits {@link FieldWrites}' plain
 * element writes; the java.base patch key includes the setting).
 */
public final class BornArrayWrites {
  private BornArrayWrites() {}

  /**
   * {@code bastore} serves both {@code byte[]} and {@code boolean[]}, and the transformer does not
   * track operand types: the array kind is decided here (JVMS §6.5 bastore: a boolean array stores
   * {@code value & 1}).
   */
  public static Object writeByteOrBooleanAt(Object array, int index, int value, Object born, Txn tx) {
    if (array instanceof byte[] bytes) {
      return writeElementAt(bytes, index, (byte) value, born, tx);
    }
    return writeElementAt((boolean[]) array, index, (value & 1) != 0, born, tx);
  }

  public static Object writeElementAt(int[] array, int index, int value, Object born, Txn tx) {
    if (array != born) {
      if (ElementBarriers.HOLD_WRITES && index >= 0 && array != null && index < array.length
          && ElementBarriers.hold(array, index, value, tx)) {
        return born; // held until commit (HeldElementWrites)
      }
      if (ElementBarriers.lock(array, index, tx)) {
        ElementBarriers.logOld(array, index, (long) array[index], tx);
      } else {
        born = array; // born at the running level (or null: the store below throws)
      }
    }
    array[index] = value;
    return born;
  }

  public static Object writeElementAt(long[] array, int index, long value, Object born, Txn tx) {
    if (array != born) {
      if (ElementBarriers.HOLD_WRITES && index >= 0 && array != null && index < array.length
          && ElementBarriers.hold(array, index, value, tx)) {
        return born; // held until commit (HeldElementWrites)
      }
      if (ElementBarriers.lock(array, index, tx)) {
        ElementBarriers.logOld(array, index, array[index], tx);
      } else {
        born = array; // born at the running level (or null: the store below throws)
      }
    }
    array[index] = value;
    return born;
  }

  public static Object writeElementAt(float[] array, int index, float value, Object born, Txn tx) {
    if (array != born) {
      if (ElementBarriers.HOLD_WRITES && index >= 0 && array != null && index < array.length
          && ElementBarriers.hold(array, index, Float.floatToRawIntBits(value), tx)) {
        return born; // held until commit (HeldElementWrites)
      }
      if (ElementBarriers.lock(array, index, tx)) {
        ElementBarriers.logOld(array, index, (long) Float.floatToRawIntBits(array[index]), tx);
      } else {
        born = array; // born at the running level (or null: the store below throws)
      }
    }
    array[index] = value;
    return born;
  }

  public static Object writeElementAt(double[] array, int index, double value, Object born, Txn tx) {
    if (array != born) {
      if (ElementBarriers.HOLD_WRITES && index >= 0 && array != null && index < array.length
          && ElementBarriers.hold(array, index, Double.doubleToRawLongBits(value), tx)) {
        return born; // held until commit (HeldElementWrites)
      }
      if (ElementBarriers.lock(array, index, tx)) {
        ElementBarriers.logOld(array, index, Double.doubleToRawLongBits(array[index]), tx);
      } else {
        born = array; // born at the running level (or null: the store below throws)
      }
    }
    array[index] = value;
    return born;
  }

  public static Object writeElementAt(boolean[] array, int index, boolean value, Object born, Txn tx) {
    if (array != born) {
      if (ElementBarriers.HOLD_WRITES && index >= 0 && array != null && index < array.length
          && ElementBarriers.hold(array, index, value ? 1L : 0L, tx)) {
        return born; // held until commit (HeldElementWrites)
      }
      if (ElementBarriers.lock(array, index, tx)) {
        ElementBarriers.logOld(array, index, (array[index] ? 1L : 0L), tx);
      } else {
        born = array; // born at the running level (or null: the store below throws)
      }
    }
    array[index] = value;
    return born;
  }

  public static Object writeElementAt(byte[] array, int index, byte value, Object born, Txn tx) {
    if (array != born) {
      if (ElementBarriers.HOLD_WRITES && index >= 0 && array != null && index < array.length
          && ElementBarriers.hold(array, index, value, tx)) {
        return born; // held until commit (HeldElementWrites)
      }
      if (ElementBarriers.lock(array, index, tx)) {
        ElementBarriers.logOld(array, index, (long) array[index], tx);
      } else {
        born = array; // born at the running level (or null: the store below throws)
      }
    }
    array[index] = value;
    return born;
  }

  public static Object writeElementAt(short[] array, int index, short value, Object born, Txn tx) {
    if (array != born) {
      if (ElementBarriers.HOLD_WRITES && index >= 0 && array != null && index < array.length
          && ElementBarriers.hold(array, index, value, tx)) {
        return born; // held until commit (HeldElementWrites)
      }
      if (ElementBarriers.lock(array, index, tx)) {
        ElementBarriers.logOld(array, index, (long) array[index], tx);
      } else {
        born = array; // born at the running level (or null: the store below throws)
      }
    }
    array[index] = value;
    return born;
  }

  public static Object writeElementAt(char[] array, int index, char value, Object born, Txn tx) {
    if (array != born) {
      if (ElementBarriers.HOLD_WRITES && index >= 0 && array != null && index < array.length
          && ElementBarriers.hold(array, index, value, tx)) {
        return born; // held until commit (HeldElementWrites)
      }
      if (ElementBarriers.lock(array, index, tx)) {
        ElementBarriers.logOld(array, index, (long) array[index], tx);
      } else {
        born = array; // born at the running level (or null: the store below throws)
      }
    }
    array[index] = value;
    return born;
  }

  public static Object writeElementAt(Object[] array, int index, Object value, Object born, Txn tx) {
    if (array != born) {
      if (ElementBarriers.lock(array, index, tx)) {
        tx.undo.add(UndoLog.ARRAY, array, null, array[index], 0, index);
      } else {
        born = array; // born at the running level (or null: the store below throws)
      }
    }
    array[index] = value;
    return born;
  }
}
