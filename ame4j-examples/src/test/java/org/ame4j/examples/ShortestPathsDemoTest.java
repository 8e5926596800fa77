package org.ame4j.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.PriorityQueue;
import org.ame4j.Ame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

// A hung run must fail the build, not stall it: the timeout is measured on a separate thread.
@Timeout(value = 120, threadMode = ThreadMode.SEPARATE_THREAD)
class ShortestPathsDemoTest {
  /** Graphs per configuration; many more under {@code mvn -Pstress test}. */
  private static final int SEEDS = Boolean.getBoolean("ame4j.stress") ? 30 : 3;

  /** Textbook Dijkstra, independent of the demo code, as the reference. */
  private static int[] dijkstra(Graph g, int source) {
    int[] dist = new int[g.vertices];
    Arrays.fill(dist, Graph.INFINITY);
    dist[source] = 0;
    PriorityQueue<long[]> heap = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
    heap.add(new long[] {0, source});
    while (!heap.isEmpty()) {
      long[] top = heap.poll();
      int u = (int) top[1];
      if (top[0] > dist[u]) {
        continue;
      }
      for (int e = g.first[u]; e < g.first[u + 1]; e++) {
        int v = g.target[e];
        int dv = dist[u] + g.weight[e];
        if (dv < dist[v]) {
          dist[v] = dv;
          heap.add(new long[] {dv, v});
        }
      }
    }
    return dist;
  }

  @ParameterizedTest
  @CsvSource({"1, 1, 0, 10", "50, 1, 1, 5", "2000, 3, 2, 100", "3000, 8, 3, 1000"})
  void sequentialMatchesDijkstra(int vertices, int degree, long seed, int maxWeight) {
    Graph g = Graph.random(vertices, degree, maxWeight, seed);
    assertArrayEquals(dijkstra(g, 0), SequentialShortestPaths.solve(g, 0));
  }

  @ParameterizedTest(name = "{0} workers, ordered={1}")
  @CsvSource({"1, false", "2, false", "4, false", "1, true", "2, true", "4, true"})
  void parallelMatchesSequential(int workers, boolean ordered) {
    for (long seed = 0; seed < SEEDS; seed++) {
      // Small weights and a low degree make many vertices improve several times: more
      // re-queued tasks and more conflicting writes to the same distance.
      Graph g = Graph.random(3000, 4, 20, seed);
      int[] expected = SequentialShortestPaths.solve(g, 0);
      assertArrayEquals(expected, ParallelShortestPaths.solve(g, 0, workers, ordered),
          "seed " + seed);
    }
  }

  @Test
  void orderedRunsExactlyTheSequentialTasks() {
    Graph g = Graph.random(2000, 5, 50, 7);
    SequentialShortestPaths seq = SequentialShortestPaths.run(g, 0);
    Ame.resetStats();
    ParallelShortestPaths.solve(g, 0, 2, true);
    // Ordered mode is the sequential FIFO worklist: same tasks, so one commit per loop iteration.
    assertEquals(seq.polls(), Ame.stats().commits());
  }

  @Test
  void demoReportsSuccess() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = ShortestPathsDemo.run(
        new String[] {"--vertices", "3000", "--degree", "6", "--workers=2", "--warmup", "500"},
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    String printed = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, status, printed + err.toString(StandardCharsets.UTF_8));
    assertTrue(printed.contains("sequential (plain Java)"), printed);
    assertTrue(printed.contains("unordered, 2 workers"), printed);
    assertTrue(printed.contains("ordered, 2 workers"), printed);
    assertTrue(printed.contains("OK: all 4 parallel runs"), printed);
  }

  @Test
  void badUsageIsStatusTwo() {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    PrintStream ps = new PrintStream(sink, true, StandardCharsets.UTF_8);
    assertEquals(2, ShortestPathsDemo.run(new String[] {"--vertices", "many"}, ps, ps));
    assertEquals(2, ShortestPathsDemo.run(new String[] {"--frobnicate", "1"}, ps, ps));
    assertEquals(2, ShortestPathsDemo.run(new String[] {"--mode", "sideways"}, ps, ps));
    assertEquals(0, ShortestPathsDemo.run(new String[] {"--help"}, ps, ps));
  }
}
