package org.ame4jtest.pkgarrays;

/** Another class of {@link Table}'s package: stores only new arrays into its fields. */
final class Filler {
  private Filler() {}

  static void reset(Table t) {
    Object[] fresh = new Object[8];
    t.slots = fresh;
    t.marks = new long[1];
  }
}
