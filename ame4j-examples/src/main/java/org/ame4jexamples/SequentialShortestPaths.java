package org.ame4jexamples;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Single-source shortest paths, the ordinary sequential way: a label-correcting worklist
 * (Bellman-Ford with a FIFO queue, a.k.a. SPFA). Plain arrays, an {@link ArrayDeque}, one thread.
 *
 * <p>This is the program the demo starts from. {@link ParallelShortestPaths} is the same code
 * with the loop {@code while (!work.isEmpty()) relax(work.poll())} replaced by a {@link
 * org.ame4j.TransactionQueue} and the arrays by transactional cells; compare the two {@code
 * relax} methods line by line.
 */
public final class SequentialShortestPaths {
  private final Graph g;
  private final int[] dist;
  private final boolean[] queued;
  private final ArrayDeque<Integer> work = new ArrayDeque<>();
  private long polls;

  private SequentialShortestPaths(Graph g) {
    this.g = g;
    this.dist = new int[g.vertices];
    this.queued = new boolean[g.vertices];
    Arrays.fill(dist, Graph.INFINITY);
  }

  /** Shortest distances from {@code source}; {@link Graph#INFINITY} where unreachable. */
  public static int[] solve(Graph g, int source) {
    return run(g, source).dist;
  }

  static SequentialShortestPaths run(Graph g, int source) {
    SequentialShortestPaths sp = new SequentialShortestPaths(g);
    sp.dist[source] = 0;
    sp.queued[source] = true;
    sp.work.add(source);
    while (!sp.work.isEmpty()) {
      sp.relax(sp.work.poll());
      sp.polls++;
    }
    return sp;
  }

  /** Relaxes the out-edges of {@code u}; queues every vertex whose distance went down. */
  private void relax(int u) {
    queued[u] = false;
    int du = dist[u];
    for (int e = g.first[u], end = g.first[u + 1]; e < end; e++) {
      int v = g.target[e];
      int dv = du + g.weight[e];
      if (dv < dist[v]) {
        dist[v] = dv;
        if (!queued[v]) {
          queued[v] = true;
          work.add(v);
        }
      }
    }
  }

  int[] dist() {
    return dist;
  }

  /** How many times the loop body ran (vertices taken off the worklist). */
  long polls() {
    return polls;
  }
}
