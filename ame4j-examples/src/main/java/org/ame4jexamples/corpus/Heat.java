package org.ame4jexamples.corpus;

import java.util.SplittableRandom;
import org.ame4j.TransactionQueue;

/**
 * Corpus program: a heat stencil (Jacobi iteration of the 2-D heat equation) over
 * {@code double[][]} grids. Each step computes every interior cell of {@code next} from its four
 * neighbours in {@code cur}, then swaps the grids; the border stays fixed. The loop over row
 * blocks ({@value #ROWS_PER_TASK} rows each) is the one that becomes tasks, one queue run per
 * step: tasks read three rows of {@code cur} per row they write, and write only their own rows of
 * {@code next}, so tasks of one step never conflict on data, and the grid rows are separate
 * arrays.
 *
 * <p>Every task's result depends only on {@code cur}, which no task of the step writes, so any
 * serial order of a step's tasks gives the sequential grid bit for bit: unordered runs too.
 * The check recomputes the whole stencil sequentially from the initial grid and compares.
 */
public final class Heat implements CorpusProgram {
  static final int ROWS_PER_TASK = 4;
  static final int STEPS = 20;

  private final int n;
  private final double[][] initial;
  private double[][] cur;
  private double[][] next;

  /** An {@code n}-by-{@code n} grid ({@code size} cells, rounded) of random temperatures. */
  public Heat(int size, long seed) {
    n = Math.max(8, (int) Math.sqrt(size));
    SplittableRandom random = new SplittableRandom(seed);
    initial = new double[n][n];
    for (double[] row : initial) {
      for (int c = 0; c < n; c++) {
        row[c] = 100 * random.nextDouble();
      }
    }
    cur = copy(initial);
    next = copy(initial);
  }

  private static double[][] copy(double[][] grid) {
    double[][] g = new double[grid.length][];
    for (int r = 0; r < grid.length; r++) {
      g[r] = grid[r].clone();
    }
    return g;
  }

  /** Number of row blocks of the interior (rows 1 .. n-2). */
  private int blocks() {
    return (n - 2 + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
  }

  /** The loop body: computes the rows of block {@code b} of {@code next} from {@code cur}. */
  void block(int b) {
    int lo = 1 + b * ROWS_PER_TASK;
    int hi = Math.min(n - 1, lo + ROWS_PER_TASK);
    for (int r = lo; r < hi; r++) {
      stencilRow(cur[r - 1], cur[r], cur[r + 1], next[r]);
    }
  }

  private static void stencilRow(double[] up, double[] row, double[] down, double[] out) {
    for (int c = 1; c < row.length - 1; c++) {
      out[c] = row[c] + 0.2 * (up[c] + down[c] + row[c - 1] + row[c + 1] - 4 * row[c]);
    }
  }

  private void swap() {
    double[][] t = cur;
    cur = next;
    next = t;
  }

  @Override
  public void runSequential() {
    for (int s = 0; s < STEPS; s++) {
      for (int b = 0, blocks = blocks(); b < blocks; b++) {
        block(b);
      }
      swap();
    }
  }

  @Override
  public void runTasks(TransactionQueue q, int workers) {
    runChunkedTasks(q, workers, 1);
  }

  @Override
  public void runRangeTasks(TransactionQueue q, int workers) {
    for (int s = 0; s < STEPS; s++) {
      q.addRange(0, blocks(), this::block);
      q.run(workers);
      swap();
    }
  }

  @Override
  public void runChunkedTasks(TransactionQueue q, int workers, int chunk) {
    for (int s = 0; s < STEPS; s++) {
      CorpusProgram.runLoop(q, workers, blocks(), chunk, this::block);
      swap();
    }
  }

  @Override
  public String fingerprint() {
    Digest d = new Digest();
    for (double[] row : cur) {
      for (double v : row) {
        d.add(v);
      }
    }
    return d.toString();
  }

  @Override
  public String check() {
    double[][] a = copy(initial);
    double[][] b = copy(initial);
    for (int s = 0; s < STEPS; s++) {
      for (int r = 1; r < n - 1; r++) {
        stencilRow(a[r - 1], a[r], a[r + 1], b[r]);
      }
      double[][] t = a;
      a = b;
      b = t;
    }
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < n; c++) {
        if (Double.doubleToRawLongBits(cur[r][c]) != Double.doubleToRawLongBits(a[r][c])) {
          return "cell (" + r + ", " + c + ") is " + cur[r][c] + ", the sequential stencil gives "
              + a[r][c];
        }
      }
    }
    return null;
  }

  @Override
  public String summary() {
    return "grid=" + n + "x" + n + " steps=" + STEPS + " tasksPerStep=" + blocks();
  }
}
