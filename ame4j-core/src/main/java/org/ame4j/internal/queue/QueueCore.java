package org.ame4j.internal.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.IntConsumer;
import org.ame4j.internal.diag.Events;
import org.ame4j.internal.diag.QueueRunEvent;
import org.ame4j.internal.engine.StripeCooling;
import org.ame4j.internal.engine.TaskSink;
import org.ame4j.internal.engine.Txn;
import org.ame4j.internal.engine.TxnStats;

/**
 * The state behind a {@code TransactionQueue}: tasks not yet started, in add order, and the run
 * in progress if any. All fields are guarded by {@link #lock}, except the {@link Inbox} through
 * which threads other than the run's workers add tasks without taking it: whoever holds the lock
 * reads the list through {@link #pending}, which first moves the inbox's tasks to its tail.
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
  /** Written under {@link #lock}; volatile for {@link #addCommitted}'s lock-free path. */
  volatile ParallelRun running;
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

  /**
   * Appends a task. A run's own workers buffer their tasks' adds, or append and wake an idle
   * worker under the lock; every other thread appends without a lock ({@link TaskList#addLast})
   * and takes the lock only if a run is in progress, to wake its idle workers. The append's
   * compare-and-set comes before the volatile read of {@link #running}, and {@link #claim}
   * writes {@code running} before any worker looks at the list: either this add sees the run
   * and wakes it, or the run's first look at the list sees the task.
   */
  @Override
  public void addCommitted(Runnable task) {
    Thread t = Thread.currentThread();
    if (t instanceof Worker w && w.run.buffersAddsOf(this)) {
      w.localAdds.add(task);
      return;
    }
    if (t instanceof Worker w && w.run.queue() == this) {
      synchronized (lock) {
        pending.addLast(task);
        arrived(task);
      }
      return;
    }
    pending.addLast(task);
    if (running != null) {
      synchronized (lock) {
        arrived(task);
      }
    }
  }

  /** Under {@link #lock}: tells the run in progress, if any, that {@code task} arrived. */
  private void arrived(Runnable task) {
    ParallelRun r = running;
    if (r != null) {
      r.tasksArrived(task instanceof RangeTask g && g.remaining() > 1 ? 2 : 1);
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
      TaskList list = pending;
      ArrayList<Runnable> copy = new ArrayList<>(list.size());
      list.copyTo(copy);
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
      StripeCooling.afterRun(); // no task of this run runs: the arrays it wrote may cool
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
