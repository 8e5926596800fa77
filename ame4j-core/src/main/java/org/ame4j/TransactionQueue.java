package org.ame4j;

import java.util.List;
import java.util.function.IntConsumer;
import org.ame4j.internal.queue.QueueCore;
import org.ame4j.internal.queue.TaskFailure;

/**
 * A queue of tasks that {@link #run()} executes in parallel, each as one memory transaction, with
 * a result as if they had run one after another (PyPy-STM's {@code transaction} module, for Java).
 *
 * <pre>{@code
 * TransactionQueue q = new TransactionQueue();        // or TransactionQueue.ordered()
 * for (Block b : pending) q.add(() -> specialize(b)); // any Runnable
 * q.run();                                            // all cores; q.run(4) for 4 workers
 * q.addRange(0, n, i -> step(i));                     // n tasks step(0) .. step(n - 1), cheaply
 * }</pre>
 *
 * <p><b>Unordered</b> (the default): the final state equals <em>some</em> serial execution of the
 * tasks (the order in which they committed). <b>Ordered</b> ({@link #ordered()}): the final state
 * equals the plain sequential worklist {@code while (!q.isEmpty()) q.poll().run();}, with a
 * task's adds appended as it runs; deterministic for any worker count. <b>Serial</b>
 * ({@link #serial(long)} or {@code run(0)}): one task at a time on the calling thread, in a
 * seeded random order (FIFO for an ordered queue): the reference to compare parallel runs with.
 *
 * <p><b>Adds</b> made inside a task are part of its effects: they happen only if it commits.
 * <b>Exceptions</b>: a task that throws is rolled back, {@code run()} stops starting tasks, lets
 * running ones finish and throws {@link TaskFailedException} carrying the task and the original
 * throwable. Tasks that never ran stay queued ({@link #size()}), so nothing is lost. In an
 * ordered queue, every task before the failed one has committed and every task after it stays
 * queued, in order: exactly the sequential behaviour.
 *
 * <p><b>Workers</b>: {@code run(n)}, else the system property {@code ame4j.threads}, else all
 * cores. <b>Interrupting</b> the thread in {@code run()} stops it the same way and throws
 * {@link java.util.concurrent.CancellationException}, unrun tasks still queued.
 *
 * <p><b>Tasks must not wait for each other</b> by other means than {@link Ame#retry()}: a worker
 * may take several tasks at once and run them one after another, so a task that blocks until
 * another task of the same run has started (a latch, a barrier) may wait forever.
 *
 * <p>Not guaranteed: isolation from threads that touch the same data outside any transaction
 * while the queue runs. The queue object itself is not transactional: {@link #size()} and
 * {@link #pendingTasks()} inside a task see the queue as it is, not as of the transaction.
 */
public final class TransactionQueue {
  private final QueueCore core;

  /** An unordered queue. */
  public TransactionQueue() {
    this(new QueueCore(false, false, 0L));
  }

  private TransactionQueue(QueueCore core) {
    this.core = core;
  }

  static {
    ExitReport.install(); // -Dame4j.report=true, or ame run's report past a share of aborts
  }

  /** A queue whose result equals the sequential FIFO worklist; see the class comment. */
  public static TransactionQueue ordered() {
    return new TransactionQueue(new QueueCore(true, false, 0L));
  }

  /** An unordered queue that always runs serially, in the random order drawn from {@code seed}. */
  public static TransactionQueue serial(long seed) {
    return new TransactionQueue(new QueueCore(false, true, seed));
  }

  /**
   * Appends a task. Inside a transaction, the add is part of it: the task is appended when the
   * transaction commits, and never if it rolls back. Called during {@code run()}, the task runs
   * in that run.
   */
  public void add(Runnable task) {
    core.add(task);
  }

  /**
   * Appends the tasks {@code body.accept(i)} for every {@code i} with {@code from <= i < to}, in
   * index order: exactly {@code for (int i = from; i < to; i++) add(() -> body.accept(i))} (with
   * {@code i} copied), so each index is one task, one transaction, ordered like {@code add()}s,
   * and the contract above holds per index (a failure carries that index's task, the indices not
   * started stay queued). The difference is the cost: one queue entry for the whole range, with
   * no task object and no queue insert per index; workers take indices from it in batches.
   *
   * <p>Each index stays its own transaction because that is the granularity the loop body was
   * written for: merging indices into one transaction could only add conflicts and make a failure
   * roll back indices that did not fail. A body of a few nanoseconds of work still pays a
   * transaction per index; for such bodies, range over chunks of the loop instead
   * ({@code addRange(0, chunks, c -> { for (int i = c * K; i < Math.min(n, c * K + K); i++)
   * work(i); })}).
   *
   * @throws IllegalArgumentException if {@code from > to} ({@code from == to} adds nothing)
   */
  public void addRange(int from, int to, IntConsumer body) {
    core.addRange(from, to, body);
  }

  /** Runs every queued task (and every task they add) on the default number of workers. */
  public void run() {
    run(QueueCore.defaultWorkers());
  }

  /**
   * Runs every queued task (and every task they add) on {@code workers} threads; {@code 0} runs
   * the serial reference mode on the calling thread (seed: property {@code ame4j.seed}, default
   * 42).
   *
   * @throws TaskFailedException if a task threw (see the class comment for what stays queued)
   * @throws IllegalStateException if called from inside a task or atomic block, or while this
   *     queue is already running
   */
  public void run(int workers) {
    try {
      core.run(workers);
    } catch (TaskFailure f) {
      TaskFailedException e = new TaskFailedException(f.task(), f.getCause(), f.committed());
      for (Throwable s : f.getSuppressed()) {
        e.addSuppressed(s);
      }
      throw e;
    }
  }

  /** Number of tasks queued and not started. */
  public int size() {
    return core.size();
  }

  /** Removes every queued task. Not allowed inside a transaction. */
  public void clear() {
    core.clear();
  }

  /** The queued tasks, in queue order (a snapshot). */
  public List<Runnable> pendingTasks() {
    return core.pendingTasks();
  }

  public boolean isOrdered() {
    return core.isOrdered();
  }
}
