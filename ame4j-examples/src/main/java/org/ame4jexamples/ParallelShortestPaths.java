package org.ame4jexamples;

import java.util.Arrays;
import org.ame4j.TransactionQueue;

/**
 * {@link SequentialShortestPaths} with its loop run as ame4j tasks, and nothing else changed:
 * the worklist {@code ArrayDeque<Integer>} becomes a {@link TransactionQueue}, {@code
 * work.add(v)} becomes {@code work.add(() -> relax(v))}, and the loop {@code while
 * (!work.isEmpty()) relax(work.poll())} becomes {@code work.run(workers)}. The data stays
 * {@code int[] dist} and {@code boolean[] queued}; compare the two {@code relax} methods line by
 * line.
 *
 * <p>Every task runs as one transaction, so the result is that of <em>some</em> sequential order
 * of the tasks (unordered queue) or of exactly the sequential FIFO order ({@link
 * TransactionQueue#ordered()}). Either way the shortest distances are the sequential ones: they do
 * not depend on the order in which a label-correcting algorithm relaxes vertices.
 *
 * <p><b>Needs the ame4j agent</b> ({@code ./ame demo}, or {@code java -javaagent:…}): the agent
 * is what makes the plain array reads and writes inside a task transactional. Without it, tasks
 * on several workers race on {@code dist} (and ordered runs are not ordered), so the demo checks
 * {@link AgentCheck#isActive()} first and refuses to run. A task relaxes all out-edges of one
 * vertex, which keeps tasks coarse enough to amortise starting and committing a transaction.
 */
public final class ParallelShortestPaths {
  private final Graph g;
  private final int[] dist;
  private final boolean[] queued;
  private final TransactionQueue work;

  private ParallelShortestPaths(Graph g, TransactionQueue work) {
    this.g = g;
    this.dist = new int[g.vertices];
    this.queued = new boolean[g.vertices];
    this.work = work;
    Arrays.fill(dist, Graph.INFINITY);
  }

  /**
   * Shortest distances from {@code source} computed by {@code workers} worker threads; {@code
   * ordered} selects {@link TransactionQueue#ordered()}.
   */
  public static int[] solve(Graph g, int source, int workers, boolean ordered) {
    return solve(g, source, ordered ? TransactionQueue.ordered() : new TransactionQueue(), workers);
  }

  /** Shortest distances from {@code source}, as tasks of {@code work} on {@code workers}. */
  public static int[] solve(Graph g, int source, TransactionQueue work, int workers) {
    ParallelShortestPaths sp = new ParallelShortestPaths(g, work);
    sp.dist[source] = 0;
    sp.queued[source] = true;
    sp.work.add(() -> sp.relax(source));
    sp.work.run(workers);
    return sp.dist;
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
          work.add(() -> relax(v));
        }
      }
    }
  }
}
