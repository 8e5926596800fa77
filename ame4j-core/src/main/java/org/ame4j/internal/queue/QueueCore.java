package org.ame4j.internal.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.IntConsumer;
import org.ame4j.internal.diag.Events;
import org.ame4j.internal.diag.QueueRunEvent;
import org.ame4j.internal.engine.TaskSink;
import org.ame4j.internal.engine.Txn;
import org.ame4j.internal.engine.TxnStats;

/**
 * The state behind a {@code TransactionQueue}: tasks not yet started, in add order, and the run
 * in progress if any. All fields are guarded by {@link #lock}.
 *
 * <p>An {@code add()} made inside a transaction is buffered by the transaction and arrives here
 * through {@link #addCommitted} only if it commits: that is what makes adds part of a task's
 * effects. In an ordered run the adder holds the commit turn while publishing, so adds arrive in
 * sequential-worklist order.
 */
public final class QueueCore implements TaskSink {
  final Object lock = new Object();
  final TaskList pending = new TaskList();
  final boolean ordered;
  final long serialSeed;
  final boolean serial;
  ParallelRun running;
  boolean runningSerial;

  public QueueCore(boolean ordered, boolean serial, long serialSeed) {
    this.ordered = ordered;
    this.serial = serial;
    this.serialSeed = serialSeed;
  }

  public boolean isOrdered() {
    return ordered;
  }

  public void add(Runnable task) {
    Objects.requireNonNull(task, "task");
    Txn tx = Txn.active();
    if (tx != null) {
      tx.addTask(this, task);
    } else {
      addCommitted(task);
    }
  }

  /**
   * Appends the tasks {@code body.accept(i)} for {@code from <= i < to}, in index order, as one
   * entry: no task object and no lock per index (see {@link RangeTask}).
   */
  public void addRange(int from, int to, IntConsumer body) {
    Objects.requireNonNull(body, "body");
    if (from > to) {
      throw new IllegalArgumentException(
          "addRange(from, to, body): from must be <= to, was from=" + from + ", to=" + to);
    }
    if (from == to) {
      return;
    }
    add(new RangeTask(body, from, to));
  }

  @Override
  public void addCommitted(Runnable task) {
    if (Thread.currentThread() instanceof Worker w && w.run.buffersAddsOf(this)) {
      w.localAdds.add(task);
      return;
    }
    synchronized (lock) {
      pending.addLast(task);
      if (running != null) {
        running.tasksArrived(task instanceof RangeTask r && r.remaining() > 1 ? 2 : 1);
      }
    }
  }

  @Override
  public void addAllCommitted(List<Runnable> tasks) {
    if (Thread.currentThread() instanceof Worker w && w.run.buffersAddsOf(this)) {
      for (int i = 0, n = tasks.size(); i < n; i++) {
        w.localAdds.add(tasks.get(i)); // not addAll: that copies the list to an array first
      }
      return;
    }
    synchronized (lock) {
      pending.addAll(tasks);
      if (running != null) {
        running.tasksArrived(2); // any count above one wakes every idle worker
      }
    }
  }

  public int size() {
    synchronized (lock) {
      return pending.size();
    }
  }

  public List<Runnable> pendingTasks() {
    synchronized (lock) {
      ArrayList<Runnable> copy = new ArrayList<>(pending.size());
      pending.copyTo(copy);
      return List.copyOf(copy);
    }
  }

  public void clear() {
    if (Txn.active() != null) {
      throw new IllegalStateException(
          "TransactionQueue.clear() inside a transaction: the queue itself is not transactional;"
              + " call it before or after run()");
    }
    synchronized (lock) {
      pending.clear();
    }
  }

  public void run(int workers) {
    if (Txn.active() != null) {
      throw new IllegalStateException(
          "TransactionQueue.run() called from inside a task or atomic block; add() tasks"
              + " instead, they run in the current run()");
    }
    Txn.checkNotSuspended("TransactionQueue.run()");
    if (workers < 0) {
      throw new IllegalArgumentException("workers must be >= 0, was " + workers);
    }
    QueueRunEvent event = Events.queueRunStarted();
    TxnStats before = event != null ? TxnStats.total() : null;
    try {
      if (workers == 0 || serial) {
        new SerialRun(this, serial ? serialSeed : Long.getLong("ame4j.seed", 42L)).run();
      } else {
        Object first;
        synchronized (lock) {
          first = pending.firstCode();
        }
        NoAgentWarning.beforeRun(workers, first, System.err);
        new ParallelRun(this, workers).run();
      }
    } finally {
      if (event != null) {
        TxnStats after = TxnStats.total();
        Events.queueRunEnded(event, workers, ordered, after.commits() - before.commits(),
            after.aborts() - before.aborts());
      }
    }
  }

  /** Marks the queue as running; refuses a second concurrent run. Caller holds no lock. */
  void claim(ParallelRun run, boolean serialRun) {
    synchronized (lock) {
      if (running != null || runningSerial) {
        throw new IllegalStateException("this TransactionQueue is already running");
      }
      running = run;
      runningSerial = serialRun;
    }
  }

  /** Ends a run; {@code handedBack} (in queue order) goes back to the front of the queue. */
  void release(List<Runnable> handedBack) {
    synchronized (lock) {
      for (int i = handedBack.size() - 1; i >= 0; i--) {
        pending.addFirst(handedBack.get(i));
      }
      running = null;
      runningSerial = false;
    }
  }

  /** Default worker count: {@code ame4j.threads}, else every core. */
  public static int defaultWorkers() {
    int n = Integer.getInteger("ame4j.threads", Runtime.getRuntime().availableProcessors());
    if (n < 0) {
      throw new IllegalArgumentException("ame4j.threads must be >= 0, was " + n);
    }
    return n;
  }
}
