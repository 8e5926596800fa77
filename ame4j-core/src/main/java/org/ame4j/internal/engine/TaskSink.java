package org.ame4j.internal.engine;

/** Where a committed transaction's {@code add()}s go: implemented by the task queue. */
public interface TaskSink {
  /** Called after the adding transaction committed, in the order the adds were made. */
  void addCommitted(Runnable task);

  /** Several tasks at once, in order: one lock round-trip for all of a commit's adds. */
  default void addAllCommitted(java.util.List<Runnable> tasks) {
    for (Runnable t : tasks) {
      addCommitted(t);
    }
  }
}
