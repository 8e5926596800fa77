package org.ame4j.examples;

import org.ame4j.IntRef;
import org.ame4j.Ref;
import org.ame4j.TransactionQueue;

/**
 * {@link SequentialShortestPaths}, parallelised with ame4j: the loop body {@code relax(u)} becomes
 * a task, {@code work.add(v)} becomes {@code work.add(() -> relax(v))}, and the loop {@code while
 * (!work.isEmpty()) relax(work.poll())} becomes {@code work.run(workers)}. Nothing else changes.
 *
 * <p>Every task runs as one transaction, so the result is that of <em>some</em> sequential order
 * of the tasks (unordered queue) or of exactly the sequential FIFO order ({@link
 * TransactionQueue#ordered()}). Either way the shortest distances are the sequential ones: they do
 * not depend on the order in which a label-correcting algorithm relaxes vertices.
 *
 * <p>Today the shared arrays are explicit transactional cells ({@code IntRef[]}, {@code
 * Ref<Boolean>[]}) because nothing tracks plain array accesses yet; with the ame4j agent they go
 * back to {@code int[]} and {@code boolean[]}. The graph itself is read-only and stays plain.
 *
 * <p>A task relaxes all out-edges of one vertex, which keeps tasks coarse enough to amortise the
 * cost of starting and committing a transaction.
 */
public final class ParallelShortestPaths {
  private final Graph g;
  private final IntRef[] dist;
  private final Ref<Boolean>[] queued;
  private final TransactionQueue work;

  @SuppressWarnings("unchecked")
  private ParallelShortestPaths(Graph g, int source, boolean ordered) {
    this.g = g;
    this.dist = new IntRef[g.vertices];
    this.queued = (Ref<Boolean>[]) new Ref<?>[g.vertices];
    for (int v = 0; v < g.vertices; v++) {
      dist[v] = new IntRef(v == source ? 0 : Graph.INFINITY);
      queued[v] = new Ref<>(v == source);
    }
    this.work = ordered ? TransactionQueue.ordered() : new TransactionQueue();
  }

  /**
   * Shortest distances from {@code source} computed by {@code workers} worker threads; {@code
   * ordered} selects {@link TransactionQueue#ordered()}.
   */
  public static int[] solve(Graph g, int source, int workers, boolean ordered) {
    ParallelShortestPaths sp = new ParallelShortestPaths(g, source, ordered);
    sp.work.add(() -> sp.relax(source));
    sp.work.run(workers);
    return sp.distances();
  }

  /** Relaxes the out-edges of {@code u}; queues every vertex whose distance went down. */
  private void relax(int u) {
    queued[u].set(false);
    int du = dist[u].get();
    for (int e = g.first[u], end = g.first[u + 1]; e < end; e++) {
      int v = g.target[e];
      int dv = du + g.weight[e];
      if (dv < dist[v].get()) {
        dist[v].set(dv);
        if (!queued[v].get()) {
          queued[v].set(true);
          work.add(() -> relax(v));
        }
      }
    }
  }

  /** The final distances, read after {@code run} returned (no task is running any more). */
  private int[] distances() {
    int[] result = new int[dist.length];
    for (int v = 0; v < dist.length; v++) {
      result[v] = dist[v].get();
    }
    return result;
  }
}
