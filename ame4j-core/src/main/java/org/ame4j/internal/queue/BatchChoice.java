package org.ame4j.internal.queue;

import java.util.function.LongSupplier;

/**
 * Whether a worker coalesces tasks at all ({@link Coalescing}), chosen by measuring both ways on
 * the tasks at hand: coalescing saves a transaction's fixed cost per task, but it does not pay
 * everywhere (sssp's relaxations ran 7-33 % slower in batches on one worker, with neither
 * validation, extension nor the per-task marks in the profile: the barriers themselves ran
 * slower), and what decides is the time per task, whatever its cause.
 *
 * <p>The worker's tasks are cut into windows of {@link #WINDOW} tasks. A probe times
 * {@link #PROBES} windows alone and as many coalesced, alternated (so that a drift of the
 * program's phase or of the machine's load hits both), and keeps each mode's best time per task
 * (the minimum: a window in which the thread was descheduled only looks slower). Coalescing wins
 * only if its best is at least {@link #MARGIN} faster; the choice then holds for
 * {@link #EXPLOIT} windows, untimed, and a new probe follows. A clock read per probe window
 * ({@code System.nanoTime}, tens of nanoseconds per {@value #DEFAULT_WINDOW} tasks) and none
 * while the choice holds.
 *
 * <p>What it does not guarantee: that the choice is the better one for the whole run (a probe
 * sees a few thousand tasks), nor anything about correctness, which does not depend on it (a task
 * alone and a task in a batch keep the same rules, {@code TaskBatch}). Off
 * ({@code -Dame4j.batch.choose=false}): always coalesced, the behaviour before. Not thread-safe:
 * one per worker.
 */
final class BatchChoice {
  static final int DEFAULT_WINDOW = 256;
  /** Tasks per window ({@code -Dame4j.batch.window}). */
  static final int WINDOW = Math.max(1, Integer.getInteger("ame4j.batch.window", DEFAULT_WINDOW));
  /** Windows timed per mode in a probe. */
  static final int PROBES = 4;
  /** Windows the choice holds between probes. */
  static final int EXPLOIT = 64;
  /** Coalescing must be this much faster per task to be chosen (0.03: 3 %). */
  static final double MARGIN = 0.03;
  /** {@code -Dame4j.batch.choose=false}: no probes, always coalesced. */
  static final boolean ON = Boolean.parseBoolean(System.getProperty("ame4j.batch.choose", "true"));

  /** The running window coalesces (false: each task alone). */
  private boolean coalesce = true;
  /** The window's index in the cycle: probes first (timed), then the choice's windows. */
  private int window;
  private int tasksLeft = WINDOW;
  private int tasksInWindow;
  /** When the running window started (only probe windows are timed), or -1. */
  private long windowStart = -1;
  private double bestAlone = Double.MAX_VALUE;
  private double bestCoalesced = Double.MAX_VALUE;

  /** A choice whose first window (a probe's) starts at {@code now} ({@code System.nanoTime}). */
  BatchChoice(long now) {
    windowStart = now;
  }

  /** True if the running window's transactions may take several tasks. */
  boolean coalesce() {
    return coalesce;
  }

  /** After each transaction: {@code tasks} tasks ran in it (committed, failed or handed back). */
  void ran(int tasks) {
    ran(tasks, CLOCK);
  }

  private static final LongSupplier CLOCK = System::nanoTime;

  /** {@link #ran(int)} with the clock to read at a timed window's end (tests pass their own). */
  void ran(int tasks, LongSupplier clock) {
    tasksInWindow += tasks;
    tasksLeft -= tasks;
    if (tasksLeft <= 0) {
      endWindow(timedEnd() ? clock.getAsLong() : -1L);
    }
  }

  /** True if the window that ends now needs the clock (a probe's, or the last before one). */
  private boolean timedEnd() {
    return window < 2 * PROBES || window == 2 * PROBES + EXPLOIT - 1;
  }

  /** Ends the running window at {@code now} (-1 when it is not timed); sets up the next one. */
  private void endWindow(long now) {
    if (windowStart >= 0 && now >= 0 && window < 2 * PROBES) {
      double perTask = (double) (now - windowStart) / tasksInWindow;
      if (coalesce) {
        bestCoalesced = Math.min(bestCoalesced, perTask);
      } else {
        bestAlone = Math.min(bestAlone, perTask);
      }
    }
    window++;
    if (window == 2 * PROBES) {
      coalesce = bestCoalesced < bestAlone * (1 - MARGIN);
    } else if (window == 2 * PROBES + EXPLOIT) {
      window = 0;
      bestAlone = Double.MAX_VALUE;
      bestCoalesced = Double.MAX_VALUE;
    }
    if (window < 2 * PROBES) {
      coalesce = (window & 1) == 0; // coalesced, alone, coalesced, ...
    }
    windowStart = window < 2 * PROBES ? now : -1L;
    tasksLeft = WINDOW;
    tasksInWindow = 0;
  }
}
