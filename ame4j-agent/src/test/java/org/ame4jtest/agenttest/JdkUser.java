package org.ame4jtest.agenttest;

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

  public static long sum() {
    return sum;
  }

  public static void reset() {
    sum = 0;
  }
}
