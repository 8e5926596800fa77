package org.ame4j.internal.engine;

/**
 * What a task that called {@code retry()} waits for: a change to any record it had read. A queue
 * keeps the task aside with this condition instead of blocking a worker, and queues it again once
 * {@link #changed()} (AME's {@code blockUntil} without tying up a thread).
 */
public final class RetryCondition {
  private final ReadSet snapshot;

  RetryCondition(ReadSet snapshot) {
    this.snapshot = snapshot;
  }

  /** True once some record the task had read holds a different word. */
  public boolean changed() {
    return snapshot.anyChanged();
  }

  /** The global clock now: a run that sees it unchanged for long knows nothing commits. */
  public static long clock() {
    return Clock.now();
  }
}
