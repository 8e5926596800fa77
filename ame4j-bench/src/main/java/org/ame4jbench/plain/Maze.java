package org.ame4jbench.plain;

/**
 * Lee's maze routing (C. Y. Lee, IRE Trans. Electronic Computers, 1961; STAMP's
 * {@code labyrinth}) over a plain 3-D grid of {@code int}s: {@link #EMPTY}, or {@code k + 1} for a
 * cell that belongs to pair {@code k} (its two endpoints from the start, its path once routed).
 *
 * <p>Routing one pair is {@link #route} (copy the shared grid into a private array, expand a
 * breadth-first wave from the source over empty cells until it reaches the destination, trace back
 * along decreasing distances) followed by {@link #claim} (check that every cell of the path is
 * still empty in the shared grid, then write the pair's mark into them). The path found is a
 * shortest one in the copy, and deterministic: ties are broken by a fixed neighbour order.
 *
 * <p>What the copy may see: it is only a hint, because {@link #claim} re-checks every cell it
 * writes. Cells only ever go from empty to taken, so a copy that is stale (or, read racily,
 * mixed) shows a subset of the cells that are taken in the end: "no path in the copy" implies
 * "no path in the final grid". Under the agent, {@link #connect} runs as one transaction, so its
 * copy is tracked and consistent (STAMP reads the grid outside transactional tracking; plain code
 * has no way to say that, which is what running it unchanged costs).
 */
public final class Maze {
  public static final int EMPTY = 0;
  /** A private grid's value for a taken cell; 0 is a free cell not reached yet. */
  public static final int BLOCKED = -1;

  public final int width;
  public final int height;
  public final int depth;
  public final int[] grid;
  /** The claimed path of every pair (source first), null while unrouted. */
  public final int[][] paths;
  /**
   * Claims that found a cell taken (then the pair is routed again). Never counted under the
   * agent, where the tracked copy is consistent, so this shared counter causes no conflicts.
   */
  public int reroutes;

  public Maze(int width, int height, int depth, int pairs) {
    this.width = width;
    this.height = height;
    this.depth = depth;
    grid = new int[width * height * depth];
    paths = new int[pairs][];
  }

  /**
   * Routes and claims pair {@code pair} from {@code src} to {@code dst} (cells already marked
   * {@code pair + 1}): re-routes while the claim finds a cell taken, and records the claimed path
   * in {@link #paths}. Returns false if the pair cannot be routed. One transaction of the
   * sequential program and of the automatic variant (the recording is part of it: code outside
   * this package is not instrumented, so the task must not write shared state itself).
   */
  public boolean connect(int pair, int src, int dst) {
    for (;;) {
      int[] path = route(src, dst);
      if (path == null) {
        return false;
      }
      if (claim(path, pair)) {
        paths[pair] = path;
        return true;
      }
      reroutes++;
    }
  }

  /** Private copy, expansion and trace-back (no writes to the shared grid); null if no path. */
  public int[] route(int src, int dst) {
    int[] local = new int[grid.length];
    for (int c = 0; c < local.length; c++) {
      local[c] = grid[c] == EMPTY ? 0 : BLOCKED;
    }
    return findPath(local, width, height, src, dst);
  }

  /** Writes the path's inner cells if all of them are still empty; false (no write) otherwise. */
  public boolean claim(int[] path, int pair) {
    for (int i = 1; i < path.length - 1; i++) {
      if (grid[path[i]] != EMPTY) {
        return false;
      }
    }
    for (int i = 1; i < path.length - 1; i++) {
      grid[path[i]] = pair + 1;
    }
    return true;
  }

  /**
   * The expansion and trace-back on a private grid ({@code local}: 0 free, {@link #BLOCKED}
   * taken; {@code src} and {@code dst} are taken in the shared grid by their own pair and free
   * here). Overwrites {@code local} with wave distances. Returns the cells of a shortest path from
   * {@code src} to {@code dst} (both included), or null.
   */
  public static int[] findPath(int[] local, int width, int height, int src, int dst) {
    local[src] = 1;
    local[dst] = 0;
    int[] wave = new int[local.length];
    int head = 0;
    int tail = 0;
    wave[tail++] = src;
    int plane = width * height;
    int[] near = new int[6];
    while (head < tail && local[dst] == 0) {
      int c = wave[head++];
      int next = local[c] + 1;
      int n = neighbours(c, width, height, local.length / plane, near);
      for (int k = 0; k < n; k++) {
        int m = near[k];
        if (local[m] == 0) {
          local[m] = next;
          wave[tail++] = m;
        }
      }
    }
    if (local[dst] == 0) {
      return null;
    }
    int[] path = new int[local[dst]];
    int c = dst;
    for (int d = local[dst]; d > 1; d--) {
      path[d - 1] = c;
      int n = neighbours(c, width, height, local.length / plane, near);
      int step = -1;
      for (int k = 0; k < n && step < 0; k++) {
        if (local[near[k]] == d - 1) {
          step = near[k];
        }
      }
      c = step; // a wave cell at distance d always has a neighbour at d - 1
    }
    path[0] = c;
    return path;
  }

  /** The in-grid neighbours of {@code c} in a fixed order (x, then y, then z), into {@code out}. */
  public static int neighbours(int c, int width, int height, int depth, int[] out) {
    int plane = width * height;
    int x = c % width;
    int y = c / width % height;
    int z = c / plane;
    int n = 0;
    if (x > 0) {
      out[n++] = c - 1;
    }
    if (x < width - 1) {
      out[n++] = c + 1;
    }
    if (y > 0) {
      out[n++] = c - width;
    }
    if (y < height - 1) {
      out[n++] = c + width;
    }
    if (z > 0) {
      out[n++] = c - plane;
    }
    if (z < depth - 1) {
      out[n++] = c + plane;
    }
    return n;
  }
}
