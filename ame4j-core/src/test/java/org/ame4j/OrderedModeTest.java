package org.ame4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.ame4j.TaskProgram.Failure;
import org.ame4j.TaskProgram.Outcome;
import org.ame4j.TaskProgram.Step;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Ordered mode: the final state equals the plain sequential worklist, byte for byte, for any
 * worker count; an exception in task i commits exactly the tasks before i, rolls i back and
 * leaves every task after i queued, in order.
 */
class OrderedModeTest {

  private static final int SEEDS = TestUtil.scale(200, 3000);

  /** 0 workers is the serial reference mode: for an ordered queue, FIFO on the calling thread. */
  @ParameterizedTest(name = "{0} workers")
  @ValueSource(ints = {0, 1, 2, 4, 8})
  void randomizedProgramsMatchTheSequentialWorklist(int workers) {
    for (int i = 0; i < SEEDS; i++) {
      long seed = 1000 + i;
      runAndCompare(new TaskProgram(seed, 0), workers);
    }
  }

  @ParameterizedTest(name = "{0} workers")
  @ValueSource(ints = {0, 1, 2, 4, 8})
  void randomizedProgramsWithExceptionsMatchTheSequentialWorklist(int workers) {
    int withFailures = 0;
    for (int i = 0; i < SEEDS; i++) {
      long seed = 50_000 + i;
      withFailures += runAndCompare(new TaskProgram(seed, 25), workers) > 0 ? 1 : 0;
    }
    // The generator must actually exercise the exception path (a property of the seeds).
    assertTrue(withFailures > SEEDS / 10, "too few programs with failures: " + withFailures);
  }

  /**
   * Runs the program on an ordered queue, re-running after each failure exactly as a caller
   * would, and checks every intermediate and the final state against the reference. Returns the
   * number of failures seen.
   */
  static int runAndCompare(TaskProgram p, int workers) {
    Outcome expected = p.reference();
    TaskProgram.StmWorld w = p.new StmWorld(TransactionQueue.ordered(), false);
    assertTrue(w.queue.isOrdered());
    List<TaskProgram.StmWorld.Task> initial = w.addInitial();
    Map<Step, Runnable> initialByStep = new HashMap<>();
    for (TaskProgram.StmWorld.Task t : initial) {
      initialByStep.put(t.step, t);
    }
    String where = "seed " + p.seed + ", " + workers + " workers";

    int failures = 0;
    while (true) {
      try {
        w.queue.run(workers);
        break;
      } catch (TaskFailedException ex) {
        assertTrue(
            failures < expected.failures.size(),
            () -> where + ": unexpected failure " + ex + " (reference has " + expected.failures.size() + ")");
        Failure f = expected.failures.get(failures);
        int n = failures;
        failures++;
        assertNotNull(ex.task(), where);
        assertTrue(ex.task() instanceof TaskProgram.StmWorld.Task, where);
        Step thrower = ((TaskProgram.StmWorld.Task) ex.task()).step;
        assertEquals(f.thrower, thrower, () -> where + ": failure #" + n + " from the wrong task");
        if (initialByStep.containsKey(thrower)) {
          assertSame(initialByStep.get(thrower), ex.task(), where + ": task() is not the added task");
        }
        assertNotNull(ex.getCause(), where);
        assertEquals(f.causeType, ex.getCause().getClass(), where);
        Set<Throwable> thrown = w.thrown.get(thrower.id());
        assertTrue(
            thrown != null && thrown.contains(ex.getCause()),
            () -> where + ": cause is not the object the task threw: " + ex.getCause());
        assertEquals(f.state, w.snapshot(), () -> where + ": state after failure #" + n);
        assertEquals(f.committedBefore, w.commits.get(), () -> where + ": afterCommit runs at failure #" + n);
        assertEquals(f.pending, w.pendingSteps(), () -> where + ": queue after failure #" + n);
        assertEquals(f.pending.size(), w.queue.size(), where);
        List<Runnable> pending = w.queue.pendingTasks();
        for (Runnable r : pending) {
          Step s = ((TaskProgram.StmWorld.Task) r).step;
          if (initialByStep.containsKey(s)) {
            assertSame(initialByStep.get(s), r, where + ": queued task is not the added one");
          }
        }
        assertTrue(!pending.contains(ex.task()), where + ": failed task left in the queue");
      }
    }
    int seen = failures;
    assertEquals(expected.failures.size(), seen, () -> where + ": failures");
    assertEquals(expected.end, w.snapshot(), () -> where + ": final state");
    assertEquals(0, w.queue.size(), where);
    assertEquals(expected.committed.size(), w.commits.get(), () -> where + ": committed tasks");
    return failures;
  }

  @Test
  void sameProgramIsDeterministicAcrossRunsAndWorkerCounts() {
    TaskProgram p = new TaskProgram(777, 0);
    TaskProgram.Snapshot first = null;
    for (int rep = 0; rep < 3; rep++) {
      for (int workers : TestUtil.WORKERS) {
        TaskProgram.StmWorld w = p.new StmWorld(TransactionQueue.ordered(), false);
        w.addInitial();
        w.queue.run(workers);
        TaskProgram.Snapshot s = w.snapshot();
        if (first == null) {
          first = s;
        }
        assertEquals(first, s, "run " + rep + " on " + workers + " workers");
      }
    }
  }

