package org.ame4j.internal.agent.rt;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteOrder;
import org.ame4j.internal.engine.FieldBarriers;
import org.ame4j.internal.engine.FieldWrites;
import org.ame4j.internal.engine.Txn;

/**
 * Transactional stand-ins for the few {@code Unsafe} array accesses that patched JDK code makes
 * inside twins:
 *
 * <ul>
 *   <li>writes (JDK 21+'s {@code DecimalDigits}, behind {@code StringBuilder.append(int)}): a
 *       write to a {@code byte[]} at {@code base + index} is the element write barrier on that
 *       index (two of them for a {@code char});</li>
 *   <li>{@code ArraysSupport.vectorizedMismatch}, which compares two primitive arrays eight bytes
 *       at a time through {@code Unsafe.getLongUnaligned} (behind {@code Arrays.equals},
 *       {@code mismatch} and {@code compare} of primitive arrays, and {@code ArraysSupport.mismatch}):
 *       element by element through the read barriers instead, with the same contract (the index
 *       of the first pair that differs bit for bit, else {@code ~0}: no tail left to check).</li>
 * </ul>
 *
 * Anything else (another array type, an object field, an off-heap address, offsets that are not
 * whole elements) makes the transaction inevitable and then does the original access.
 *
 * <p>Needs {@code jdk.internal.misc} and {@code jdk.internal.util} exported to the agent, which
 * the agent arranges when the java.base patch is in use (the only case in which patched code,
 * the only caller, exists).
 */
public final class JdkUnsafe {
  private JdkUnsafe() {}

  /** Resolved on first use: only patched JDK twins call this class. */
  private static final class Unsafe {
    static final Class<?> CLASS;
    static final long BYTE_BASE;
    static final MethodHandle PUT_BYTE;
    static final MethodHandle PUT_CHAR_UNALIGNED;
    static final MethodHandle PUT_CHAR_UNALIGNED_ENDIAN;
    static final MethodHandle VECTORIZED_MISMATCH;
    static final ClassValue<Long> BASE = new ClassValue<>() {
      @Override
      protected Long computeValue(Class<?> arrayClass) {
        String name = "ARRAY_" + arrayClass.componentType().getName().toUpperCase(java.util.Locale.ROOT) + "_BASE_OFFSET";
        try {
          return ((Number) CLASS.getField(name).get(null)).longValue();
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException("jdk.internal.misc.Unsafe." + name + ": " + e, e);
        }
      }
    };

    static {
      try {
        CLASS = Class.forName("jdk.internal.misc.Unsafe");
        // an int on JDK 17, a long since JDK 23
        BYTE_BASE = ((Number) CLASS.getField("ARRAY_BYTE_BASE_OFFSET").get(null)).longValue();
        MethodHandles.Lookup l = MethodHandles.lookup();
        PUT_BYTE = l.findVirtual(CLASS, "putByte", MethodType.methodType(void.class, Object.class, long.class, byte.class));
        PUT_CHAR_UNALIGNED = l.findVirtual(CLASS, "putCharUnaligned",
            MethodType.methodType(void.class, Object.class, long.class, char.class));
        PUT_CHAR_UNALIGNED_ENDIAN = l.findVirtual(CLASS, "putCharUnaligned",
            MethodType.methodType(void.class, Object.class, long.class, char.class, boolean.class));
        VECTORIZED_MISMATCH = l.findStatic(Class.forName("jdk.internal.util.ArraysSupport"), "vectorizedMismatch",
            MethodType.methodType(int.class, Object.class, long.class, Object.class, long.class, int.class, int.class));
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }
  }

  public static void putByte(Object unsafe, Object o, long offset, byte x, Txn tx) throws Throwable {
    if (o instanceof byte[] a) {
      FieldWrites.writeElement(a, index(offset), x, tx);
      return;
    }
    tx.runUntracked("jdk.internal.misc.Unsafe.putByte (not a byte[])");
    Unsafe.PUT_BYTE.invoke(unsafe, o, offset, x);
  }

