package org.ame4jexamples;

import org.ame4j.IntRef;
import org.ame4j.Ref;
import org.ame4j.TransactionQueue;

/**
 * {@link ParallelShortestPaths} written without the agent: the shared arrays are explicit
 * transactional cells ({@code IntRef[]}, {@code Ref<Boolean>[]}), which ame4j-core tracks on its
 * own. This is how the demo was written before the agent existed; {@code ./ame demo --cells}
 * runs it next to the plain-array version, to compare the cost of the agent's barriers on
 * {@code int[]} with that of one cell object per element.
 *
 * <p>It works with or without the agent (the agent leaves the cells' own code alone); the graph
 * is read-only and stays plain.
 */
public final class CellShortestPaths {
  private final Graph g;
  private final IntRef[] dist;
  private final Ref<Boolean>[] queued;
  private final TransactionQueue work;

  @SuppressWarnings("unchecked")
  private CellShortestPaths(Graph g, int source, boolean ordered) {
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
    CellShortestPaths sp = new CellShortestPaths(g, source, ordered);
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
