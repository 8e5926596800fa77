package org.ame4j.internal.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * An ordered run's wait ledger ({@link Worker#waitedForTurn}, {@link Worker#batchStarted}): a
 * worker that spent more than half of its last {@link Worker#LEDGER_TASKS} tasks' time waiting
 * for its turn off the processor stays out of the run like a stalled one ({@link
 * Worker#retirement}); shorter waits keep it in, and the time it stayed out is no sample. The
 * reported waits (one second each) dwarf the tasks' real durations, so no outcome here depends
 * on how fast the test runs.
 */
class TurnLedgerTest {
  private static final long ONE_SECOND = 1_000_000_000L;

  private static Worker worker() {
    return new Worker(new ParallelRun(new QueueCore(true, false, 0), 2), () -> {}, "w");
  }

  /**
   * One refill and its task, in ParallelRun's order: the stay-out decision, the take (which
   * samples the previous task), then the task, which waits {@code waitNanos} for its turn.
   * Returns how long the worker stays out at this refill.
   */
  private static int refillThenTask(Worker w, long waitNanos) {
    int out = w.retirement();
    w.batchStarted(1);
    w.waitedForTurn(waitNanos);
    return out;
  }

  /** {@code n} refills and tasks; fails if the worker is sent out during any of them. */
  private static void stayingIn(Worker w, int n, long waitNanos, String why) {
    for (int i = 0; i < n; i++) {
      assertEquals(0, refillThenTask(w, waitNanos), why + ", refill " + (i + 1));
    }
  }

  @Test
  void waitsThatDominateTheTasksMakeTheWorkerStayOut() {
    Worker w = worker();
    // The first take has no task before it; each later one samples one task; the window is
    // full at the take after LEDGER_TASKS tasks, and the refill after that sends it out.
    stayingIn(w, 1 + Worker.LEDGER_TASKS, ONE_SECOND, "the window is not full yet");
    assertEquals(1, refillThenTask(w, ONE_SECOND), "tasks that mostly waited: out for 1 ms");
  }

  @Test
  void shortOrNoWaitsKeepTheWorkerIn() {
    Worker w = worker();
    stayingIn(w, 4 * Worker.LEDGER_TASKS, 0, "no waits");
    stayingIn(w, 4 * Worker.LEDGER_TASKS, 1, "waits of a nanosecond");
  }

  @Test
  void theTimeAWorkerStayedOutIsNoSample() {
    Worker w = worker();
    stayingIn(w, 1 + Worker.LEDGER_TASKS, ONE_SECOND, "the first window");
    assertEquals(1, refillThenTask(w, ONE_SECOND));
    // The task before the stay-out includes it: not sampled, and the window starts again.
    stayingIn(w, Worker.LEDGER_TASKS, ONE_SECOND, "a new window after the stay-out");
    assertEquals(1, refillThenTask(w, ONE_SECOND), "halved to 0, then 1 ms again");
  }
}
