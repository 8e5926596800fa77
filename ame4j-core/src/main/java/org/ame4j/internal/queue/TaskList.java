package org.ame4j.internal.queue;

import java.util.ArrayDeque;
import java.util.List;

/**
 * The tasks of a queue not yet started, in queue order: plain tasks and {@link RangeTask}s,
 * each range one entry however many indices it holds. Counts tasks, not entries: a range of n
 * indices is n tasks, handed out one index at a time.
 *
 * <p>Appended tasks go into an {@link Inbox} without a lock ({@link #addLast}, any thread, any
 * time); everything else, including reading what was appended, is for the holder of the owning
 * {@link QueueCore}'s lock. Tasks put back at the head ({@link #addFirst}: hand-backs) wait in a
 * deque in front of the inbox. Does not copy ranges on insert: a range object must be in one
 * list at a time, which holds because a range is made by one {@code addRange} call and the queue
 * splits off single indices when it hands tasks back.
 */
final class TaskList {
  private final ArrayDeque<Runnable> front = new ArrayDeque<>();
  private final Inbox appended = new Inbox();
  /** Tasks in {@link #front} and in the counted part of {@link #appended}. */
  private long count;

  /** How many tasks {@code task} holds: a range's indices not handed out, else one. */
  static long tasksIn(Runnable task) {
    return task instanceof RangeTask r ? Math.max(0, r.remaining()) : 1;
  }

  /** Brings the count up to date with what was appended meanwhile. */
  private void sync() {
    count += appended.countNew();
  }

  boolean isEmpty() {
    sync();
    return count == 0;
  }

  /** The code the first task runs: a plain task itself, a range's body; null if empty. */
  Object firstCode() {
    sync();
    Runnable head = front.isEmpty() ? appended.peek() : front.peekFirst();
    return head instanceof RangeTask r ? r.body : head;
  }

  /** Number of tasks (a range counts its indices), at most {@code Integer.MAX_VALUE}. */
  int size() {
    sync();
    return (int) Math.min(Integer.MAX_VALUE, count);
  }

  /** Appends {@code task}; lock-free, safe from any thread (see {@link Inbox}). */
  void addLast(Runnable task) {
    appended.add(task);
  }

  void addFirst(Runnable task) {
    long n = tasksIn(task);
    if (n > 0) {
      count += n;
      front.addFirst(task);
    }
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
    sync();
    int taken = 0;
    while (taken < max) {
      boolean fromFront = !front.isEmpty();
      Runnable head = fromFront ? front.peekFirst() : appended.peek();
      if (head == null) {
        break;
      }
      if (head instanceof RangeTask r) {
        int n = (int) Math.min(max - taken, Math.max(0, r.remaining()));
        for (int k = 0; k < n; k++) {
          tasks[taken] = r;
          indices[taken++] = r.next++;
        }
        count -= n;
        if (r.remaining() <= 0) {
          removeHead(fromFront);
        }
      } else {
        tasks[taken++] = head;
        count--;
        removeHead(fromFront);
      }
    }
    appended.markTaken();
    return taken;
  }

  private void removeHead(boolean fromFront) {
    if (fromFront) {
      front.pollFirst();
    } else {
      appended.poll();
    }
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
    sync();
    for (Runnable e : front) {
      copyOne(e, out);
    }
    appended.copyTo(e -> copyOne(e, out));
  }

  private static void copyOne(Runnable e, List<Runnable> out) {
    if (e instanceof RangeTask r) {
      for (int i = r.next; i < r.end; i++) {
        out.add(RangeTask.single(r.body, i));
      }
    } else {
      out.add(e);
    }
  }

  void clear() {
    sync();
    front.clear();
    appended.skipCounted();
    count = 0;
  }
}
