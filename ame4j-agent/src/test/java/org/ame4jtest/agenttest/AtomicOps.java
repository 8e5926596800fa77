package org.ame4jtest.agenttest;

import org.ame4j.Atomic;

/** Methods annotated with ame4j's own {@code @Atomic}. */
public class AtomicOps {
  static int x;
  static int y;
  static final StringBuilder LOG = new StringBuilder();

  @Atomic
  public static int moveThenFail(int k) {
    x += k;
    y -= k;
    throw new IllegalArgumentException("refused " + k);
  }

  @Atomic
  public static int move(int k) {
    x += k;
    y -= k;
    return x;
  }

  /** Calls I/O (System.out is untracked): becomes inevitable, still completes. */
  @Atomic
  public static void moveAndPrint(int k) {
    x += k;
    y -= k;
    System.out.println("moveAndPrint " + k);
  }

  /** A nested atomic call whose exception is caught: only the inner block is undone. */
  @Atomic
  public static int outerCatchesInner(int k) {
    x += 1;
    y -= 1;
    try {
      moveThenFail(k);
    } catch (IllegalArgumentException expected) {
      // the inner block's writes are gone; the outer's stay
    }
    return x;
  }

  public static boolean consistent() {
    return x + y == 0;
  }

  public static int x() {
    return x;
  }

  public static void reset() {
    x = 0;
    y = 0;
  }
}