  public static void putCharUnaligned(Object unsafe, Object o, long offset, char x, Txn tx) throws Throwable {
    if (o instanceof byte[] a) {
      putChar(a, index(offset), x, ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN, tx);
      return;
    }
    tx.runUntracked("jdk.internal.misc.Unsafe.putCharUnaligned (not a byte[])");
    Unsafe.PUT_CHAR_UNALIGNED.invoke(unsafe, o, offset, x);
  }

  public static void putCharUnaligned(Object unsafe, Object o, long offset, char x, boolean bigEndian, Txn tx)
      throws Throwable {
    if (o instanceof byte[] a) {
      putChar(a, index(offset), x, bigEndian, tx);
      return;
    }
    tx.runUntracked("jdk.internal.misc.Unsafe.putCharUnaligned (not a byte[])");
    Unsafe.PUT_CHAR_UNALIGNED_ENDIAN.invoke(unsafe, o, offset, x, bigEndian);
  }

  /** {@code ArraysSupport.vectorizedMismatch}: see the class comment. */
  public static int vectorizedMismatch(Object a, long aOffset, Object b, long bOffset, int length,
      int log2ArrayIndexScale, Txn tx) throws Throwable {
    Class<?> type = a == null ? null : a.getClass();
    if (type != null && b != null && b.getClass() == type && type.isArray() && type.componentType().isPrimitive()
        && log2ArrayIndexScale == log2Scale(type.componentType())) {
      long base = Unsafe.BASE.get(type);
      long scale = 1L << log2ArrayIndexScale;
      long ai = aOffset - base;
      long bi = bOffset - base;
      if (ai >= 0 && bi >= 0 && ai % scale == 0 && bi % scale == 0) {
        return mismatch(a, (int) (ai >> log2ArrayIndexScale), b, (int) (bi >> log2ArrayIndexScale), length, tx);
      }
    }
    tx.runUntracked("jdk.internal.util.ArraysSupport.vectorizedMismatch (not whole elements of two arrays of one primitive type)");
    return (int) Unsafe.VECTORIZED_MISMATCH.invokeExact(a, aOffset, b, bOffset, length, log2ArrayIndexScale);
  }

  private static int log2Scale(Class<?> primitive) {
    if (primitive == long.class || primitive == double.class) {
      return 3;
    }
    if (primitive == int.class || primitive == float.class) {
      return 2;
    }
    return primitive == char.class || primitive == short.class ? 1 : 0;
  }

  /** The first {@code k < length} where the elements differ bit for bit, else {@code ~0}. */
  private static int mismatch(Object a, int i, Object b, int j, int length, Txn tx) {
    for (int k = 0; k < length; k++) {
      if (bits(a, i + k, tx) != bits(b, j + k, tx)) {
        return k;
      }
    }
    return ~0;
  }

  /** Element {@code i} of primitive array {@code a}, read through the barriers, as raw bits. */
  private static long bits(Object a, int i, Txn tx) {
    FieldBarriers.beforeReadElement(a, i, tx);
    long v;
    if (a instanceof int[] x) {
      v = x[i];
    } else if (a instanceof long[] x) {
      v = x[i];
    } else if (a instanceof byte[] x) {
      v = x[i];
    } else if (a instanceof char[] x) {
      v = x[i];
    } else if (a instanceof short[] x) {
      v = x[i];
    } else if (a instanceof double[] x) {
      v = Double.doubleToRawLongBits(x[i]);
    } else if (a instanceof float[] x) {
      v = Float.floatToRawIntBits(x[i]);
    } else {
      v = ((boolean[]) a)[i] ? 1 : 0;
    }
    FieldBarriers.afterReadElement(tx);
    return v;
  }

  private static void putChar(byte[] a, int i, char x, boolean bigEndian, Txn tx) {
    byte hi = (byte) (x >>> 8);
    byte lo = (byte) x;
    FieldWrites.writeElement(a, i, bigEndian ? hi : lo, tx);
    FieldWrites.writeElement(a, i + 1, bigEndian ? lo : hi, tx);
  }

  /** The element index of a {@code byte[]} offset; out of range throws as an array store would. */
  private static int index(long offset) {
    long i = offset - Unsafe.BYTE_BASE;
    if (i < 0 || i > Integer.MAX_VALUE) {
      throw new ArrayIndexOutOfBoundsException("Unsafe offset " + offset + " is not an element of a byte[]");
    }
    return (int) i;
  }
}
