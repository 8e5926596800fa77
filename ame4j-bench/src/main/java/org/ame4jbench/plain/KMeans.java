package org.ame4jbench.plain;

/**
 * One k-means clustering (Lloyd's algorithm, STAMP's {@code kmeans}) over plain arrays. Per
 * iteration: every point finds its nearest centre ({@link #nearest}, reading the centres that stay
 * fixed during the iteration) and is added into that centre's running sums ({@link #accumulate},
 * STAMP's transaction); {@link #moveCentres} then moves every centre to the mean of its points.
 */
public final class KMeans {
  private final double[][] points;
  public final double[][] centres;
  public final double[][] sums;
  public final int[] counts;
  public final int[] membership;

  public KMeans(double[][] points, double[][] initialCentres) {
    this.points = points;
    int k = initialCentres.length;
    int d = points[0].length;
    centres = new double[k][];
    for (int c = 0; c < k; c++) {
      centres[c] = initialCentres[c].clone();
    }
    sums = new double[k][d];
    counts = new int[k];
    membership = new int[points.length];
  }

  /** Index of the centre nearest to point {@code p} (squared Euclidean; lowest index on ties). */
  public int nearest(int p) {
    return nearest(points[p], centres);
  }

  /** Shared with the cells variants, which keep the centres in the same plain arrays. */
  public static int nearest(double[] x, double[][] centres) {
    int best = 0;
    double bestDistance = Double.POSITIVE_INFINITY;
    for (int c = 0; c < centres.length; c++) {
      double[] m = centres[c];
      double d = 0;
      for (int j = 0; j < x.length; j++) {
        double t = x[j] - m[j];
        d += t * t;
      }
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    return best;
  }

  /** Adds point {@code p} into centre {@code c}'s sums: the shared update. */
  public void accumulate(int p, int c) {
    membership[p] = c;
    double[] x = points[p];
    double[] s = sums[c];
    for (int j = 0; j < x.length; j++) {
      s[j] += x[j];
    }
    counts[c]++;
  }

  /** The loop body of the sequential program: one point's whole step. */
  public void assign(int p) {
    accumulate(p, nearest(p));
  }

  /** Between iterations: centres to the means, sums and counts back to zero. */
  public void moveCentres() {
    for (int c = 0; c < centres.length; c++) {
      if (counts[c] > 0) {
        for (int j = 0; j < centres[c].length; j++) {
          centres[c][j] = sums[c][j] / counts[c];
        }
      }
    }
  }

  public void resetSums() {
    for (int c = 0; c < centres.length; c++) {
      java.util.Arrays.fill(sums[c], 0);
      counts[c] = 0;
    }
  }
}
