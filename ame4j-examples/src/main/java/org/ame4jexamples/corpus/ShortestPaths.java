package org.ame4jexamples.corpus;

import org.ame4j.TransactionQueue;
import org.ame4jexamples.ChunkedShortestPaths;
import org.ame4jexamples.Graph;
import org.ame4jexamples.ParallelShortestPaths;
import org.ame4jexamples.SequentialShortestPaths;

/**
 * The demo's program ({@code ./ame demo}) as a corpus entry, so the corpus tests and the
 * agent-overhead harness treat it like the others: {@link SequentialShortestPaths} versus
 * {@link ParallelShortestPaths} (plain {@code int[]}, the loop changed into tasks) on a random
 * graph of out-degree 8. The check is the shortest-path certificate of {@link
 * Graph#checkShortestDistances}; distances do not depend on the task order, so every run has
 * the sequential fingerprint.
 */
public final class ShortestPaths implements CorpusProgram {
  private final Graph g;
  private int[] dist;

  public ShortestPaths(int vertices, long seed) {
    g = Graph.random(vertices, 8, 1_000, seed);
  }

  @Override
  public void runSequential() {
    dist = SequentialShortestPaths.solve(g, 0);
  }

  @Override
  public void runTasks(TransactionQueue q, int workers) {
    dist = ParallelShortestPaths.solve(g, 0, q, workers);
  }

  @Override
  public void runChunkedTasks(TransactionQueue q, int workers, int chunk) {
    dist = chunk == 1 ? ParallelShortestPaths.solve(g, 0, q, workers)
        : ChunkedShortestPaths.solve(g, 0, q, workers, chunk);
  }

  @Override
  public String fingerprint() {
    return new Digest().add(dist).toString();
  }

  @Override
  public String check() {
    return g.checkShortestDistances(0, dist);
  }

  @Override
  public String summary() {
    return "vertices=" + g.vertices() + " edges=" + g.edges();
  }
}
