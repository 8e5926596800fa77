package org.ame4j.internal.engine;

/**
 * The engine's view of one run of a task queue: the commit order of an ordered queue, and how
 * a task that calls {@code retry()} waits.
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

  /** Ordered runs: the ticket of the next task to commit (grows by one per commit). */
  long nextToCommit();

  /** Ordered runs: called right after the task with {@code ticket} committed and published. */
  void committed(long ticket);

  /**
   * Ordered runs: parks the calling thread, which waits for the turn of {@code ticket}, until
   * that turn may have come, the run stops, or {@code maxNanos} pass; it may also return
   * spuriously, so callers re-check {@link #isTurn}. A gate that cannot wake waiters (the
   * default) just parks for {@code maxNanos}.
   */
  default void parkForTurn(long ticket, long maxNanos) {
    java.util.concurrent.locks.LockSupport.parkNanos(maxNanos);
  }

  /**
   * Ordered runs: the calling thread just got its turn after waiting {@code nanos} beyond the
   * spin phase of {@code Atomically.awaitTurn} (a wait that gave up the processor).
   */
  default void waitedForTurn(long nanos) {}

  /**
   * Ordered runs: where a finished attempt whose turn has not come is left for the committer of
   * its predecessor ({@link TurnHandOver}), or null (every attempt commits on its own thread).
   */
  default TurnHandOver handOver() {
    return null;
  }

  /**
   * Ordered runs: true when the task with {@code ticket} must not commit because the run
   * stopped before its turn (an older task failed); it is then handed back to the queue.
   */
  boolean handBack(long ticket);

  /**
   * True if a task that calls {@code retry()} should be handed back to the queue (which keeps it
   * aside until {@link Txn#takeRetryCondition()} holds) instead of blocking its thread. Ordered
   * runs block: a retrying task keeps its place in the commit order.
   */
  boolean handBackOnRetry();
}