  /** The simplest case, spelled out: the thrower's writes and adds vanish, the rest stays. */
  @ParameterizedTest(name = "{0} workers")
  @ValueSource(ints = {1, 2, 4, 8})
  void exceptionInTaskICommitsBeforeAndQueuesAfter(int workers) {
    TransactionQueue q = TransactionQueue.ordered();
    IntRef[] cells = new IntRef[40];
    for (int i = 0; i < cells.length; i++) {
      cells[i] = new IntRef(0);
    }
    IntRef hot = new IntRef(0);
    AtomicInteger childRuns = new AtomicInteger();
    RuntimeException boom = new IllegalStateException("task 17");
    List<Runnable> tasks = new ArrayList<>();
    for (int i = 0; i < cells.length; i++) {
      int k = i;
      Runnable t =
          new Runnable() {
            @Override
            public void run() {
              cells[k].set(k + 1);
              hot.set(hot.get() * 7 + k); // order-sensitive
              q.add(() -> Ame.afterCommit(childRuns::incrementAndGet));
              if (k == 17) {
                throw boom;
              }
            }

            @Override
            public String toString() {
              return "task" + k;
            }
          };
      tasks.add(t);
      q.add(t);
    }
    TaskFailedException ex = assertThrows(TaskFailedException.class, () -> q.run(workers));
    assertSame(boom, ex.getCause());
    assertSame(tasks.get(17), ex.task());
    int expectedHot = 0;
    for (int i = 0; i < 17; i++) {
      expectedHot = expectedHot * 7 + i;
    }
    for (int i = 0; i < cells.length; i++) {
      assertEquals(i < 17 ? i + 1 : 0, cells[i].get(), "cell " + i);
    }
    assertEquals(expectedHot, hot.get());
    // Tasks 18..39 stay queued in order, followed by the 17 children of the committed tasks.
    List<Runnable> pending = q.pendingTasks();
    assertEquals(22 + 17, pending.size());
    assertEquals(pending.size(), q.size());
    for (int i = 18; i < 40; i++) {
      assertSame(tasks.get(i), pending.get(i - 18), "queued task " + i);
    }
    assertEquals(0, childRuns.get(), "a child committed although it comes after the thrower");

    // Running again continues exactly like the sequential worklist.
    q.run(workers);
    for (int i = 0; i < cells.length; i++) {
      assertEquals(i == 17 ? 0 : i + 1, cells[i].get(), "cell " + i);
    }
    for (int i = 18; i < 40; i++) {
      expectedHot = expectedHot * 7 + i;
    }
    assertEquals(expectedHot, hot.get());
    assertEquals(39, childRuns.get(), "children of the 39 committed tasks");
    assertEquals(0, q.size());
  }

  @Test
  void orderedRunIsRejectedForNegativeWorkers() {
    TransactionQueue q = TransactionQueue.ordered();
    q.add(() -> {});
    assertThrows(IllegalArgumentException.class, () -> q.run(-1));
    assertEquals(1, q.size(), "a rejected run must not consume tasks");
  }

  /**
   * In the sequential program the producer runs before the consumer, so the consumer never
   * waits. Run in parallel, the consumer may start before the producer commits and see the flag
   * unset: its retry must then wait for the older task, not fail, and the result must be the
   * sequential one.
   */
  @ParameterizedTest(name = "{0} workers")
  @ValueSource(ints = {1, 2, 4, 8})
  void retryInAYoungerTaskWaitsForTheOlderOnes(int workers) {
    for (int round = 0; round < 50; round++) {
      IntRef flag = new IntRef(0);
      IntRef log = new IntRef(0);
      TransactionQueue q = TransactionQueue.ordered();
      q.add(
          () -> {
            TestUtil.spin(20_000);
            flag.set(1);
            log.set(log.get() * 10 + 1);
          });
      q.add(
          () -> {
            if (flag.get() == 0) {
              Ame.retry();
            }
            log.set(log.get() * 10 + 2);
          });
      q.add(() -> log.set(log.get() * 10 + 3));
      q.run(workers);
      assertEquals(123, log.get(), "round " + round);
    }
  }

  /** The oldest task retrying would wait forever in the sequential program: a clear failure. */
  @ParameterizedTest(name = "{0} workers")
  @ValueSource(ints = {1, 2, 4})
  void retryInTheOldestTaskFailsInsteadOfHanging(int workers) {
    IntRef flag = new IntRef(0);
    IntRef after = new IntRef(0);
    TransactionQueue q = TransactionQueue.ordered();
    Runnable consumer =
        () -> {
          if (flag.get() == 0) {
            Ame.retry();
          }
        };
    Runnable producer = () -> flag.set(1);
    q.add(consumer);
    q.add(producer);
    q.add(() -> after.set(1));
    TaskFailedException ex = assertThrows(TaskFailedException.class, () -> q.run(workers));
    assertTrue(ex.getCause() instanceof IllegalStateException, ex.toString());
    assertSame(consumer, ex.task());
    assertEquals(0, flag.get(), "a task after the failed one committed");
    assertEquals(0, after.get());
    assertEquals(List.of(producer), q.pendingTasks().subList(0, 1));
    assertEquals(2, q.size());
  }
}
