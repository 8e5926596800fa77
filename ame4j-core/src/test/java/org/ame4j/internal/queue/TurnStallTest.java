package org.ame4j.internal.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * An ordered run's stall rule ({@link Worker#turnStalled}, {@link Worker#retirement}): a worker
 * whose turn waited with no commit at all for longer than the bound stays out of the run for
 * 1 ms, doubling on consecutive stalls up to 64 ms; a wait during which tasks commit is no
 * stall; a task without a stall halves the time and keeps the worker in. The sleeps only make
 * sure that the bound (1 ms, or four of the worker's mean task times) has passed.
 */
class TurnStallTest {
  private static final long PAST_THE_BOUND_MILLIS = 20;

  private static Worker worker() {
    return new Worker(new ParallelRun(new QueueCore(true, false, 0), 2), () -> {}, "w");
  }

  private static void stall(Worker w, long ticket) throws InterruptedException {
    w.turnStalled(ticket, ticket - 1); // first park for this ticket
    Thread.sleep(PAST_THE_BOUND_MILLIS);
    w.turnStalled(ticket, ticket - 1); // still nothing committed
  }

  @Test
  void consecutiveStallsDoubleTheTimeOutUpTo64Ms() throws InterruptedException {
    Worker w = worker();
    int[] expected = {1, 2, 4, 8, 16, 32, 64, 64};
    for (int i = 0; i < expected.length; i++) {
      stall(w, 10 + i);
      assertEquals(expected[i], w.retirement(), "stall " + (i + 1));
    }
    assertEquals(0, w.retirement(), "a task without a stall: the worker stays in");
    stall(w, 100);
    assertEquals(64, w.retirement(), "32 after halving once, doubled by the stall");
  }

  @Test
  void aWaitDuringWhichTasksCommitIsNoStall() throws InterruptedException {
    Worker w = worker();
    w.turnStalled(50, 40);
    Thread.sleep(PAST_THE_BOUND_MILLIS);
    w.turnStalled(50, 41); // ticket 40 committed meanwhile: the turn holder runs
    assertEquals(0, w.retirement());
  }
}
