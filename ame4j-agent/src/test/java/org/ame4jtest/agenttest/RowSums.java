package org.ame4jtest.agenttest;

import org.ame4j.Ame;

/**
 * Compound adds {@code a[i] += d} in loops, as coarse k-means does them: into rows of the task's
 * own {@code new double[k][d]} and its own {@code int[k]}, and at one site into the task's own
 * array first and then into a shared one (which must stay locked and logged).
 */
public class RowSums {
  /**
   * Sums {@code points[p]} into row {@code best[p]} of a fresh {@code double[rows][width]} and
   * counts them in a fresh {@code int[rows]}; returns the sums row by row, then the counts.
   */
  public static double[] blockSums(double[][] points, int[] best, int rows, int width) {
    double[][] sums = new double[rows][width];
    int[] counts = new int[rows];
    for (int p = 0; p < points.length; p++) {
      double[] s = sums[best[p]];
      double[] x = points[p];
      for (int j = 0; j < width; j++) {
        s[j] += x[j];
      }
      counts[best[p]]++;
    }
    double[] out = new double[rows * width + rows];
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < width; j++) {
        out[r * width + j] = sums[r][j];
      }
      out[rows * width + r] = counts[r];
    }
    return out;
  }

  /**
   * One add site: {@code n} adds of 1 into a fresh array, then {@code n} into {@code target}
   * (index {@code k % length} each), then the same for {@code counts}; returns the fresh array's
   * total. Every add into {@code target} and {@code counts} must be locked and logged, the fresh
   * arrays' need neither.
   */
  public static double ownThenShared(double[] target, int[] counts, int n) {
    double[] own = new double[target.length];
    int[] ownCounts = new int[counts.length];
    for (int k = 0; k < 2 * n; k++) {
      double[] a = k < n ? own : target;
      a[k % a.length] += 1;
      int[] c = k < n ? ownCounts : counts;
      c[k % c.length]++;
    }
    double total = 0;
    for (double v : own) {
      total += v;
    }
    return total + ownCounts[0];
  }

  /** {@link #ownThenShared}, then throws: the transaction is undone. */
  public static void ownThenSharedThenFail(double[] target, int[] counts, int n) {
    ownThenShared(target, counts, n);
    throw new IllegalStateException("refused");
  }

  /** Adds 1 into {@code a[k % length]} {@code n} times (called in a nested block). */
  public static void addOnes(double[] a, int n) {
    for (int k = 0; k < n; k++) {
      a[k % a.length] += 1;
    }
  }

  /**
   * Adds into an array of its own, then in a nested block that fails adds {@code n} more ones:
   * the array was born before the nested block, so those adds are logged and undone. Returns the
   * array as the enclosing block sees it after the failure.
   */
  public static double[] nestedAddsUndone(int n) {
    double[] own = new double[3];
    addOnes(own, 6);
    try {
      Ame.atomic(
          () -> {
            addOnes(own, n);
            throw new IllegalStateException("inner");
          });
    } catch (IllegalStateException expected) {
      // the nested block is undone; the outer goes on
    }
    return own;
  }
}
