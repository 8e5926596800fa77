package org.ame4jtest.agenttest;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;

/** Calls a JDK method that is not on the allow-list: the transaction must become inevitable. */
public class JdkUser {
  static long sum;

  public static long addAllViaList(int[] data) {
    List<Integer> list = new ArrayList<>();
    for (int x : data) {
      list.add(x);
    }
    long s = 0;
    for (Integer x : list) {
      s += x;
    }
    sum += s + Math.max(0, data.length - data.length); // Math is allow-listed
    return sum;
  }

  /**
   * A deep copy of an array of any dimension (ints at the bottom) the reflective way: {@code
   * Array.getLength}, {@code Array.newInstance}, {@code Class.getComponentType/isArray}. They read
   * no shared mutable state, so they must not make the transaction inevitable.
   */
  public static Object deepCopy(Object array) {
    int n = Array.getLength(array);
    Class<?> component = array.getClass().getComponentType();
    Object copy = Array.newInstance(component, n);
    if (component.isArray()) {
      Object[] from = (Object[]) array;
      Object[] to = (Object[]) copy;
      for (int i = 0; i < n; i++) {
        to[i] = deepCopy(from[i]);
      }
    } else {
      int[] from = (int[]) array;
      int[] to = (int[]) copy;
      for (int i = 0; i < n; i++) {
        to[i] = from[i];
      }
    }
    return copy;
  }

  public static long sum() {
    return sum;
  }

  public static void reset() {
    sum = 0;
  }
}
