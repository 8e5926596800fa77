package org.ame4j.bench.stamp;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.ame4j.TransactionQueue;
import org.ame4j.bench.stamp.cells.Stm;
import org.ame4j.bench.stamp.cells.Stm.TInt;
import org.ame4jbench.plain.Maze;

/**
 * STAMP's {@code labyrinth} (Minh et al., IISWC 2008; Lee's maze routing, after Watson et al.'s
 * transactional version): connect {@code pairs} random (source, destination) pairs in a 3-D grid
 * by paths of adjacent cells that never share a cell. STAMP's inputs are {@code x32-y32-z3-n96}
 * (small) to {@code x512-y512-z7-n512} (large); the grid here has 3 layers like the small and
 * medium ones. One transaction per pair: copy the grid privately, expand a breadth-first wave
 * from the source on the copy, trace a shortest path back from the destination, then check that
 * every cell of the path is still empty in the shared grid and claim them all; if one was taken
 * meanwhile, route again from a fresh copy. A pair that has no path in its copy stays unrouted.
 *
 * <p>Where the copy happens, per variant (see {@link Maze}): the cells variants read it outside
 * the transaction with each system's committed non-transactional read ({@code peek}), as STAMP
 * copies outside transactional tracking, and only the check-and-claim is an atomic block; the
 * global lock reads it outside the lock (racy reads of cells that only go from empty to taken)
 * and claims under the lock; the automatic variant runs the whole loop body as one task, so its
 * copy is tracked: a commit that claims a cell it has copied aborts it (STAMP without early
 * release). Routing then depends on the commit order, so the number of routed pairs may differ
 * from the sequential program's on 2 threads; it is reported in the {@code detail} column, with
 * the re-routes (claims that found a cell taken). For the peers' abort rate, a re-route counts as
 * an aborted attempt (STAMP restarts the transaction there) and a pair without a path as one
 * attempt; ame4j's statistics count the claim that found a cell taken as a commit.
 *
 * <p>Validation (every run): every routed path runs from its source to its destination through
 * adjacent cells, no cell is on two paths, the grid holds exactly the routed paths and the
 * endpoints (every marked cell belongs to its pair's recorded path or is an endpoint of its pair),
 * and no unrouted pair has a path in the final grid (so "unroutable" was true: a copy never shows
 * a cell taken that is not taken at the end). On 1 thread, the grid equals the sequential
 * program's cell for cell, and so does the number of routed pairs.
 */
final class LabyrinthWorkload implements Workload {
  private int width;
  private int height;
  private int depth;
  private int[] src;
  private int[] dst;
  private int[] expectedGrid;
  private int expectedRouted;

  @Override
  public String name() {
    return "labyrinth";
  }

  @Override
  public String description() {
    return width + "x" + height + "x" + depth + " grid, " + src.length + " pairs (the sequential"
        + " program routes " + expectedRouted + ")";
  }

  @Override
  public boolean lowContention() {
    return false;
  }

  @Override
  public Set<Variant> variants() {
    return EnumSet.complementOf(EnumSet.of(Variant.JUC));
  }

  @Override
  public void generate(Size s, long seed) {
    width = s.pick(16, 32, 64);
    height = width;
    depth = 3;
    int pairs = s.pick(24, 96, 192);
    SplittableRandom rnd = new SplittableRandom(seed * 23 + 5);
    int cells = width * height * depth;
    boolean[] used = new boolean[cells];
    src = new int[pairs];
    dst = new int[pairs];
    for (int k = 0; k < pairs; k++) {
      src[k] = freeCell(rnd, used);
      dst[k] = freeCell(rnd, used);
    }
    Maze m = newPlain();
    int routed = 0;
    for (int k = 0; k < pairs; k++) {
      routed += m.connect(k, src[k], dst[k]) ? 1 : 0;
    }
    expectedGrid = m.grid;
    expectedRouted = routed;
  }

  private static int freeCell(SplittableRandom rnd, boolean[] used) {
    for (;;) {
      int c = rnd.nextInt(used.length);
      if (!used[c]) {
        used[c] = true;
        return c;
      }
    }
  }

  private Maze newPlain() {
    Maze m = new Maze(width, height, depth, src.length);
    for (int k = 0; k < src.length; k++) {
      m.grid[src[k]] = k + 1;
      m.grid[dst[k]] = k + 1;
    }
    return m;
  }

