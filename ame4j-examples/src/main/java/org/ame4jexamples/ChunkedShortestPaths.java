package org.ame4jexamples;

import java.util.Arrays;
import org.ame4j.TransactionQueue;

/**
 * {@link ParallelShortestPaths} with coarser tasks: a task relaxes a chunk of up to {@code chunk}
 * worklist vertices in order, then queues the vertices whose distance went down as new chunks of
 * the same size (in the order they were found). The queued chunks, concatenated, are the
 * sequential FIFO of {@link SequentialShortestPaths}, so an ordered queue relaxes vertices in
 * exactly the sequential order. Distances do not depend on the order anyway.
 *
 * <p>What a real user of a task queue would write when one vertex is too little work for a
 * task; the agent-overhead harness runs it next to the one-vertex-per-task demo.
 */
public final class ChunkedShortestPaths {
  private final Graph g;
  private final int[] dist;
  private final boolean[] queued;
  private final TransactionQueue work;
  private final int chunk;

  private ChunkedShortestPaths(Graph g, TransactionQueue work, int chunk) {
    if (chunk < 1) {
      throw new IllegalArgumentException("chunk must be >= 1, was " + chunk);
    }
    this.g = g;
    this.dist = new int[g.vertices];
    this.queued = new boolean[g.vertices];
    this.work = work;
    this.chunk = chunk;
    Arrays.fill(dist, Graph.INFINITY);
  }

  /** Shortest distances from {@code source}, as tasks of up to {@code chunk} vertices. */
  public static int[] solve(Graph g, int source, TransactionQueue work, int workers, int chunk) {
    ChunkedShortestPaths sp = new ChunkedShortestPaths(g, work, chunk);
    sp.dist[source] = 0;
    sp.queued[source] = true;
    int[] first = {source};
    sp.work.add(() -> sp.relaxAll(first));
    sp.work.run(workers);
    return sp.dist;
  }

  private void relaxAll(int[] vertices) {
    int[] found = new int[16]; // allocated by the task: its own, untracked
    int count = 0;
    for (int u : vertices) {
      queued[u] = false;
      int du = dist[u];
      for (int e = g.first[u], end = g.first[u + 1]; e < end; e++) {
        int v = g.target[e];
        int dv = du + g.weight[e];
        if (dv < dist[v]) {
          dist[v] = dv;
          if (!queued[v]) {
            queued[v] = true;
            if (count == found.length) {
              found = grow(found);
            }
            found[count++] = v;
          }
        }
      }
    }
    for (int start = 0; start < count; start += chunk) {
      int[] next = new int[Math.min(chunk, count - start)];
      for (int i = 0; i < next.length; i++) {
        next[i] = found[start + i];
      }
      work.add(() -> relaxAll(next));
    }
  }

  /** A plain loop, not {@code Arrays.copyOf}: a JDK call would make the task inevitable. */
  private static int[] grow(int[] a) {
    int[] b = new int[a.length * 2];
    for (int i = 0; i < a.length; i++) {
      b[i] = a[i];
    }
    return b;
  }
}
