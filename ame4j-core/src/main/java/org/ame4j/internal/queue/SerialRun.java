package org.ame4j.internal.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import org.ame4j.internal.engine.Atomically;
import org.ame4j.internal.engine.CommitGate;
import org.ame4j.internal.engine.ControlSignal;
import org.ame4j.internal.engine.Txn;

/**
 * The serial reference mode ({@code run(0)} or {@code TransactionQueue.serial(seed)}): tasks run
 * one at a time on the calling thread, each still a transaction (rollback on exception, adds on
 * commit), in an order drawn from a seeded random generator (unordered queues) or in FIFO order
 * (ordered queues). Same seed, same order: a failing parallel run can be replayed serially, and
 * tests can explore many serial orders.
 *
 * <p>A task that calls {@code retry()} is rolled back and put back; if every remaining task
 * retries without any commit in between, nothing can ever change and the run fails with an
 * {@link IllegalStateException}.
 */
final class SerialRun implements CommitGate {
  private final QueueCore queue;
  private final SplittableRandom random;

  SerialRun(QueueCore queue, long seed) {
    this.queue = queue;
    this.random = new SplittableRandom(seed);
  }

  void run() {
    queue.claim(null, true);
    List<Runnable> work = new ArrayList<>();
    Txn tx = Txn.current();
    try {
      // Tasks that retried since the last commit: when that is every queued task, nothing can
      // ever change what they wait for.
      java.util.Set<Runnable> retriedSinceCommit =
          java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
      for (; ; ) {
        drainPending(work);
        if (work.isEmpty()) {
          return;
        }
        if (Thread.currentThread().isInterrupted()) {
          throw new CancellationException(
              "TransactionQueue.run() interrupted; " + work.size() + " tasks remain queued");
        }
        int pick = queue.ordered ? 0 : random.nextInt(work.size());
        Runnable task = work.remove(pick);
        try {
          Atomically.execute(tx, () -> {
            task.run();
            return null;
          }, this, 0L);
          retriedSinceCommit.clear();
        } catch (ControlSignal retried) {
          tx.takeRetryCondition();
          work.add(pick, task);
          drainPending(work);
          retriedSinceCommit.add(task);
          if (retriedSinceCommit.size() >= work.size()) {
            work.remove(task);
            throw new TaskFailure(task, new IllegalStateException(
                "Ame.retry() would wait forever: every queued task retried and none committed"));
          }
        } catch (Atomically.AfterCommitFailure f) {
          throw new TaskFailure(task, f.getCause(), true);
        } catch (Throwable t) {
          throw new TaskFailure(task, t);
        }
      }
    } finally {
      synchronized (queue.lock) {
        drainPending(work);
      }
      queue.release(work);
    }
  }

  private void drainPending(List<Runnable> work) {
    synchronized (queue.lock) {
      queue.pending.drainTo(work);
    }
  }

  @Override
  public org.ame4j.internal.engine.TaskSink sink() {
    return queue;
  }

  @Override
  public boolean isOrdered() {
    return queue.ordered;
  }

  @Override
  public boolean isTurn(long ticket) {
    return true;
  }

  @Override
  public long nextToCommit() {
    return 0L;
  }

  @Override
  public void committed(long ticket) {}

  @Override
  public boolean handBack(long ticket) {
    return false;
  }

  @Override
  public boolean handBackOnRetry() {
    return true;
  }

}
