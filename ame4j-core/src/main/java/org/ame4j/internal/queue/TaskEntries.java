package org.ame4j.internal.queue;

import java.util.function.Predicate;

/**
 * Which tasks may join a transaction that other tasks already hold records in
 * ({@link Coalescing}, {@code TaskBatch}): only those whose start the engine sees.
 *
 * <p><b>Why.</b> A joined task starts with the locks of the tasks before it. If its first steps
 * block outside the engine (a real monitor, a {@code java.util.concurrent} lock, I/O) and the
 * thread it waits for is the inevitable transaction waiting for one of those locks, neither can
 * move: the inevitable transaction cannot abort, and the joined task cannot be killed, since a
 * thread blocked entering a monitor waits until the monitor is free (JVMS 6.5
 * {@code monitorenter}; no interrupt ends that wait) and the engine's kill is a flag seen only
 * at the victim's next barrier or commit. A task that runs alone blocks there before it locks
 * anything, so batching alone made this deadlock. A task is <em>tracked</em> when the agent
 * made its entry method tracked code: its twin runs with monitors elided, and everything that
 * could block outside the engine (untracked calls, {@code wait}, {@code Ame.retry()}) first asks
 * the engine, which rolls a joined task back out of its batch before it blocks (ame4j-agent's
 * DESIGN-NOTES, "Several tasks per transaction", argues each case).
 *
 * <p>The agent installs its rule at start ({@link #install}). Without the agent no task's code
 * is tracked, so nothing joins, unless the program promises with
 * {@code -Dame4j.batch.untracked=true} that no task blocks outside the engine at its start.
 *
 * <p>Does not cover blocking in the middle of a task after it locked records itself, which a
 * task alone can do as well (untracked code under the agent runs inevitable, so alone).
 */
public final class TaskEntries {
  private TaskEntries() {}

  /** Tasks whose code the engine does not track may join ({@code -Dame4j.batch.untracked}). */
  static boolean untracked = Boolean.getBoolean("ame4j.batch.untracked");

  /** The agent's rule: true if a task of this class enters tracked code. */
  private static volatile Predicate<Class<?>> tracked;

  /** Called by the agent's {@code premain}: the classes whose tasks start in tracked code. */
  public static void install(Predicate<Class<?>> rule) {
    tracked = rule;
  }

  /** False if no task can join (no agent, no promise): the worker need not plan batches. */
  static boolean anyMayJoin() {
    return untracked || tracked != null;
  }

  /**
   * True if a task entered through an object of class {@code entry} (the task, or a range's
   * body) may join a batch.
   */
  static boolean mayJoin(Class<?> entry) {
    if (untracked) {
      return true;
    }
    Predicate<Class<?>> rule = tracked;
    return rule != null && rule.test(entry);
  }
}
