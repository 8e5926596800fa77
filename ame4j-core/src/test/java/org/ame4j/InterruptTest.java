package org.ame4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Interrupts: a worker thread being interrupted (by task code, or by another thread) loses
 * nothing, since an interrupt only concerns the task code that observes it; interrupting the
 * thread in {@code run()} cancels the run: running tasks finish, the rest stays queued, the flag
 * is re-asserted and {@link CancellationException} is thrown.
 */
class InterruptTest {

  /** Tasks interrupt their own thread; every task still commits exactly once. */
  @ParameterizedTest(name = "{0} workers")
  @ValueSource(ints = {1, 2, 4, 8})
  void taskInterruptingItsOwnThreadLosesNothing(int workers) {
    int n = 2_000;
    IntRef hot = new IntRef(0);
    AtomicInteger[] commits = new AtomicInteger[n];
    Set<Thread> workerThreads = ConcurrentHashMap.newKeySet();
    TransactionQueue q = new TransactionQueue();
    for (int i = 0; i < n; i++) {
      int k = i;
      commits[i] = new AtomicInteger();
      q.add(
          () -> {
            workerThreads.add(Thread.currentThread());
            if (k % 3 == 0) {
              Thread.currentThread().interrupt();
            }
            hot.set(hot.get() + 1);
            TestUtil.spin(20);
            Ame.afterCommit(commits[k]::incrementAndGet);
          });
    }
    Thread caller = Thread.currentThread();
    CancellationException cancelled = null;
    try {
      q.run(workers);
    } catch (CancellationException e) {
      cancelled = e;
    }
    boolean callerWasWorker = workerThreads.contains(caller);
    boolean interrupted = Thread.interrupted(); // clear, whatever happened
    if (!callerWasWorker) {
      // The interrupts hit worker threads only: the run must not be cancelled by them.
      assertNull(cancelled, "interrupting a worker cancelled the run");
      assertFalse(interrupted, "a worker's interrupt leaked to the caller");
    }
    while (q.size() > 0) {
      q.run(workers);
      Thread.interrupted();
    }
    assertEquals(n, hot.get(), "lost or duplicated update");
    for (int i = 0; i < n; i++) {
      assertEquals(1, commits[i].get(), "commits of task " + i);
    }
  }

  /**
   * Another thread keeps interrupting every worker thread it has seen while tasks run and some
   * of them wait in {@code retry}: no lost task, no lost update, no hang.
   */
  @ParameterizedTest(name = "{0} workers")
  @ValueSource(ints = {2, 4, 8})
  void externalInterruptsOfWorkersLoseNothing(int workers) {
    int n = 3_000;
    IntRef hot = new IntRef(0);
    IntRef flag = new IntRef(0);
    IntRef woken = new IntRef(0);
    Set<Thread> workerThreads = ConcurrentHashMap.newKeySet();
    AtomicInteger commits = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    Thread caller = Thread.currentThread();
    TransactionQueue q = new TransactionQueue();
    // One waiter that blocks in retry until the last ordinary task sets the flag.
    q.add(
        () -> {
          workerThreads.add(Thread.currentThread());
          if (flag.get() == 0) {
            Ame.retry();
          }
          woken.set(woken.get() + 1);
        });
    AtomicInteger interruptsSent = new AtomicInteger();
    for (int i = 0; i < n; i++) {
      int k = i;
      q.add(
          () -> {
            workerThreads.add(Thread.currentThread());
            if (k % 100 == 0) {
              // Make sure interrupts keep arriving during the whole run (bounded wait).
              long deadline = System.nanoTime() + 10_000_000_000L;
              while (interruptsSent.get() <= k / 10 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
              }
            }
            int v = hot.get();
            TestUtil.spin(100);
            hot.set(v + 1);
            if (v + 1 == n) {
              flag.set(1);
            }
            Ame.afterCommit(commits::incrementAndGet);
          });
    }
    TestUtil.Threads ts = new TestUtil.Threads();
    ts.start(
        "interrupter",
        () -> {
          while (!stop.get()) {
            for (Thread t : workerThreads) {
              if (t != caller) {
                t.interrupt();
                interruptsSent.incrementAndGet();
              }
            }
            Thread.yield();
          }
        });
    try {
      q.run(workers);
    } finally {
      stop.set(true);
      ts.joinAll();
      Thread.interrupted();
    }
    assertEquals(n, hot.get(), "lost update");
    assertEquals(n, commits.get(), "lost or duplicated task");
    assertEquals(1, woken.get(), "the retrying task must complete exactly once");
    assertEquals(0, q.size());
    assertTrue(interruptsSent.get() > (n - 100) / 10, "the interrupter did not keep interrupting: " + interruptsSent.get());
  }

