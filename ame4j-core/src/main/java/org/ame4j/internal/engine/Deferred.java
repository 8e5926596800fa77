package org.ame4j.internal.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * What an attempt has deferred: actions to run after commit or after abort, and tasks it added
 * to a queue. Each belongs to one attempt and is dropped with it, so an action registered by an
 * attempt that aborts and re-runs is registered again by the re-run and runs once in total.
 *
 * <p>Marks support flat nesting with partial rollback: an exception escaping a nested atomic
 * block forgets what the block deferred and runs the block's after-abort actions.
 */
final class Deferred {
  private final ArrayList<Runnable> onCommit = new ArrayList<>();
  private final ArrayList<Runnable> onAbort = new ArrayList<>();
  private final ArrayList<TaskSink> addSinks = new ArrayList<>();
  private final ArrayList<Runnable> addTasks = new ArrayList<>();
  /** False while nothing is deferred: the common case costs one field read per commit. */
  private boolean any;

  boolean isEmpty() {
    return !any;
  }

  /** The number of after-commit actions registered so far (a batch's mark per task). */
  int commitActions() {
    return onCommit.size();
  }

  /** After {@link #runAfterCommit} threw: the position of the action that threw first. */
  int failedAction() {
    return failedAction;
  }

  private int failedAction = -1;

  void afterCommit(Runnable action) {
    any = true;
    onCommit.add(action);
  }

  void afterAbort(Runnable action) {
    any = true;
    onAbort.add(action);
  }

  void add(TaskSink sink, Runnable task) {
    any = true;
    addSinks.add(sink);
    addTasks.add(task);
  }

  /** Packs the three list sizes into one long: 21 bits each is plenty for one attempt. */
  long mark() {
    return ((long) onCommit.size() << 42) | ((long) onAbort.size() << 21) | addTasks.size();
  }

  /** Forgets everything deferred since {@code mark}, after running its after-abort actions. */
  void rollbackTo(long mark, Throwable cause) {
    int commitMark = (int) (mark >>> 42);
    int abortMark = (int) ((mark >>> 21) & 0x1FFFFF);
    int addMark = (int) (mark & 0x1FFFFF);
    List<Runnable> aborted = new ArrayList<>(onAbort.subList(abortMark, onAbort.size()));
    truncate(onCommit, commitMark);
    truncate(onAbort, abortMark);
    truncate(addSinks, addMark);
    truncate(addTasks, addMark);
    runAll(aborted, cause);
  }

  /** Publishes the adds to their queues (after commit, in order), a run per queue at a time. */
  void publishAdds() {
    if (!any) {
      return;
    }
    int n = addTasks.size();
    for (int start = 0; start < n; ) {
      TaskSink sink = addSinks.get(start);
      int end = start + 1;
      while (end < n && addSinks.get(end) == sink) {
        end++;
      }
      if (end - start == 1) {
        sink.addCommitted(addTasks.get(start));
      } else if (start == 0 && end == n) {
        sink.addAllCommitted(addTasks); // the common case, one queue: no view object
      } else {
        sink.addAllCommitted(addTasks.subList(start, end));
      }
      start = end;
    }
  }

  /** Runs the after-commit actions; see {@link #runAll}. */
  void runAfterCommit() {
    if (!any) {
      return;
    }
    if (onCommit.isEmpty()) {
      clear();
      return;
    }
    List<Runnable> actions = new ArrayList<>(onCommit);
    clear();
    runAll(actions, null);
  }

  /** Runs the after-abort actions of a rolled-back attempt; see {@link #runAll}. */
  void runAfterAbort(Throwable cause) {
    if (!any) {
      return;
    }
    if (onAbort.isEmpty()) {
      clear();
      return;
    }
    List<Runnable> actions = new ArrayList<>(onAbort);
    clear();
    runAll(actions, cause);
  }

  void clear() {
    if (!any) {
      return;
    }
    any = false;
    onCommit.clear();
    onAbort.clear();
    addSinks.clear();
    addTasks.clear();
  }

  /**
   * Runs every action even if some throw. With a {@code cause} (the exception that rolled the
   * attempt back) the actions' throwables are added to it as suppressed; without one, the first
   * is rethrown after all ran, with later ones suppressed. Nothing is swallowed.
   */
  private void runAll(List<Runnable> actions, Throwable cause) {
    Throwable first = null;
    for (int i = 0; i < actions.size(); i++) {
      try {
        actions.get(i).run();
      } catch (Throwable t) {
        if (cause != null && cause != t) {
          cause.addSuppressed(t);
        } else if (first == null) {
          first = t;
          failedAction = i;
        } else if (first != t) {
          first.addSuppressed(t);
        }
      }
    }
    if (first != null) {
      Atomically.sneakyThrow(first);
    }
  }

  private static void truncate(ArrayList<?> list, int size) {
    while (list.size() > size) {
      list.remove(list.size() - 1);
    }
  }
}
