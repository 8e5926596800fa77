package org.ame4jtest.agenttest;

/** Static counters, also reached through a subclass name (inherited static field). */
public class Counter {
  static int count;
  static long total;

  public static void reset() {
    count = 0;
    total = 0;
  }

  public static void inc(int k) {
    count++;
    total += k;
  }

  public static int count() {
    return count;
  }

  public static long total() {
    return total;
  }
}
