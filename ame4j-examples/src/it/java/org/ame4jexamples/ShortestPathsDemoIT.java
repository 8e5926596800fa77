package org.ame4jexamples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.ame4j.testkit.ChildJvm;
import org.ame4j.testkit.HangGuard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The demo as users run it, in a child JVM with the agent ({@link ChildJvm}): the plain-array
 * task version must compute exactly the sequential distances, unordered and ordered, on 1 and 2
 * workers, next to the explicit-cells version ({@code --cells}). The demo compares every parallel
 * run with the sequential one itself and exits with status 1 on any difference.
 */
@HangGuard(seconds = 300) // each child JVM has its own limit and is dumped, then killed
class ShortestPathsDemoIT {
  @Test
  void demoUnderTheAgentReportsSuccess() {
    ChildJvm.Result r = ChildJvm.java().agent().childClassPath().mergeStderr().timeout(240).run(ShortestPathsDemo.class.getName(), List.of(
        "--vertices", "3000", "--degree", "6", "--workers=2", "--warmup", "500", "--cells"));
    String printed = r.output();
    assertEquals(0, r.status(), printed);
    assertTrue(printed.contains("sequential (plain Java)"), printed);
    assertTrue(printed.contains("unordered, 2 workers"), printed);
    assertTrue(printed.contains("cells, ordered, 2 workers"), printed);
    assertTrue(printed.contains("OK: all 8 parallel runs"), printed);
    assertEquals(List.of(), r.linesContaining("cannot instrument"), printed);
  }

  /**
   * Small weights and a low degree make many vertices improve several times: more re-queued
   * tasks and more conflicting writes to the same distance (the old in-process test's graphs).
   */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(ints = {0, 1, 2})
  void plainArraysUnderTheAgentMatchTheSequentialDistances(int seed) {
    ChildJvm.Result r = ChildJvm.java().agent().childClassPath().mergeStderr().timeout(240).run(ShortestPathsDemo.class.getName(), List.of(
        "--vertices", "3000", "--degree", "4", "--max-weight", "20", "--seed",
        String.valueOf(seed), "--workers", "4", "--warmup", "0"));
    assertEquals(0, r.status(), r.output());
    assertTrue(r.output().contains("OK: all 4 parallel runs"), r.output());
    // The task counts: ordered runs relax vertices in the loop's FIFO order, so they run exactly
    // its iterations; the output says why unordered runs may differ, and by how much.
    long iterations = tasks(r.output(), "sequential (plain Java)");
    assertEquals(iterations, tasks(r.output(), "ordered, 1 worker"), r.output());
    assertEquals(iterations, tasks(r.output(), "ordered, 4 workers"), r.output());
    assertTrue(r.output().contains(ShortestPathsDemo.TASK_COUNT_NOTE), r.output());
    long unordered = tasks(r.output(), "unordered, 4 workers");
    if (unordered != iterations) {
      assertTrue(r.output().contains(ShortestPathsDemo.taskCountDifference(
          "unordered, 4 workers", unordered, iterations)), r.output());
    }
  }

  /** The "tasks" column of the table row {@code label}. */
  private static long tasks(String printed, String label) {
    String row = printed.lines().filter(l -> l.startsWith(label + " ")).findFirst()
        .orElseThrow(() -> new AssertionError("no row '" + label + "' in\n" + printed));
    return Long.parseLong(row.substring(60, 72).strip().replace(",", ""));
  }

  @Test
  void withoutTheAgentTheDemoRefusesAndSaysHowToRunIt() {
    ChildJvm.Result r = ChildJvm.java().childClassPath().mergeStderr().run(ShortestPathsDemo.class.getName(), "--vertices", "100");
    assertEquals(ShortestPathsDemo.NO_AGENT, r.status(), r.output());
    assertTrue(r.output().contains("./ame demo"), r.output());
    assertTrue(r.output().contains("-javaagent:"), r.output());
  }
}
