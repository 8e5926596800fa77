package org.ame4jexamples.corpus;

import org.ame4j.TransactionQueue;

/**
 * Corpus program: {@link KMeans} written with coarse tasks, the way issue 14 classes k-means (a
 * program of coarse tasks over mostly private or fresh data). The input, the iterations and the
 * sequential program are {@link KMeans}'s; only the tasks differ. A task assigns a block of
 * {@code block} consecutive points (a size a user would pick: 1,000 by default, so 80 tasks per
 * iteration at bench size), adds each point into {@code sums}/{@code counts} arrays it allocates
 * itself, and adds those into the shared sums and counts once, at its end. The loop over blocks
 * is the one that becomes tasks; the centroids move between the queue runs, as in {@link KMeans}.
 *
 * <p>The plain program is {@link KMeans#runSequential()}: the point-by-point Lloyd's loop, the
 * best sequential program, not a blocked one. So what an ordered run can reproduce is limited:
 * it adds the points into each block's sums, then the blocks in block order, so its sums and
 * centroids can differ from the sequential program's in their last bits (floating-point addition
 * is not associative). It does reproduce every assignment and count, unless a point lies within
 * rounding of two centroids at the same distance; the corpus' inputs have none (CorpusIT
 * compares). The {@link #fingerprint() fingerprint} is therefore the last iteration's
 * membership and counts, exact, and not the sums; {@link #check()} is {@link KMeans#check()}: every
 * point assigned to its nearest centroid of that iteration, every count exact, every sum equal to
 * its points' sum up to rounding, every centroid the mean of its sums.
 */
public final class KMeansLocal implements CorpusProgram {
  /** Points per task unless {@code -Dame4j.corpus.kmeansBlock=N} says otherwise. */
  static final int DEFAULT_BLOCK = 1_000;

  private final KMeans state;
  private final int block;

  /** The input of {@code new KMeans(n, seed)}, assigned {@code block} points per task. */
  public KMeansLocal(int n, long seed, int block) {
    if (block < 1) {
      throw new IllegalArgumentException("k-means block size must be >= 1, was " + block);
    }
    this.state = new KMeans(n, seed);
    this.block = block;
  }

  /** The block size of {@code -Dame4j.corpus.kmeansBlock}, else {@value #DEFAULT_BLOCK}. */
  static int blockFromProperty() {
    return Integer.getInteger("ame4j.corpus.kmeansBlock", DEFAULT_BLOCK);
  }

  private int blocks() {
    return (state.points.length + block - 1) / block;
  }

  /**
   * The loop body: assigns the points of block {@code b} against the iteration's centroids,
   * summing them into the task's own arrays, then adds those into the shared sums and counts.
   */
  void assignBlock(int b) {
    double[][] points = state.points;
    double[][] centroids = state.centroids;
    int[] membership = state.membership;
    int from = b * block;
    int to = Math.min(points.length, from + block);
    double[][] blockSums = new double[KMeans.CLUSTERS][KMeans.DIMENSIONS];
    int[] blockCounts = new int[KMeans.CLUSTERS];
    for (int p = from; p < to; p++) {
      double[] x = points[p];
      int best = 0;
      double bestDistance = Double.POSITIVE_INFINITY;
      for (int c = 0; c < KMeans.CLUSTERS; c++) {
        double[] m = centroids[c];
        double d = 0;
        for (int j = 0; j < KMeans.DIMENSIONS; j++) {
          double t = x[j] - m[j];
          d += t * t;
        }
        if (d < bestDistance) {
          bestDistance = d;
          best = c;
        }
      }
      membership[p] = best;
      double[] s = blockSums[best];
      for (int j = 0; j < KMeans.DIMENSIONS; j++) {
        s[j] += x[j];
      }
      blockCounts[best]++;
    }
    for (int c = 0; c < KMeans.CLUSTERS; c++) {
      double[] shared = state.sums[c];
      double[] mine = blockSums[c];
      for (int j = 0; j < KMeans.DIMENSIONS; j++) {
        shared[j] += mine[j];
      }
      state.counts[c] += blockCounts[c];
    }
  }

  @Override
  public void runSequential() {
    state.runSequential();
  }

  @Override
  public void runTasks(TransactionQueue q, int workers) {
    runChunkedTasks(q, workers, 1);
  }

  @Override
  public void runRangeTasks(TransactionQueue q, int workers) {
    for (int it = 0; it < KMeans.ITERATIONS; it++) {
      state.startIteration();
      q.addRange(0, blocks(), this::assignBlock);
      q.run(workers);
      state.moveCentroids();
    }
  }

  /** {@code chunk} blocks per task. */
  @Override
  public void runChunkedTasks(TransactionQueue q, int workers, int chunk) {
    for (int it = 0; it < KMeans.ITERATIONS; it++) {
      state.startIteration();
      CorpusProgram.runLoop(q, workers, blocks(), chunk, this::assignBlock);
      state.moveCentroids();
    }
  }

  @Override
  public String fingerprint() {
    Digest d = new Digest();
    for (int c = 0; c < KMeans.CLUSTERS; c++) {
      d.add(state.counts[c]);
    }
    return d.add(state.membership).toString();
  }

  @Override
  public String check() {
    return state.check();
  }

  @Override
  public String summary() {
    return state.summary() + " block=" + block;
  }
}
