package org.ame4jexamples.corpus;

import java.util.SplittableRandom;
import org.ame4j.TransactionQueue;

/**
 * Corpus program (c): k-means clustering (Lloyd's algorithm, STAMP's {@code kmeans} workload)
 * over {@code double[][]} points. Each iteration assigns every point to its nearest centroid and
 * adds the point into the shared {@code sums[c]} and {@code counts[c]} of that centroid; then the
 * centroids move to the means. The per-point loop is the one that becomes tasks (one queue run per
 * iteration); moving the centroids stays sequential between the runs.
 *
 * <p>Floating-point addition is not associative, so only the ordered queue reproduces the
 * sequential sums bit for bit (its fingerprint is the sequential one). For an unordered run the
 * check verifies what any serial order guarantees about the last iteration: every point is
 * assigned to its nearest centroid (lowest index on ties) of that iteration, every count is the
 * number of points assigned, and every sum equals the sum of its points up to rounding.
 */
public final class KMeans implements CorpusProgram {
  static final int DIMENSIONS = 4;
  static final int CLUSTERS = 8;
  static final int ITERATIONS = 6;

  // Package-private: KMeansLocal runs the same iterations with coarse tasks over this state.
  final double[][] points;
  final double[][] centroids;
  final double[][] sums;
  final int[] counts;
  final int[] membership;
  /** The centroids that the last iteration's assignments were made against (for the check). */
  private double[][] lastCentroids;

  /** {@code n} points drawn around {@value #CLUSTERS} random centres in [0, 100)^4. */
  public KMeans(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[][] centres = new double[CLUSTERS][DIMENSIONS];
    for (double[] c : centres) {
      for (int j = 0; j < DIMENSIONS; j++) {
        c[j] = 100 * random.nextDouble();
      }
    }
    points = new double[n][DIMENSIONS];
    for (double[] p : points) {
      double[] c = centres[random.nextInt(CLUSTERS)];
      for (int j = 0; j < DIMENSIONS; j++) {
        // Irwin-Hall noise: deterministic and cheap, roughly normal with spread ~ 8.
        p[j] = c[j] + 10 * (random.nextDouble() + random.nextDouble() + random.nextDouble() - 1.5);
      }
    }
    centroids = new double[CLUSTERS][];
    for (int c = 0; c < CLUSTERS; c++) {
      centroids[c] = points[c % n].clone(); // the first points: the usual deterministic start
    }
    sums = new double[CLUSTERS][DIMENSIONS];
    counts = new int[CLUSTERS];
    membership = new int[n];
  }

  /** The loop body: assigns point {@code p} and accumulates it into its centroid's sums. */
  void assign(int p) {
    double[] x = points[p];
    int best = 0;
    double bestDistance = Double.POSITIVE_INFINITY;
    for (int c = 0; c < CLUSTERS; c++) {
      double[] m = centroids[c];
      double d = 0;
      for (int j = 0; j < DIMENSIONS; j++) {
        double t = x[j] - m[j];
        d += t * t;
      }
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    membership[p] = best;
    double[] s = sums[best];
    for (int j = 0; j < DIMENSIONS; j++) {
      s[j] += x[j];
    }
    counts[best]++;
  }

  void startIteration() {
    lastCentroids = new double[CLUSTERS][];
    for (int c = 0; c < CLUSTERS; c++) {
      lastCentroids[c] = centroids[c].clone();
      for (int j = 0; j < DIMENSIONS; j++) {
        sums[c][j] = 0;
      }
      counts[c] = 0;
    }
  }

  void moveCentroids() {
    for (int c = 0; c < CLUSTERS; c++) {
      if (counts[c] > 0) {
        for (int j = 0; j < DIMENSIONS; j++) {
          centroids[c][j] = sums[c][j] / counts[c];
        }
      }
    }
  }

  @Override
  public void runSequential() {
    for (int it = 0; it < ITERATIONS; it++) {
      startIteration();
      for (int p = 0; p < points.length; p++) {
        assign(p);
      }
      moveCentroids();
    }
  }

  @Override
  public void runTasks(TransactionQueue q, int workers) {
    runChunkedTasks(q, workers, 1);
  }

  @Override
  public void runRangeTasks(TransactionQueue q, int workers) {
    for (int it = 0; it < ITERATIONS; it++) {
      startIteration();
      q.addRange(0, points.length, this::assign);
      q.run(workers);
      moveCentroids();
    }
  }

  @Override
  public void runChunkedTasks(TransactionQueue q, int workers, int chunk) {
    for (int it = 0; it < ITERATIONS; it++) {
      startIteration();
      CorpusProgram.runLoop(q, workers, points.length, chunk, this::assign);
      moveCentroids();
    }
  }

  @Override
  public String fingerprint() {
    Digest d = new Digest();
    for (int c = 0; c < CLUSTERS; c++) {
      for (int j = 0; j < DIMENSIONS; j++) {
        d.add(centroids[c][j]).add(sums[c][j]);
      }
      d.add(counts[c]);
    }
    return d.add(membership).toString();
  }

  @Override
  public String check() {
    int[] expectedCounts = new int[CLUSTERS];
    double[][] expectedSums = new double[CLUSTERS][DIMENSIONS];
    for (int p = 0; p < points.length; p++) {
      double[] x = points[p];
      int best = 0;
      double bestDistance = Double.POSITIVE_INFINITY;
      for (int c = 0; c < CLUSTERS; c++) {
        double d = 0;
        for (int j = 0; j < DIMENSIONS; j++) {
          double t = x[j] - lastCentroids[c][j];
          d += t * t;
        }
        if (d < bestDistance) {
          bestDistance = d;
          best = c;
        }
      }
      if (membership[p] != best) {
        return "point " + p + " assigned to centroid " + membership[p] + ", nearest is " + best;
      }
      expectedCounts[best]++;
      for (int j = 0; j < DIMENSIONS; j++) {
        expectedSums[best][j] += x[j];
      }
    }
    for (int c = 0; c < CLUSTERS; c++) {
      if (counts[c] != expectedCounts[c]) {
        return "counts[" + c + "] = " + counts[c] + ", " + expectedCounts[c] + " points assigned";
      }
      for (int j = 0; j < DIMENSIONS; j++) {
        // Summing n values in another order changes the result by at most ~n * 2^-53 relatively.
        double tolerance = 1e-9 * Math.max(1, Math.abs(expectedSums[c][j]));
        if (Math.abs(sums[c][j] - expectedSums[c][j]) > tolerance) {
          return "sums[" + c + "][" + j + "] = " + sums[c][j] + ", points add up to "
              + expectedSums[c][j];
        }
        double mean = counts[c] == 0 ? lastCentroids[c][j] : sums[c][j] / counts[c];
        if (centroids[c][j] != mean) {
          return "centroid " + c + " not at the mean of its sums";
        }
      }
    }
    return null;
  }

  @Override
  public String summary() {
    StringBuilder s = new StringBuilder("points=" + points.length + " counts=");
    for (int c = 0; c < CLUSTERS; c++) {
      s.append(c == 0 ? "" : ",").append(counts[c]);
    }
    return s.toString();
  }
}
