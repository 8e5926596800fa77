package org.ame4j.internal.engine;

import java.lang.invoke.VarHandle;

/**
 * Stores a value saved as (reference, raw bits) back into a field or an array element, whatever
 * its type. Used only on the rollback path, so generic {@link VarHandle} invocation is fine here.
 */
final class Values {
  private Values() {}

  static void store(VarHandle vh, Object target, boolean isStatic, Object ref, long bits) {
    Class<?> type = vh.varType();
    Object boxed = type.isPrimitive() ? box(type, bits) : ref;
    if (isStatic) {
      vh.set(boxed);
    } else {
      vh.set(target, boxed);
    }
  }

  private static Object box(Class<?> type, long bits) {
    if (type == int.class) return (int) bits;
    if (type == long.class) return bits;
    if (type == double.class) return Double.longBitsToDouble(bits);
    if (type == float.class) return Float.intBitsToFloat((int) bits);
    if (type == boolean.class) return bits != 0;
    if (type == byte.class) return (byte) bits;
    if (type == short.class) return (short) bits;
    if (type == char.class) return (char) bits;
    throw new AssertionError(type);
  }

  static void storeElement(Object array, int i, Object ref, long bits) {
    if (array instanceof Object[] a) a[i] = ref;
    else if (array instanceof int[] a) a[i] = (int) bits;
    else if (array instanceof long[] a) a[i] = bits;
    else if (array instanceof double[] a) a[i] = Double.longBitsToDouble(bits);
    else if (array instanceof float[] a) a[i] = Float.intBitsToFloat((int) bits);
    else if (array instanceof boolean[] a) a[i] = bits != 0;
    else if (array instanceof byte[] a) a[i] = (byte) bits;
    else if (array instanceof short[] a) a[i] = (short) bits;
    else if (array instanceof char[] a) a[i] = (char) bits;
    else throw new AssertionError(array.getClass());
  }
}
