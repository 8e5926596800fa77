package org.ame4j;

/** Public face of a few {@link TestUtil} helpers for the tests in sub-packages. */
public final class TestHooks {
  private TestHooks() {}

  public static void spin(int iterations) {
    TestUtil.spin(iterations);
  }

  public static long mix(long a, long b) {
    return TestUtil.mix(a, b);
  }
}
