package org.ame4j.internal.agent.rt;

import java.lang.reflect.Array;
import java.util.Objects;
import org.ame4j.internal.engine.FieldBarriers;
import org.ame4j.internal.engine.FieldWrites;
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
 * allocated by its running nesting level is written plainly (one allocated before a running
 * nested block began is logged: the block may fail alone); both: the real
 * {@code System.arraycopy}.
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
    boolean plainWrite = JdkBarriers.isAllocatedHere(dest, tx); // else locked, or logged only
    if (plainRead && plainWrite) {
      System.arraycopy(src, srcPos, dest, destPos, length);
      return;
    }
    boolean backwards = src == dest && srcPos < destPos;
    if (src instanceof Object[] s) {
      copy(s, srcPos, (Object[]) dest, destPos, length, backwards, plainRead, plainWrite, tx);
    } else if (src instanceof int[] s) {
      copy(s, srcPos, (int[]) dest, destPos, length, backwards, plainRead, plainWrite, tx);
    } else if (src instanceof long[] s) {
      copy(s, srcPos, (long[]) dest, destPos, length, backwards, plainRead, plainWrite, tx);
    } else if (src instanceof byte[] s) {
      copy(s, srcPos, (byte[]) dest, destPos, length, backwards, plainRead, plainWrite, tx);
    } else if (src instanceof char[] s) {
      copy(s, srcPos, (char[]) dest, destPos, length, backwards, plainRead, plainWrite, tx);
    } else if (src instanceof double[] s) {
      copy(s, srcPos, (double[]) dest, destPos, length, backwards, plainRead, plainWrite, tx);
    } else if (src instanceof float[] s) {
      copy(s, srcPos, (float[]) dest, destPos, length, backwards, plainRead, plainWrite, tx);
    } else if (src instanceof short[] s) {
      copy(s, srcPos, (short[]) dest, destPos, length, backwards, plainRead, plainWrite, tx);
    } else {
      copy((boolean[]) src, srcPos, (boolean[]) dest, destPos, length, backwards, plainRead, plainWrite, tx);
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

  // ---- one loop per element type ----------------------------------------------------------
  // k counts elements done; i is the offset copied at step k (descending when backwards).
  //
  // Nine loops that differ only in the element type, on purpose: each has one call site of one
  // writeElement overload, which C2 inlines with the element lock. One loop for the eight
  // primitive types (the value as raw bits in a long, load and store switching on the kind) was
  // measured 3-17 % slower per element (minima over 7 JVMs, IntrinsicCost under the agent,
  // docs/benchmarks.md "Folds of per-type code"): compiled once for every kind, it no longer
  // inlined ElementBarriers.lock ("already compiled into a big method").

  private static void copy(Object[] s, int sp, Object[] d, int dp, int n, boolean backwards,
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
        FieldWrites.writeElement(d, dp + i, v, tx);
      }
    }
  }

  private static void copy(int[] s, int sp, int[] d, int dp, int n, boolean backwards,
      boolean plainRead, boolean plainWrite, Txn tx) {
    for (int k = 0; k < n; k++) {
      int i = backwards ? n - 1 - k : k;
      int v;
      if (plainRead) {
        v = s[sp + i];
      } else {
        FieldBarriers.beforeReadElement(s, sp + i, tx);
        v = s[sp + i];
        FieldBarriers.afterReadElement(tx);
      }
      if (plainWrite) {
        d[dp + i] = v;
      } else {
        FieldWrites.writeElement(d, dp + i, v, tx);
      }
    }
  }

  private static void copy(long[] s, int sp, long[] d, int dp, int n, boolean backwards,
      boolean plainRead, boolean plainWrite, Txn tx) {
    for (int k = 0; k < n; k++) {
      int i = backwards ? n - 1 - k : k;
      long v;
      if (plainRead) {
        v = s[sp + i];
      } else {
        FieldBarriers.beforeReadElement(s, sp + i, tx);
        v = s[sp + i];
        FieldBarriers.afterReadElement(tx);
      }
      if (plainWrite) {
        d[dp + i] = v;
      } else {
        FieldWrites.writeElement(d, dp + i, v, tx);
      }
    }
  }

  private static void copy(byte[] s, int sp, byte[] d, int dp, int n, boolean backwards,
      boolean plainRead, boolean plainWrite, Txn tx) {
    for (int k = 0; k < n; k++) {
      int i = backwards ? n - 1 - k : k;
      byte v;
      if (plainRead) {
        v = s[sp + i];
      } else {
        FieldBarriers.beforeReadElement(s, sp + i, tx);
        v = s[sp + i];
        FieldBarriers.afterReadElement(tx);
      }
      if (plainWrite) {
        d[dp + i] = v;
      } else {
        FieldWrites.writeElement(d, dp + i, v, tx);
      }
    }
  }

  private static void copy(char[] s, int sp, char[] d, int dp, int n, boolean backwards,
      boolean plainRead, boolean plainWrite, Txn tx) {
    for (int k = 0; k < n; k++) {
      int i = backwards ? n - 1 - k : k;
      char v;
      if (plainRead) {
        v = s[sp + i];
      } else {
        FieldBarriers.beforeReadElement(s, sp + i, tx);
        v = s[sp + i];
        FieldBarriers.afterReadElement(tx);
      }
      if (plainWrite) {
        d[dp + i] = v;
      } else {
        FieldWrites.writeElement(d, dp + i, v, tx);
      }
    }
  }

  private static void copy(double[] s, int sp, double[] d, int dp, int n, boolean backwards,
      boolean plainRead, boolean plainWrite, Txn tx) {
    for (int k = 0; k < n; k++) {
      int i = backwards ? n - 1 - k : k;
      double v;
      if (plainRead) {
        v = s[sp + i];
      } else {
        FieldBarriers.beforeReadElement(s, sp + i, tx);
        v = s[sp + i];
        FieldBarriers.afterReadElement(tx);
      }
      if (plainWrite) {
        d[dp + i] = v;
      } else {
        FieldWrites.writeElement(d, dp + i, v, tx);
      }
    }
  }

  private static void copy(float[] s, int sp, float[] d, int dp, int n, boolean backwards,
      boolean plainRead, boolean plainWrite, Txn tx) {
    for (int k = 0; k < n; k++) {
      int i = backwards ? n - 1 - k : k;
      float v;
      if (plainRead) {
        v = s[sp + i];
      } else {
        FieldBarriers.beforeReadElement(s, sp + i, tx);
        v = s[sp + i];
        FieldBarriers.afterReadElement(tx);
      }
      if (plainWrite) {
        d[dp + i] = v;
      } else {
        FieldWrites.writeElement(d, dp + i, v, tx);
      }
    }
  }

  private static void copy(short[] s, int sp, short[] d, int dp, int n, boolean backwards,
      boolean plainRead, boolean plainWrite, Txn tx) {
    for (int k = 0; k < n; k++) {
      int i = backwards ? n - 1 - k : k;
      short v;
      if (plainRead) {
        v = s[sp + i];
      } else {
        FieldBarriers.beforeReadElement(s, sp + i, tx);
        v = s[sp + i];
        FieldBarriers.afterReadElement(tx);
      }
      if (plainWrite) {
        d[dp + i] = v;
      } else {
        FieldWrites.writeElement(d, dp + i, v, tx);
      }
    }
  }

  private static void copy(boolean[] s, int sp, boolean[] d, int dp, int n, boolean backwards,
      boolean plainRead, boolean plainWrite, Txn tx) {
    for (int k = 0; k < n; k++) {
      int i = backwards ? n - 1 - k : k;
      boolean v;
      if (plainRead) {
        v = s[sp + i];
      } else {
        FieldBarriers.beforeReadElement(s, sp + i, tx);
        v = s[sp + i];
        FieldBarriers.afterReadElement(tx);
      }
      if (plainWrite) {
        d[dp + i] = v;
      } else {
        FieldWrites.writeElement(d, dp + i, v, tx);
      }
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
