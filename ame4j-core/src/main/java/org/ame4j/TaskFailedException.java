package org.ame4j;

/**
 * Thrown by {@link TransactionQueue#run()} when a task threw.
 *
 * <p>The failed task was rolled back: none of its writes and none of its {@code add()}s survive.
 * The cause is the task's original throwable, with its original stack trace. Tasks that had not
 * started stay in the queue, and the failed task itself is <em>not</em> put back: it is carried
 * here ({@link #task()}) so the caller decides whether to re-add it.
 */
public final class TaskFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Runnable task;

  public TaskFailedException(Runnable task, Throwable cause) {
    super("task " + describe(task) + " threw " + cause, cause);
    this.task = task;
  }

  /** The task that threw; it is no longer in the queue. */
  public Runnable task() {
    return task;
  }

  private static String describe(Runnable task) {
    String s = String.valueOf(task);
    return s.length() > 200 ? s.substring(0, 200) + "…" : s;
  }
}
