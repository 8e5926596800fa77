package org.ame4jtest.agenttest;

/** Invariant {@code x + y == 0 && cells[0] + cells[1] == 0}, kept by every {@code move}. */
public class Pair {
  static long x;
  static long y;
  static int[] cells = new int[2];

  public static void reset() {
    x = 0;
    y = 0;
    cells = new int[2];
  }

  public static void move(int k) {
    x += k;
    cells[0] += k;
    k += work(k) == -1 ? 1 : 0; // widen the window between the two halves of the update
    y -= k;
    cells[1] -= k;
  }

  static long work(int seed) {
    long s = seed;
    for (int i = 0; i < 300; i++) {
      s = s * 31 + i;
    }
    return s == -1 ? 0 : 1; // never -1
  }

  /** True if the invariant holds in what this code observes. */
  public static boolean consistent() {
    long a = x;
    int c0 = cells[0];
    a += work((int) a) == -1 ? 1 : 0;
    long b = y;
    int c1 = cells[1];
    return a + b == 0 && c0 + c1 == 0;
  }
}
