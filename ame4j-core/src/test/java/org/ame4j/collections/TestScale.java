package org.ame4j.collections;

/** Sizes of the collection workloads (larger with -Dame4j.stress=true). */
final class TestScale {
  private static final boolean STRESS = Boolean.getBoolean("ame4j.stress");

  private TestScale() {}

  static int words() {
    return STRESS ? 500_000 : 40_000;
  }

  static int tasks() {
    return STRESS ? 50_000 : 3_000;
  }
}
