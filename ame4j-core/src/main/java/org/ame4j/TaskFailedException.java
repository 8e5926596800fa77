package org.ame4j;

/**
 * Thrown by {@link TransactionQueue#run()} when a task threw.
 *
 * <p>The failed task was rolled back (unless {@link #committed()}): none of its writes and none of its {@code add()}s survive.
 * The cause is the task's original throwable, with its original stack trace. Tasks that had not
 * started stay in the queue, and the failed task itself is <em>not</em> put back: it is carried
 * here ({@link #task()}) so the caller decides whether to re-add it.
 */
public final class TaskFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Runnable task;
  private final boolean committed;

  public TaskFailedException(Runnable task, Throwable cause) {
    this(task, cause, false);
  }

  /**
   * @param committed true if the task itself committed and one of its {@code Ame.afterCommit}
   *     actions threw (the task's effects then stay)
   */
  public TaskFailedException(Runnable task, Throwable cause, boolean committed) {
    super((committed ? "an afterCommit action of task " : "task ") + describe(task) + " threw "
        + cause, cause);
    this.task = task;
    this.committed = committed;
  }

  /** The task that threw; it is no longer in the queue. */
  public Runnable task() {
    return task;
  }

  /**
   * False (the usual case): the task threw and was rolled back. True: the task committed and an
   * action it deferred with {@code Ame.afterCommit} threw afterwards.
   */
  public boolean committed() {
    return committed;
  }

  private static String describe(Runnable task) {
    String s = String.valueOf(task);
    return s.length() > 200 ? s.substring(0, 200) + "…" : s;
  }
}