  @Override
  public Run prepare(Variant v, int threads) {
    int n = src.length;
    if (v == Variant.SEQUENTIAL || v == Variant.AME_AUTO || v == Variant.LOCK) {
      Maze m = newPlain();
      int[][] paths = m.paths;
      TransactionQueue q = v == Variant.AME_AUTO
          ? Threads.queue(n, k -> () -> m.connect(k, src[k], dst[k])) : null;
      Object lock = new Object();
      Threads.Attempts reroutes = new Threads.Attempts(threads);
      return new Checked(threads, paths, () -> m.grid) {
        @Override
        long reroutes() {
          return m.reroutes + reroutes.total();
        }

        @Override
        public void execute() {
          switch (v) {
            case SEQUENTIAL -> {
              for (int k = 0; k < n; k++) {
                m.connect(k, src[k], dst[k]);
              }
            }
            case AME_AUTO -> q.run(threads);
            default -> Threads.run(threads, n, (t, lo, hi) -> {
              for (int k = lo; k < hi; k++) {
                for (;;) {
                  int[] path = m.route(src[k], dst[k]); // racy reads: a hint, see Maze
                  boolean claimed;
                  if (path != null) {
                    synchronized (lock) {
                      claimed = m.claim(path, k);
                    }
                  } else {
                    claimed = true;
                  }
                  if (claimed) {
                    paths[k] = path;
                    break;
                  }
                  reroutes.hit(t);
                }
              }
            });
          }
        }
      };
    }
    int[][] paths = new int[n][];
    Stm stm = v.stm();
    int[] initial = newPlain().grid;
    TInt[] grid = new TInt[initial.length];
    for (int c = 0; c < grid.length; c++) {
      grid[c] = stm.newInt(initial[c]);
    }
    Threads.Attempts attempts = new Threads.Attempts(threads);
    Threads.Attempts reroutes = new Threads.Attempts(threads);
    return new Checked(threads, paths, () -> {
      int[] g = new int[grid.length];
      for (int c = 0; c < g.length; c++) {
        g[c] = grid[c].peek();
      }
      return g;
    }) {
      @Override
      public void execute() {
        Threads.run(threads, n, (t, lo, hi) -> {
          for (int k = lo; k < hi; k++) {
            int mark = k + 1;
            for (;;) {
              int[] local = new int[grid.length]; // the private copy, outside the transaction
              for (int c = 0; c < local.length; c++) {
                local[c] = grid[c].peek() == Maze.EMPTY ? 0 : Maze.BLOCKED;
              }
              int[] path = Maze.findPath(local, width, height, src[k], dst[k]);
              if (path == null) {
                attempts.hit(t); // STAMP's transaction that finds no path commits as a no-op
                break;
              }
              boolean claimed = stm.atomic(txn -> {
                attempts.hit(t);
                for (int i = 1; i < path.length - 1; i++) {
                  if (grid[path[i]].get(txn) != Maze.EMPTY) {
                    return false;
                  }
                }
                for (int i = 1; i < path.length - 1; i++) {
                  grid[path[i]].set(txn, mark);
                }
                return true;
              });
              if (claimed) {
                paths[k] = path;
                break;
              }
              reroutes.hit(t);
            }
          }
        });
      }

      @Override
      public long attempts() {
        return attempts.total();
      }

      @Override
      long reroutes() {
        return reroutes.total();
      }
    };
  }

  private abstract class Checked implements Run {
    private final int threads;
    private final int[][] paths;
    private final java.util.function.Supplier<int[]> finalGrid;
    private int routed = -1;

    Checked(int threads, int[][] paths, java.util.function.Supplier<int[]> finalGrid) {
      this.threads = threads;
      this.paths = paths;
      this.finalGrid = finalGrid;
    }

    @Override
    public long operations() {
      return src.length;
    }

    /** Claims that found a cell taken since the copy, so the pair was routed again. */
    abstract long reroutes();

    @Override
    public String detail() {
      return "routed=" + routed + "/" + src.length + ",reroutes=" + reroutes();
    }

    @Override
    public void validate() {
      int[] g = finalGrid.get();
      int[] owner = new int[g.length];
      Arrays.fill(owner, -1);
      int[] near = new int[6];
      routed = 0;
      for (int k = 0; k < paths.length; k++) {
        int[] p = paths[k];
        if (p == null) {
          continue;
        }
        routed++;
        if (p.length < 2 || p[0] != src[k] || p[p.length - 1] != dst[k]) {
          throw new ValidationError("labyrinth: pair " + k + "'s path does not run from its source"
              + " to its destination");
        }
        for (int i = 0; i < p.length; i++) {
          if (i > 0 && !adjacent(p[i - 1], p[i], near)) {
            throw new ValidationError("labyrinth: pair " + k + "'s path jumps from cell "
                + p[i - 1] + " to " + p[i]);
          }
          if (owner[p[i]] >= 0) {
            throw new ValidationError("labyrinth: cell " + p[i] + " is on the paths of pairs "
                + owner[p[i]] + " and " + k);
          }
          owner[p[i]] = k;
          if (g[p[i]] != k + 1) {
            throw new ValidationError("labyrinth: cell " + p[i] + " of pair " + k + "'s path holds "
                + g[p[i]] + " in the grid, not " + (k + 1));
          }
        }
      }
      for (int c = 0; c < g.length; c++) {
        int k = g[c] - 1;
        if (k >= 0 && owner[c] != k && !(paths[k] == null && (c == src[k] || c == dst[k]))) {
          throw new ValidationError("labyrinth: cell " + c + " is marked for pair " + k
              + ", but is on no recorded path of it (a lost or leaked claim)");
        }
      }
      for (int k = 0; k < paths.length; k++) {
        if (g[src[k]] != k + 1 || g[dst[k]] != k + 1) {
          throw new ValidationError("labyrinth: an endpoint of pair " + k + " was overwritten");
        }
        if (paths[k] == null) {
          int[] local = new int[g.length];
          for (int c = 0; c < g.length; c++) {
            local[c] = g[c] == Maze.EMPTY ? 0 : Maze.BLOCKED;
          }
          if (Maze.findPath(local, width, height, src[k], dst[k]) != null) {
            throw new ValidationError("labyrinth: pair " + k + " was left unrouted, but the final"
                + " grid has a path for it");
          }
        }
      }
      if (threads == 1 && (routed != expectedRouted || !Arrays.equals(g, expectedGrid))) {
        throw new ValidationError("labyrinth: one thread, but the grid differs from the"
            + " sequential program's (" + routed + " routed, expected " + expectedRouted + ")");
      }
    }

    private boolean adjacent(int a, int b, int[] near) {
      int n = Maze.neighbours(a, width, height, depth, near);
      for (int i = 0; i < n; i++) {
        if (near[i] == b) {
          return true;
        }
      }
      return false;
    }
  }
}
