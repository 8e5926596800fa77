package org.ame4j.internal.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link BatchChoice}: the worker coalesces only where coalesced windows measured faster per task
 * than windows of tasks alone, and measures again after the choice held. Driven by a clock that
 * advances by the cost the test gives each mode, one transaction of one task at a time.
 */
class BatchChoiceTest {
  private static final int WINDOW = BatchChoice.WINDOW;
  private static final int CYCLE = 2 * BatchChoice.PROBES + BatchChoice.EXPLOIT;

  /** A fake clock in nanoseconds, advanced by the running mode's cost per task. */
  private long now;

  /**
   * Runs {@code windows} windows; a task costs {@code alone} or {@code coalesced} ns, and
   * {@code slowWindow} (if not -1) is descheduled for a millisecond. Returns how many of the
   * windows ran coalesced.
   */
  private int run(BatchChoice c, int windows, long alone, long coalesced, int slowWindow) {
    int coalescedWindows = 0;
    for (int w = 0; w < windows; w++) {
      boolean mode = c.coalesce();
      coalescedWindows += mode ? 1 : 0;
      if (w == slowWindow) {
        now += 1_000_000L;
      }
      for (int t = 0; t < WINDOW; t++) {
        now += mode ? coalesced : alone;
        c.ran(1, () -> now);
      }
    }
    return coalescedWindows;
  }

  @Test
  void coalescesWhereCoalescedTasksMeasuredFaster() {
    BatchChoice c = new BatchChoice(now);
    run(c, 2 * BatchChoice.PROBES, 100, 60, -1);
    assertTrue(c.coalesce(), "coalesced windows took 60 ns per task, alone 100");
    assertEquals(BatchChoice.EXPLOIT, run(c, BatchChoice.EXPLOIT, 100, 60, -1));
  }

  @Test
  void runsTasksAloneWhereCoalescingMeasuredSlower() {
    BatchChoice c = new BatchChoice(now);
    // sssp's case: the tasks ran slower in batches.
    run(c, 2 * BatchChoice.PROBES, 100, 130, -1);
    assertFalse(c.coalesce(), "coalesced windows took 130 ns per task, alone 100");
    assertEquals(0, run(c, BatchChoice.EXPLOIT, 100, 130, -1));
  }

  @Test
  void aGainWithinTheMarginIsNoReasonToCoalesce() {
    BatchChoice c = new BatchChoice(now);
    run(c, 2 * BatchChoice.PROBES, 100, 99, -1);
    assertFalse(c.coalesce(), "1 % faster is within the noise margin");
  }

  @Test
  void oneDescheduledWindowDoesNotDecide() {
    BatchChoice c = new BatchChoice(now);
    // The first coalesced probe window loses a millisecond (the thread was descheduled): the
    // best of the other coalesced windows still wins.
    run(c, 2 * BatchChoice.PROBES, 100, 60, 0);
    assertTrue(c.coalesce());
  }

  @Test
  void probesAgainAfterTheChoiceHeldAndFollowsAChange() {
    BatchChoice c = new BatchChoice(now);
    run(c, CYCLE, 100, 60, -1); // a whole cycle: coalesced chosen, held
    assertTrue(c.coalesce(), "a new probe starts with a coalesced window");
    // The tasks changed (a new phase of the program): coalescing is now the slower mode.
    run(c, 2 * BatchChoice.PROBES, 100, 200, -1);
    assertFalse(c.coalesce());
  }

  @Test
  void aProbeAlternatesTheModes() {
    BatchChoice c = new BatchChoice(now);
    assertEquals(BatchChoice.PROBES, run(c, 2 * BatchChoice.PROBES, 100, 100, -1));
  }

  @Test
  void transactionsOfSeveralTasksCountEveryTask() {
    BatchChoice c = new BatchChoice(now);
    boolean first = c.coalesce();
    c.ran(WINDOW - 1, () -> now);
    assertEquals(first, c.coalesce(), "the window has one task left");
    c.ran(16, () -> now);
    assertEquals(!first, c.coalesce(), "a batch that crosses the window's end ends it");
  }
}
