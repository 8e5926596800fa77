package org.ame4j.internal.queue;

import java.util.function.IntConsumer;

/**
 * The tasks {@code body.accept(i)} for {@code next <= i < end}, added by one
 * {@code TransactionQueue.addRange}: one queue entry instead of one lambda and one insert per
 * index. The queue hands out its indices one task at a time (each index is one transaction);
 * only the queue ever advances {@link #next}, under its lock.
 *
 * <p>As a {@link Runnable}, a range is what its tasks would be in sequence: {@link #run()} runs
 * every remaining index in order. The queue never calls it; the single-index ranges that
 * {@link #single} makes are what a caller sees as one task (in {@code pendingTasks()} and in a
 * {@code TaskFailedException}), and running one of those runs that task.
 */
public final class RangeTask implements Runnable {
  final IntConsumer body;
  /** Next index to hand out (guarded by the lock of the queue that holds this range). */
  int next;
  final int end;

  public RangeTask(IntConsumer body, int from, int to) {
    this.body = body;
    this.next = from;
    this.end = to;
  }

  /** The one task {@code body.accept(index)}, as a range of one index. */
  static RangeTask single(IntConsumer body, int index) {
    return new RangeTask(body, index, index + 1);
  }

  /** Number of tasks (indices) not handed out yet (a long: {@code end - next} may overflow). */
  long remaining() {
    return (long) end - next;
  }

  @Override
  public void run() {
    for (int i = next; i < end; i++) {
      body.accept(i);
    }
  }

  @Override
  public String toString() {
    return remaining() == 1
        ? "addRange task " + next + " (" + body + ")"
        : "addRange tasks [" + next + ", " + end + ") (" + body + ")";
  }
}