  /**
   * The thread in run() is interrupted while tasks are running: run() lets the running tasks
   * finish, keeps the others queued, re-asserts the interrupt and throws CancellationException.
   * A later run() finishes the job with nothing lost.
   */
  @ParameterizedTest(name = "{0} workers")
  @ValueSource(ints = {1, 2, 4, 8})
  void interruptingTheCallerCancelsTheRun(int workers) {
    int n = 500;
    IntRef counter = new IntRef(0);
    boolean[] done = new boolean[n];
    AtomicInteger[] commits = new AtomicInteger[n];
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch gate = new CountDownLatch(1);
    TransactionQueue q = new TransactionQueue();
    for (int i = 0; i < n; i++) {
      int k = i;
      commits[i] = new AtomicInteger();
      q.add(
          () -> {
            started.countDown();
            TestUtil.await(gate, "the test to interrupt the caller");
            TestUtil.spin(50_000); // keeps the run going long after the interrupt
            counter.set(counter.get() + 1);
            Ame.afterCommit(
                () -> {
                  commits[k].incrementAndGet();
                  synchronized (done) {
                    done[k] = true;
                  }
                });
          });
    }
    List<Runnable> all = q.pendingTasks();
    AtomicReference<Throwable> outcome = new AtomicReference<>();
    AtomicBoolean flagAfter = new AtomicBoolean();
    TestUtil.Threads ts = new TestUtil.Threads();
    Thread runner =
        ts.start(
            "runner",
            () -> {
              try {
                q.run(workers);
              } catch (Throwable t) {
                outcome.set(t);
              }
              flagAfter.set(Thread.currentThread().isInterrupted());
            });
    TestUtil.await(started, "the first task to start");
    runner.interrupt();
    awaitInterruptSeen(runner);
    gate.countDown(); // only now may the running tasks finish
    ts.joinAll();
    assertNotNull(outcome.get(), "run() returned normally although its thread was interrupted");
    assertTrue(outcome.get() instanceof CancellationException, "expected CancellationException: " + outcome.get());
    assertTrue(flagAfter.get(), "the interrupt flag was not re-asserted");
    int committed = counter.get();
    assertTrue(committed < n, "every task ran although the run was cancelled");
    assertEquals(n - committed, q.size(), "committed + queued != all tasks");
    Set<Runnable> pending = new HashSet<>(q.pendingTasks());
    synchronized (done) {
      for (int i = 0; i < n; i++) {
        assertEquals(!done[i], pending.contains(all.get(i)), "task " + i + ": done xor queued");
      }
    }
    q.run(workers);
    assertEquals(n, counter.get());
    for (int i = 0; i < n; i++) {
      assertEquals(1, commits[i].get(), "task " + i);
    }
  }

  /**
   * Ordered run cancelled by interrupting its caller: what committed is a prefix of the queue,
   * what stays queued is exactly the rest, in order; running again completes the sequential
   * result.
   */
  @ParameterizedTest(name = "{0} workers")
  @ValueSource(ints = {1, 2, 4, 8})
  void cancelledOrderedRunLeavesTheSuffixQueuedInOrder(int workers) {
    int n = 300;
    IntRef hash = new IntRef(0);
    IntRef count = new IntRef(0);
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch gate = new CountDownLatch(1);
    TransactionQueue q = TransactionQueue.ordered();
    for (int i = 0; i < n; i++) {
      int k = i;
      q.add(
          () -> {
            started.countDown();
            TestUtil.await(gate, "the test to interrupt the caller");
            TestUtil.spin(50_000);
            hash.set(hash.get() * 31 + k);
            count.set(count.get() + 1);
          });
    }
    List<Runnable> all = q.pendingTasks();
    AtomicReference<Throwable> outcome = new AtomicReference<>();
    TestUtil.Threads ts = new TestUtil.Threads();
    Thread runner =
        ts.start(
            "runner",
            () -> {
              try {
                q.run(workers);
              } catch (Throwable t) {
                outcome.set(t);
              }
            });
    TestUtil.await(started, "the first task to start");
    runner.interrupt();
    awaitInterruptSeen(runner);
    gate.countDown(); // only now may the running tasks finish
    ts.joinAll();
    assertTrue(outcome.get() instanceof CancellationException, "expected CancellationException: " + outcome.get());
    int c = count.get();
    assertTrue(c < n, "every task ran although the run was cancelled");
    int expected = 0;
    for (int k = 0; k < c; k++) {
      expected = expected * 31 + k;
    }
    assertEquals(expected, hash.get(), "the committed tasks are not the first " + c);
    List<Runnable> pending = q.pendingTasks();
    assertEquals(n - c, pending.size());
    for (int k = c; k < n; k++) {
      assertTrue(all.get(k) == pending.get(k - c), "queued task " + k + " out of place");
    }
    q.run(workers);
    for (int k = c; k < n; k++) {
      expected = expected * 31 + k;
    }
    assertEquals(expected, hash.get());
    assertEquals(n, count.get());
  }

  /**
   * Waits (bounded) until the thread in run() has consumed its interrupt (a blocking wait in it
   * threw InterruptedException, which clears the flag), so that the run has certainly been told
   * to stop before the running tasks are allowed to finish. If the engine polls the flag without
   * clearing it, the wait just ends after 2 s: the test stays correct, only less sharp.
   */
  private static void awaitInterruptSeen(Thread runner) {
    long deadline = System.nanoTime() + 2_000_000_000L;
    while (runner.isInterrupted() && runner.isAlive() && System.nanoTime() < deadline) {
      Thread.yield();
    }
    // The flag clears when the caller's join throws, before the run has stopped its workers
    // (ParallelRun.stop takes the queue's lock, which the workers take too): wait until the caller
    // waits again, in its next join, so that the run has stopped before the tasks may go on.
    // Without this, tasks 20 us long could all finish in that window (JDK 25, 1 run in 4).
    while (runner.isAlive() && runner.getState() != Thread.State.WAITING
        && System.nanoTime() < deadline) {
      Thread.yield();
    }
  }
}
