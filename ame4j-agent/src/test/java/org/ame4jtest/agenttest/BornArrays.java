package org.ame4jtest.agenttest;

import java.util.concurrent.atomic.AtomicBoolean;
import org.ame4j.Ame;

/**
 * Element stores in loops, which the agent gives a hoisted check of born arrays: arrays of every
 * kind an attempt allocates and fills in a loop; a shared array written in a loop (its elements
 * are locked one by one, never kept by the site); a nested block that fills, then fails, an
 * array the enclosing block allocated (its stores are logged and undone); a born array filled
 * in a loop and published through a shared field, which readers see whole or not at all; and
 * the rows of a matrix allocated in one {@code multianewarray}, born like the matrix.
 */
public class BornArrays {
  /** A shared array whose elements are all equal in every committed state. */
  static long[] shared = new long[64];
  /** A born array published by {@link #publishMany}: all of its elements equal, or null. */
  static long[] published;

  static void fill(long[] a, long v) {
    for (int i = 0; i < a.length; i++) {
      a[i] = v;
    }
  }

  /** Not in a loop: keeps the plain element write. */
  static void setFirst(long[] a, long v) {
    a[0] = v;
  }

  /** A digest of arrays of every element kind, each allocated and filled in a loop. */
  public static long freshKinds(int n) {
    return Ame.atomic(
        () -> {
          int[] ints = new int[n];
          long[] longs = new long[n];
          float[] floats = new float[n];
          double[] doubles = new double[n];
          boolean[] bools = new boolean[n];
          byte[] bytes = new byte[n];
          short[] shorts = new short[n];
          char[] chars = new char[n];
          Object[] objects = new Object[n];
          for (int i = 0; i < n; i++) {
            ints[i] = i;
            longs[i] = i;
            floats[i] = i;
            doubles[i] = i;
            bools[i] = (i & 1) == 0;
            bytes[i] = (byte) i;
            shorts[i] = (short) i;
            chars[i] = (char) ('a' + i % 26);
            objects[i] = chars[i];
          }
          long d = 0;
          for (int i = 0; i < n; i++) {
            d += ints[i] + longs[i] + (long) floats[i] + (long) doubles[i] + (bools[i] ? 1 : 0)
                + (bytes[i] & 0xff) + shorts[i] + chars[i] + (Character) objects[i];
          }
          return d;
        });
  }

  /** Fills {@link #shared} with {@code v} in a nested block that then fails; returns the sum after. */
  public static long sharedFillUndone(long v) {
    return Ame.atomic(
        () -> {
          try {
            Ame.atomic(
                () -> {
                  fill(shared, v);
                  throw new IllegalStateException("inner");
                });
          } catch (IllegalStateException expected) {
            // the inner block's stores are undone
          }
          long s = 0;
          for (long x : shared) {
            s += x;
          }
          return s;
        });
  }

  /**
   * Allocates an array, fills it with 5, fills it with 1 in a nested block that fails, then with
   * 2 in one that succeeds: returns the sums seen after each block, as {@code 100 * first + second}
   * divided by the length.
   */
  public static long bornBeforeTheBlock(int n) {
    return Ame.atomic(
        () -> {
          long[] a = new long[n];
          fill(a, 5);
          try {
            Ame.atomic(
                () -> {
                  fill(a, 1);
                  throw new IllegalStateException("inner");
                });
          } catch (IllegalStateException expected) {
            // undone: the array was allocated before the block began
          }
          long first = 0;
          for (long x : a) {
            first += x;
          }
          Ame.atomic(() -> fill(a, 2));
          long second = 0;
          for (long x : a) {
            second += x;
          }
          return (100 * first + second) / n;
        });
  }

  /** {@code n} transactions, each filling {@link #shared} with its own number in one loop. */
  public static void fillMany(int n) {
    for (int k = 1; k <= n; k++) {
      long v = k;
      Ame.atomic(() -> fill(shared, v));
    }
  }

  /** {@code n} transactions, each publishing a new array filled with its own number. */
  public static void publishMany(int n, int length) {
    for (int k = 1; k <= n; k++) {
      long v = k;
      Ame.atomic(
          () -> {
            long[] a = new long[length];
            fill(a, v);
            published = a;
          });
    }
  }

  /**
   * {@code n} transactions, each allocating a matrix in one {@code multianewarray}, filling its
   * rows with its own number and publishing its last row.
   */
  public static void publishRowsMany(int n, int length) {
    for (int k = 1; k <= n; k++) {
      long v = k;
      Ame.atomic(
          () -> {
            long[][] m = new long[3][length];
            for (long[] row : m) {
              fill(row, v);
            }
            published = m[2];
          });
    }
  }

  /**
   * Allocates a {@code k x 4} matrix in one {@code multianewarray} and adds into its rows in a
   * loop, as a task accumulating into sums of its own: returns the sum of its elements.
   */
  public static long ownRows(int k) {
    return Ame.atomic(
        () -> {
          double[][] sums = new double[k][4];
          int[] counts = new int[k];
          for (int p = 0; p < 100; p++) {
            double[] s = sums[p % k];
            for (int j = 0; j < 4; j++) {
              s[j] += p + j;
            }
            counts[p % k]++;
          }
          long d = 0;
          for (int c = 0; c < k; c++) {
            for (int j = 0; j < 4; j++) {
              d += (long) sums[c][j];
            }
            d += counts[c];
          }
          return d;
        });
  }

  /**
   * The rows of a matrix allocated before a nested block that fills them and fails: returns the
   * sum seen after the block, divided by the number of elements (5: the block is undone).
   */
  public static long rowsBornBeforeTheBlock(int n) {
    return Ame.atomic(
        () -> {
          long[][] m = new long[2][n];
          for (long[] row : m) {
            fill(row, 5);
          }
          try {
            Ame.atomic(
                () -> {
                  for (long[] row : m) {
                    fill(row, 1);
                    row[0] += 7;
                  }
                  throw new IllegalStateException("inner");
                });
          } catch (IllegalStateException expected) {
            // undone: the rows were allocated before the block began
          }
          long sum = 0;
          for (long[] row : m) {
            for (long x : row) {
              sum += x;
            }
          }
          return sum / (2L * n);
        });
  }

  /** True if every element of {@code a} (null: none) equals the first. */
  static boolean uniform(long[] a) {
    if (a == null) {
      return true;
    }
    for (int i = 1; i < a.length; i++) {
      if (a[i] != a[0]) {
        return false;
      }
    }
    return true;
  }

  /** Read-only transactions until {@code done}: {reads, reads of {@link #shared} not uniform}. */
  public static long[] checkSharedUntil(AtomicBoolean done) {
    return checkUntil(done, false);
  }

  /** Read-only transactions until {@code done}: {reads, reads of {@link #published} not uniform}. */
  public static long[] checkPublishedUntil(AtomicBoolean done) {
    return checkUntil(done, true);
  }

  private static long[] checkUntil(AtomicBoolean done, boolean born) {
    long reads = 0;
    long broken = 0;
    while (!done.get()) {
      for (int i = 0; i < 200; i++) {
        if (!Ame.atomic(() -> uniform(born ? published : shared))) {
          broken++;
        }
      }
      reads += 200;
    }
    return new long[] {reads, broken};
  }

  public static void reset() {
    shared = new long[64];
    published = null;
  }
}
