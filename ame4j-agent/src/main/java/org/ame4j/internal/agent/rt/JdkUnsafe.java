package org.ame4j.internal.agent.rt;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteOrder;
import org.ame4j.internal.engine.FieldBarriers;
import org.ame4j.internal.engine.Txn;

/**
 * Transactional stand-ins for the few {@code jdk.internal.misc.Unsafe} array writes that patched
 * JDK code makes inside twins (JDK 21+'s {@code DecimalDigits}, behind
 * {@code StringBuilder.append(int)}): a write to a {@code byte[]} at {@code base + index} is the
 * element write barrier on that index (two of them for a {@code char}). Anything else (another
 * array type, an object field) makes the transaction inevitable and then does the original write.
 *
 * <p>Needs {@code jdk.internal.misc} exported to the agent, which the agent arranges when the
 * java.base patch is in use (the only case in which patched code, the only caller, exists).
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
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }
  }

  public static void putByte(Object unsafe, Object o, long offset, byte x, Txn tx) throws Throwable {
    if (o instanceof byte[] a) {
      FieldBarriers.writeElement(a, index(offset), x, tx);
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

  private static void putChar(byte[] a, int i, char x, boolean bigEndian, Txn tx) {
    byte hi = (byte) (x >>> 8);
    byte lo = (byte) x;
    FieldBarriers.writeElement(a, i, bigEndian ? hi : lo, tx);
    FieldBarriers.writeElement(a, i + 1, bigEndian ? lo : hi, tx);
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
