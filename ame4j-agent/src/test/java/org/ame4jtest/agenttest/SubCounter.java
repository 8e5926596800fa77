package org.ame4jtest.agenttest;

/** {@code SubCounter.count} names the field through a subclass: one record with Counter.count. */
public class SubCounter extends Counter {
  public static void incViaSub() {
    SubCounter.count++;
  }
}
