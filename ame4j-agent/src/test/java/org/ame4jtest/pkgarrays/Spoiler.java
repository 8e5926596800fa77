package org.ame4jtest.pkgarrays;

/** Another class of {@link Table}'s package: stores a caller's array into {@code counts}. */
final class Spoiler {
  private Spoiler() {}

  static void adopt(Table t, int[] shared) {
    t.counts = shared;
  }
}
