package org.ame4jexamples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import org.ame4j.Ame;
import org.ame4j.testkit.HangGuard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The demo's parts that need no agent (this JVM has none): the sequential program against
 * Dijkstra, the shortest-path certificate, the explicit-cells version, the plain-array version
 * on one ordered worker, the refusal to run without the agent, and option parsing. The demo
 * itself under the agent: {@link ShortestPathsDemoIT}.
 */
// A hung run must fail the build, not stall it: the guard dumps and interrupts it (a limit that
// a loaded machine stretches); a run that ignores the interrupt is abandoned by the outer bound,
// measured on a separate thread.
@HangGuard(seconds = 120)
@Timeout(value = 6, unit = TimeUnit.HOURS, threadMode = ThreadMode.SEPARATE_THREAD)
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

  @ParameterizedTest
  @CsvSource({"1, 1, 0, 10", "50, 1, 1, 5", "2000, 3, 2, 100", "3000, 8, 3, 1000"})
  void shortestPathCertificateAcceptsDijkstraAndRejectsWrongDistances(
      int vertices, int degree, long seed, int maxWeight) {
    Graph g = Graph.random(vertices, degree, maxWeight, seed);
    int[] dist = dijkstra(g, 0);
    assertNull(g.checkShortestDistances(0, dist));
    for (int v = 1; v < vertices; v++) {
      if (dist[v] != Graph.INFINITY && dist[v] > 0) {
        int[] wrong = dist.clone();
        wrong[v]--; // too short: no tight in-edge
        assertNotNull(g.checkShortestDistances(0, wrong));
        wrong[v] += 2; // too long: an edge shortens it
        assertNotNull(g.checkShortestDistances(0, wrong));
        break;
      }
    }
  }

  /** The explicit-cells version needs no agent: it runs here, in the plain test JVM. */
  @ParameterizedTest(name = "cells, {0} workers, ordered={1}")
  @CsvSource({"1, false", "2, false", "4, false", "1, true", "2, true", "4, true"})
  void cellsVersionMatchesSequential(int workers, boolean ordered) {
    for (long seed = 0; seed < SEEDS; seed++) {
      // Small weights and a low degree make many vertices improve several times: more
      // re-queued tasks and more conflicting writes to the same distance.
      Graph g = Graph.random(3000, 4, 20, seed);
      int[] expected = SequentialShortestPaths.solve(g, 0);
      assertArrayEquals(expected, CellShortestPaths.solve(g, 0, workers, ordered),
          "seed " + seed);
    }
  }

  /**
   * On one worker an ordered queue runs its tasks one after another in the sequential FIFO
   * order, so the plain-array version is correct even without the agent: it is the sequential
   * program with its loop changed, nothing else.
   */
  @Test
  void plainArrayVersionOnOneOrderedWorkerIsTheSequentialProgram() {
    Graph g = Graph.random(2000, 5, 50, 7);
    SequentialShortestPaths seq = SequentialShortestPaths.run(g, 0);
    Ame.resetStats();
    assertArrayEquals(seq.dist(), ParallelShortestPaths.solve(g, 0, 1, true));
    // Ordered mode is the sequential FIFO worklist: same tasks, so one commit per loop iteration.
    assertEquals(seq.polls(), Ame.stats().commits());
  }

  @Test
  void withoutTheAgentTheDemoRefusesAndSaysHowToRunIt() {
    assertFalse(AgentCheck.isActive(), "unit tests run without the agent");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = ShortestPathsDemo.run(new String[] {"--vertices", "3000"},
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    String printed = err.toString(StandardCharsets.UTF_8);
    assertEquals(ShortestPathsDemo.NO_AGENT, status, printed);
    assertTrue(printed.contains("./ame demo"), printed);
    assertTrue(printed.contains("-javaagent:"), printed);
    assertEquals("", out.toString(StandardCharsets.UTF_8), "nothing computed");
  }

  @Test
  void badUsageIsStatusTwo() {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    PrintStream ps = new PrintStream(sink, true, StandardCharsets.UTF_8);
    assertEquals(2, ShortestPathsDemo.run(new String[] {"--vertices", "many"}, ps, ps));
    assertEquals(2, ShortestPathsDemo.run(new String[] {"--frobnicate", "1"}, ps, ps));
    assertEquals(2, ShortestPathsDemo.run(new String[] {"--mode", "sideways"}, ps, ps));
    assertEquals(0, ShortestPathsDemo.run(new String[] {"--help"}, ps, ps));
    assertEquals(2, ShortestPathsDemo.run(new String[] {"--cells", "--vertices"}, ps, ps));
  }
}
