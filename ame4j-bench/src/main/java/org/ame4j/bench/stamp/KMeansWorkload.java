package org.ame4j.bench.stamp;

import java.util.EnumSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.ame4j.TransactionQueue;
import org.ame4j.bench.stamp.cells.Stm;
import org.ame4j.bench.stamp.cells.Stm.TInt;
import org.ame4j.bench.stamp.cells.Stm.TLong;
import org.ame4jbench.plain.KMeans;

/**
 * STAMP's {@code kmeans} (Minh et al., IISWC 2008): points in {@code d} dimensions drawn around
 * 16 random centres (STAMP's inputs are {@code random-n65536-d32-c16}), clustered into {@code k}
 * clusters by Lloyd's algorithm for a fixed number of iterations (STAMP iterates to convergence;
 * a fixed count gives every variant the same work). Per point, the nearest centre is found
 * outside any transaction (the centres do not change during an iteration) and one transaction
 * adds the point into that centre's {@code d} sums and its count. High contention: STAMP's
 * {@code -m15 -n15} (15 clusters); low contention: {@code -m40 -n40} (40 clusters).
 *
 * <p>The automatic variant runs the sequential loop body (nearest + accumulate) as one task per
 * point: under the agent its reads of the centres are tracked too, which is what running plain
 * code unchanged costs.
 *
 * <p>Validation (every run): every point's recorded cluster is its nearest centre of the last
 * iteration, every count is the number of points assigned, every sum equals the sum of its
 * points up to rounding, and on one thread the final centres equal the sequential program's bit
 * for bit.
 */
final class KMeansWorkload implements Workload {
  private static final int NATURAL_CLUSTERS = 16;

  private final boolean high;
  private int k;
  private int iterations;
  private double[][] points;
  private double[][] initial;
  private double[][] expectedCentres;

  KMeansWorkload(boolean high) {
    this.high = high;
  }

  @Override
  public String name() {
    return high ? "kmeans-high" : "kmeans-low";
  }

  @Override
  public String description() {
    return points.length + " points in " + points[0].length + " dimensions, " + k + " clusters, "
        + iterations + " iterations (one transaction per point per iteration)";
  }

  @Override
  public boolean lowContention() {
    return !high;
  }

  @Override
  public Set<Variant> variants() {
    return EnumSet.complementOf(EnumSet.of(Variant.JUC));
  }

  @Override
  public void generate(Size s, long seed) {
    k = high ? 15 : 40;
    int n = s.pick(512, 2048, 8192);
    int d = s.pick(8, 16, 32);
    iterations = s.pick(2, 2, 5);
    SplittableRandom rnd = new SplittableRandom(seed * 17 + (high ? 1 : 2));
    double[][] natural = new double[NATURAL_CLUSTERS][d];
    for (double[] c : natural) {
      for (int j = 0; j < d; j++) {
        c[j] = rnd.nextDouble();
      }
    }
    points = new double[n][d];
    for (double[] p : points) {
      double[] c = natural[rnd.nextInt(NATURAL_CLUSTERS)];
      for (int j = 0; j < d; j++) {
        p[j] = c[j] + 0.1 * (rnd.nextDouble() + rnd.nextDouble() + rnd.nextDouble() - 1.5);
      }
    }
    initial = new double[k][];
    for (int c = 0; c < k; c++) {
      initial[c] = points[c].clone(); // STAMP starts from the first k points
    }
    KMeans ref = new KMeans(points, initial);
    for (int it = 0; it < iterations; it++) {
      ref.resetSums();
      for (int p = 0; p < n; p++) {
        ref.assign(p);
      }
      ref.moveCentres();
    }
    expectedCentres = ref.centres;
  }

