package org.ame4j.internal.queue;

/**
 * A task of a run threw (or, {@link #committed()}, one of its after-commit actions did): the
 * queue's own report, carrying the task and the original throwable as cause, with the failures
 * of other tasks of the same run suppressed. {@code TransactionQueue.run()} turns it into the
 * public {@code TaskFailedException}, so the queue never depends on the API package.
 */
public final class TaskFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Runnable task;
  private final boolean committed;

  TaskFailure(Runnable task, Throwable cause) {
    this(task, cause, false);
  }

  TaskFailure(Runnable task, Throwable cause, boolean committed) {
    super(cause);
    this.task = task;
    this.committed = committed;
  }

  public Runnable task() {
    return task;
  }

  public boolean committed() {
    return committed;
  }
}
