package org.ame4j.internal.agent.rt;

import java.lang.reflect.Array;
import java.util.Objects;
import org.ame4j.internal.engine.FieldBarriers;
import org.ame4j.internal.engine.JdkBarriers;
import org.ame4j.internal.engine.Txn;

/**
 * {@code System.arraycopy} and array {@code clone()} element by element through the barriers.
 *
 * <p><b>Exceptions</b> follow the {@code System.arraycopy} Javadoc exactly, and are thrown by the
 * JVM itself so that class and message are the JVM's: when a check that the JVM makes before
 * copying anything fails here (null, not an array, component kinds that do not match, any index
 * or length out of bounds), the real {@code System.arraycopy} is called on <em>stand-ins</em>:
 * fresh arrays of the same classes and lengths (nulls and non-arrays passed as they are), so the
 * JVM throws the same exception without a chance of touching the user's arrays even if the two
 * checks disagreed (then the copy is refused with an {@link AssertionError}: fail loudly). The
 * cost is one allocation of the arrays' size on that error path only. A reference element that
 * the destination cannot hold stops the copy after the elements before it, which stay copied (and
 * logged, so a rollback undoes them); its exception comes from the JVM the same way, on one-element
 * stand-ins.
 *
 * <p><b>Overlap</b>: {@code src == dest} copies as if through a temporary: backwards when
 * {@code srcPos < destPos}, so every element is read before it is overwritten; a copy onto itself
 * ({@code srcPos == destPos}) changes nothing and is skipped (no reads, no locks).
 *
 * <p><b>Fast paths</b>: a source allocated by this attempt is read plainly, a destination
 * allocated by it is written plainly; both: the real {@code System.arraycopy}.
 */
final class ArrayIntrinsics {
  private ArrayIntrinsics() {}

  static void arraycopy(Object src, int srcPos, Object dest, int destPos, int length, Txn tx) {
    if (failsBeforeCopying(src, srcPos, dest, destPos, length)) {
      System.arraycopy(standIn(src), srcPos, standIn(dest), destPos, length);
      throw new AssertionError("arraycopy: the JVM accepted what the intrinsic's checks refused: "
          + src.getClass().getName() + " " + srcPos + " -> " + dest.getClass().getName() + " " + destPos
          + ", length " + length); // only reachable with two non-null arrays
    }
    if (length == 0 || (src == dest && srcPos == destPos)) {
      return;
    }
    boolean plainRead = JdkBarriers.isAllocated(src, tx);
    boolean plainWrite = src == dest ? plainRead : JdkBarriers.isAllocated(dest, tx);
    if (plainRead && plainWrite) {
      System.arraycopy(src, srcPos, dest, destPos, length);
      return;
    }
    boolean backwards = src == dest && srcPos < destPos;
    if (src instanceof Object[] s) {
      copyReferences(s, srcPos, (Object[]) dest, destPos, length, backwards, plainRead, plainWrite, tx);
    } else {
      copyPrimitives(kindOf(src), src, srcPos, dest, destPos, length, backwards, plainRead, plainWrite, tx);
    }
  }

  /** The checks of the {@code System.arraycopy} Javadoc that come before any element is copied. */
  static boolean failsBeforeCopying(Object src, int srcPos, Object dest, int destPos, int length) {
    if (src == null || dest == null) {
      return true;
    }
    Class<?> sc = src.getClass().getComponentType();
    Class<?> dc = dest.getClass().getComponentType();
    if (sc == null || dc == null) {
      return true; // not an array
    }
    if ((sc.isPrimitive() || dc.isPrimitive()) && sc != dc) {
      return true;
    }
    return srcPos < 0 || destPos < 0 || length < 0
        || (long) srcPos + length > Array.getLength(src)
        || (long) destPos + length > Array.getLength(dest);
  }

  private static Object standIn(Object o) {
    if (o == null || !o.getClass().isArray()) {
      return o;
    }
    return Array.newInstance(o.getClass().getComponentType(), Array.getLength(o));
  }

  /** Throws the JVM's own ArrayStoreException for element {@code v} of {@code src} not fitting {@code dest}. */
  private static void elementMismatch(Object[] src, Object[] dest, Object v) {
    Object[] s = (Object[]) Array.newInstance(src.getClass().getComponentType(), 1);
    s[0] = v;
    System.arraycopy(s, 0, Array.newInstance(dest.getClass().getComponentType(), 1), 0, 1);
    throw new AssertionError("arraycopy: the JVM stored " + v.getClass().getName() + " into "
        + dest.getClass().getName());
  }

  // ---- the copy loops ------------------------------------------------------------------------
  // k counts elements done; i is the offset copied at step k (descending when backwards). Each
  // element is read through the read barrier's bracket (beforeReadElement; the plain load;
  // afterReadElement) and written through the element write barrier, the entry points generated
  // code calls for xaload and xastore. References have their own loop (the element store check);
  // the eight primitive types share one, the value travelling as its raw bits in a long: load,
  // storePlain and write switch on the element kind, which is the same for every element of one
  // copy, so the branch is always predicted.

