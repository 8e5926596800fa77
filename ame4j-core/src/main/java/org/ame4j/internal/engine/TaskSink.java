package org.ame4j.internal.engine;

/** Where a committed transaction's {@code add()}s go: implemented by the task queue. */
public interface TaskSink {
  /** Called after the adding transaction committed, in the order the adds were made. */
  void addCommitted(Runnable task);
}
