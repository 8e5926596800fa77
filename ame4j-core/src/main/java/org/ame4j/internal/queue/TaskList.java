package org.ame4j.internal.queue;

import java.util.ArrayDeque;
import java.util.List;

/**
 * The tasks of a queue not yet started, in queue order: plain tasks and {@link RangeTask}s,
 * each range one entry however many indices it holds. Counts tasks, not entries: a range of n
 * indices is n tasks, handed out one index at a time.
 *
 * <p>Not thread-safe: the owning {@link QueueCore} guards it with its lock. Does not copy ranges
 * on insert: a range object must be in one list at a time, which holds because a range is made
 * by one {@code addRange} call and the queue splits off single indices when it hands tasks back.
 */
final class TaskList {
  private final ArrayDeque<Runnable> entries = new ArrayDeque<>();
  private long count;

  boolean isEmpty() {
    return count == 0;
  }

  /** The code the first task runs: a plain task itself, a range's body; null if empty. */
  Object firstCode() {
    Runnable head = entries.peekFirst();
    return head instanceof RangeTask r ? r.body : head;
  }

  /** Number of tasks (a range counts its indices), at most {@code Integer.MAX_VALUE}. */
  int size() {
    return (int) Math.min(Integer.MAX_VALUE, count);
  }

  void addLast(Runnable task) {
    if (count(task)) {
      entries.addLast(task);
    }
  }

  void addFirst(Runnable task) {
    if (count(task)) {
      entries.addFirst(task);
    }
  }

  /** Counts {@code task}'s tasks in; false for an empty range, which is not stored. */
  private boolean count(Runnable task) {
    if (task instanceof RangeTask r) {
      if (r.remaining() <= 0) {
        return false;
      }
      count += r.remaining();
    } else {
      count++;
    }
    return true;
  }

  /** Appends in order; {@code tasks} is left as it was. */
  void addAll(List<Runnable> tasks) {
    for (int i = 0, n = tasks.size(); i < n; i++) {
      addLast(tasks.get(i));
    }
  }

  /**
   * Removes up to {@code max} tasks from the head into {@code tasks[0..]}: a plain task as
   * itself, an index of a range as the range with the index in {@code indices} at the same slot.
   * Returns how many it took.
   */
  int poll(Runnable[] tasks, int[] indices, int max) {
    int taken = 0;
    while (taken < max && !entries.isEmpty()) {
      Runnable head = entries.peekFirst();
      if (head instanceof RangeTask r) {
        int n = (int) Math.min(max - taken, r.remaining());
        for (int k = 0; k < n; k++) {
          tasks[taken] = r;
          indices[taken++] = r.next++;
        }
        count -= n;
        if (r.remaining() == 0) {
          entries.pollFirst();
        }
      } else {
        tasks[taken++] = entries.pollFirst();
        count--;
      }
    }
    return taken;
  }

  /**
   * The task in slot {@code i} of a {@link #poll}ed batch as one {@link Runnable} of its own, to
   * hand back, report or queue again.
   */
  static Runnable task(Runnable[] tasks, int[] indices, int i) {
    return tasks[i] instanceof RangeTask r ? RangeTask.single(r.body, indices[i]) : tasks[i];
  }

  /** Moves every task to {@code out} (in order, each range index as one task) and empties this. */
  void drainTo(List<Runnable> out) {
    copyTo(out);
    clear();
  }

  /** Appends every task to {@code out}, in order, each range index as one task. */
  void copyTo(List<Runnable> out) {
    for (Runnable e : entries) {
      if (e instanceof RangeTask r) {
        for (int i = r.next; i < r.end; i++) {
          out.add(RangeTask.single(r.body, i));
        }
      } else {
        out.add(e);
      }
    }
  }

  void clear() {
    entries.clear();
    count = 0;
  }
}