  private static void copyReferences(Object[] s, int sp, Object[] d, int dp, int n, boolean backwards,
      boolean plainRead, boolean plainWrite, Txn tx) {
    Class<?> dc = d.getClass().getComponentType();
    boolean check = !dc.isAssignableFrom(s.getClass().getComponentType()); // never when s == d
    for (int k = 0; k < n; k++) {
      int i = backwards ? n - 1 - k : k;
      Object v;
      if (plainRead) {
        v = s[sp + i];
      } else {
        FieldBarriers.beforeReadElement(s, sp + i, tx);
        v = s[sp + i];
        FieldBarriers.afterReadElement(tx);
      }
      if (check && v != null && !dc.isInstance(v)) {
        elementMismatch(s, d, v);
      }
      if (plainWrite) {
        d[dp + i] = v;
      } else {
        FieldBarriers.writeElement(d, dp + i, v, tx);
      }
    }
  }

  private static void copyPrimitives(int kind, Object s, int sp, Object d, int dp, int n,
      boolean backwards, boolean plainRead, boolean plainWrite, Txn tx) {
    for (int k = 0; k < n; k++) {
      int i = backwards ? n - 1 - k : k;
      long v;
      if (plainRead) {
        v = load(kind, s, sp + i);
      } else {
        FieldBarriers.beforeReadElement(s, sp + i, tx);
        v = load(kind, s, sp + i);
        FieldBarriers.afterReadElement(tx);
      }
      if (plainWrite) {
        storePlain(kind, d, dp + i, v);
      } else {
        write(kind, d, dp + i, v, tx);
      }
    }
  }

  // Element kinds of primitive arrays (System.arraycopy copies only between arrays of one kind).
  private static final int INT = 0;
  private static final int LONG = 1;
  private static final int BYTE = 2;
  private static final int CHAR = 3;
  private static final int DOUBLE = 4;
  private static final int FLOAT = 5;
  private static final int SHORT = 6;
  private static final int BOOLEAN = 7;

  private static int kindOf(Object primitiveArray) {
    if (primitiveArray instanceof int[]) {
      return INT;
    } else if (primitiveArray instanceof long[]) {
      return LONG;
    } else if (primitiveArray instanceof byte[]) {
      return BYTE;
    } else if (primitiveArray instanceof char[]) {
      return CHAR;
    } else if (primitiveArray instanceof double[]) {
      return DOUBLE;
    } else if (primitiveArray instanceof float[]) {
      return FLOAT;
    } else if (primitiveArray instanceof short[]) {
      return SHORT;
    } else if (primitiveArray instanceof boolean[]) {
      return BOOLEAN;
    }
    throw new AssertionError(primitiveArray.getClass()); // failsBeforeCopying refused non-arrays
  }

  /** Element {@code i} of a primitive array as raw bits (the inverse of {@link #storePlain}). */
  private static long load(int kind, Object a, int i) {
    return switch (kind) {
      case INT -> ((int[]) a)[i];
      case LONG -> ((long[]) a)[i];
      case BYTE -> ((byte[]) a)[i];
      case CHAR -> ((char[]) a)[i];
      case DOUBLE -> Double.doubleToRawLongBits(((double[]) a)[i]);
      case FLOAT -> Float.floatToRawIntBits(((float[]) a)[i]);
      case SHORT -> ((short[]) a)[i];
      default -> ((boolean[]) a)[i] ? 1 : 0;
    };
  }

  /** Stores raw bits {@code v} into element {@code i} of an array the attempt allocated. */
  private static void storePlain(int kind, Object a, int i, long v) {
    switch (kind) {
      case INT -> ((int[]) a)[i] = (int) v;
      case LONG -> ((long[]) a)[i] = v;
      case BYTE -> ((byte[]) a)[i] = (byte) v;
      case CHAR -> ((char[]) a)[i] = (char) v;
      case DOUBLE -> ((double[]) a)[i] = Double.longBitsToDouble(v);
      case FLOAT -> ((float[]) a)[i] = Float.intBitsToFloat((int) v);
      case SHORT -> ((short[]) a)[i] = (short) v;
      default -> ((boolean[]) a)[i] = v != 0;
    }
  }

  /** Writes raw bits {@code v} into element {@code i} through the element write barrier. */
  private static void write(int kind, Object a, int i, long v, Txn tx) {
    switch (kind) {
      case INT -> FieldBarriers.writeElement((int[]) a, i, (int) v, tx);
      case LONG -> FieldBarriers.writeElement((long[]) a, i, v, tx);
      case BYTE -> FieldBarriers.writeElement((byte[]) a, i, (byte) v, tx);
      case CHAR -> FieldBarriers.writeElement((char[]) a, i, (char) v, tx);
      case DOUBLE -> FieldBarriers.writeElement((double[]) a, i, Double.longBitsToDouble(v), tx);
      case FLOAT -> FieldBarriers.writeElement((float[]) a, i, Float.intBitsToFloat((int) v), tx);
      case SHORT -> FieldBarriers.writeElement((short[]) a, i, (short) v, tx);
      default -> FieldBarriers.writeElement((boolean[]) a, i, v != 0, tx);
    }
  }

  // ---- clone ------------------------------------------------------------------------------

  /**
   * A copy of {@code array} read element by element through the barriers (a shallow copy, as
   * {@code clone()}), recorded as allocated by the running attempt.
   */
  static Object cloneArray(Object array, Txn tx) {
    Class<?> type = Objects.requireNonNull(array).getClass();
    if (!type.isArray()) {
      throw new IllegalArgumentException("cloneArray: not an array: " + type.getName());
    }
    int n = Array.getLength(array);
    Object copy = Array.newInstance(type.getComponentType(), n); // the same class as the original
    FieldBarriers.allocated(copy, tx); // first: the copy below then writes it plainly
    arraycopy(array, 0, copy, 0, n, tx);
    return copy;
  }
}
