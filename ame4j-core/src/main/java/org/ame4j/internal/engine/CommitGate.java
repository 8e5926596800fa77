package org.ame4j.internal.engine;

/**
 * The engine's view of one run of a task queue: the commit order of an ordered queue, and what
 * the engine must know to refuse a {@code retry()} that could never wake up.
 *
 * <p>An ordered run hands each task a ticket (its position in the sequential worklist). A task
 * may execute at any time but commits only when {@link #isTurn} says every older task has
 * committed; among tasks of one ordered run, the older wins every conflict.
 */
public interface CommitGate {
  /** The queue that {@code Ame.add} inside a task of this run appends to. */
  TaskSink sink();

  /** True for an ordered run: tickets impose the commit order. */
  boolean isOrdered();

  /** Ordered runs: true when every task older than {@code ticket} has committed. */
  boolean isTurn(long ticket);

  /** Ordered runs: called right after the task with {@code ticket} committed and published. */
  void committed(long ticket);

  /**
   * Ordered runs: true when the task with {@code ticket} must not commit because the run
   * stopped before its turn (an older task failed); it is then handed back to the queue.
   */
  boolean handBack(long ticket);

  /**
   * True if a task that calls {@code retry()} should be handed back to the queue instead of
   * blocking its thread (the single-threaded serial reference mode).
   */
  boolean handBackOnRetry();

  /** Called when a task of this run starts / stops waiting in {@code retry()}. */
  void retryWaiting(int delta);

  /**
   * True when waiting in {@code retry()} can never end: every worker of the run is waiting and
   * no task is queued or running that could change anything.
   */
  boolean retryDeadlocked();
}