  @Override
  public Run prepare(Variant v, int threads) {
    int n = points.length;
    if (v == Variant.SEQUENTIAL || v == Variant.LOCK || v == Variant.AME_AUTO) {
      KMeans km = new KMeans(points, initial);
      Object lock = new Object();
      double[][][] last = new double[1][][];
      return new Checked(threads) {
        @Override
        public void execute() {
          for (int it = 0; it < iterations; it++) {
            km.resetSums();
            last[0] = copy(km.centres);
            switch (v) {
              case SEQUENTIAL -> {
                for (int p = 0; p < n; p++) {
                  km.assign(p);
                }
              }
              case AME_AUTO -> {
                TransactionQueue q = Threads.queue(n, p -> () -> km.assign(p));
                q.run(threads);
              }
              default -> Threads.run(threads, n, (t, lo, hi) -> {
                for (int p = lo; p < hi; p++) {
                  int c = km.nearest(p);
                  synchronized (lock) {
                    km.accumulate(p, c);
                  }
                }
              });
            }
            km.moveCentres();
          }
        }

        @Override
        public void validate() {
          check(last[0], km.centres, km.membership, c -> km.counts[c], (c, j) -> km.sums[c][j]);
        }
      };
    }
    Stm stm = v.stm();
    int d = points[0].length;
    double[][] centres = copy(initial);
    TLong[][] sums = new TLong[k][d];
    TInt[] counts = new TInt[k];
    int[] membership = new int[n];
    double[][][] last = new double[1][][];
    Threads.Attempts attempts = new Threads.Attempts(threads);
    return new Checked(threads) {
      @Override
      public void execute() {
        for (int it = 0; it < iterations; it++) {
          for (int c = 0; c < k; c++) { // fresh cells: the reset between iterations
            counts[c] = stm.newInt(0);
            for (int j = 0; j < d; j++) {
              sums[c][j] = stm.newLong(Double.doubleToRawLongBits(0.0));
            }
          }
          last[0] = copy(centres);
          Threads.run(threads, n, (t, lo, hi) -> {
            for (int p = lo; p < hi; p++) {
              double[] x = points[p];
              int c = KMeans.nearest(x, centres);
              membership[p] = c;
              TLong[] s = sums[c];
              TInt count = counts[c];
              stm.atomic(txn -> {
                attempts.hit(t);
                for (int j = 0; j < x.length; j++) {
                  TLong cell = s[j];
                  cell.set(txn, Double.doubleToRawLongBits(
                      Double.longBitsToDouble(cell.get(txn)) + x[j]));
                }
                count.set(txn, count.get(txn) + 1);
                return null;
              });
            }
          });
          for (int c = 0; c < k; c++) {
            int m = counts[c].peek();
            if (m > 0) {
              for (int j = 0; j < d; j++) {
                centres[c][j] = Double.longBitsToDouble(sums[c][j].peek()) / m;
              }
            }
          }
        }
      }

      @Override
      public void validate() {
        check(last[0], centres, membership, c -> counts[c].peek(),
            (c, j) -> Double.longBitsToDouble(sums[c][j].peek()));
      }

      @Override
      public long attempts() {
        return attempts.total();
      }
    };
  }

  private static double[][] copy(double[][] a) {
    double[][] b = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      b[i] = a[i].clone();
    }
    return b;
  }

  private abstract class Checked implements Run {
    private final int threads;

    Checked(int threads) {
      this.threads = threads;
    }

    @Override
    public long operations() {
      return (long) points.length * iterations;
    }

    /** Checks the last iteration; see the class comment. */
    void check(double[][] lastCentres, double[][] finalCentres, int[] membership,
        java.util.function.IntUnaryOperator count,
        java.util.function.BiFunction<Integer, Integer, Double> sum) {
      int d = points[0].length;
      int[] n = new int[k];
      double[][] s = new double[k][d];
      double[][] scale = new double[k][d];
      for (int p = 0; p < points.length; p++) {
        int c = membership[p];
        int nearest = KMeans.nearest(points[p], lastCentres);
        if (c != nearest) {
          throw new ValidationError(name() + ": point " + p + " in cluster " + c
              + ", its nearest centre is " + nearest);
        }
        n[c]++;
        for (int j = 0; j < d; j++) {
          s[c][j] += points[p][j];
          scale[c][j] += Math.abs(points[p][j]);
        }
      }
      for (int c = 0; c < k; c++) {
        if (count.applyAsInt(c) != n[c]) {
          throw new ValidationError(name() + ": cluster " + c + " counts " + count.applyAsInt(c)
              + " points, " + n[c] + " are assigned to it (lost update)");
        }
        for (int j = 0; j < d; j++) {
          double got = sum.apply(c, j);
          if (Math.abs(got - s[c][j]) > 1e-9 * scale[c][j] + 1e-12) {
            throw new ValidationError(name() + ": cluster " + c + " sum[" + j + "] = " + got
                + ", its points sum to " + s[c][j] + " (lost update)");
          }
        }
      }
      if (threads == 1) {
        for (int c = 0; c < k; c++) {
          if (!java.util.Arrays.equals(finalCentres[c], expectedCentres[c])) {
            throw new ValidationError(name() + ": one thread, but centre " + c
                + " differs from the sequential program's");
          }
        }
      }
    }
  }
}
