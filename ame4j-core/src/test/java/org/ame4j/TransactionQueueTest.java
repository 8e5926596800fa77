package org.ame4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The queue's own API: size, clear, pendingTasks, adds, run() misuse, worker counts, Ame.add/run. */
class TransactionQueueTest {

  @Test
  void sizeClearAndPendingTasksInOrder() {
    TransactionQueue q = new TransactionQueue();
    assertFalse(q.isOrdered());
    assertTrue(TransactionQueue.ordered().isOrdered());
    assertEquals(0, q.size());
    List<Runnable> added = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Runnable r = () -> {};
      added.add(r);
      q.add(r);
    }
    assertEquals(10, q.size());
    List<Runnable> pending = q.pendingTasks();
    assertEquals(10, pending.size());
    for (int i = 0; i < 10; i++) {
      assertSame(added.get(i), pending.get(i));
    }
    // A snapshot: later changes to the queue do not show in it.
    q.add(() -> {});
    assertEquals(10, pending.size());
    assertEquals(11, q.size());
    q.clear();
    assertEquals(0, q.size());
    assertTrue(q.pendingTasks().isEmpty());
    q.run(2); // empty: returns at once
  }

  @Test
  void emptyQueueRunsReturn() {
    for (int w : TestUtil.WORKERS) {
      new TransactionQueue().run(w);
      TransactionQueue.ordered().run(w);
    }
    new TransactionQueue().run(0);
    new TransactionQueue().run();
  }

  @Test
  void negativeWorkersRejected() {
    TransactionQueue q = new TransactionQueue();
    q.add(() -> {});
    assertThrows(IllegalArgumentException.class, () -> q.run(-1));
    assertEquals(1, q.size());
  }

  @Test
  void nullTaskRejected() {
    assertThrows(NullPointerException.class, () -> new TransactionQueue().add(null));
  }

  @ParameterizedTest(name = "{0} workers")
  @ValueSource(ints = {1, 2, 4, 8})
  void addsFromTasksRunInTheSameRun(int workers) {
    TransactionQueue q = new TransactionQueue();
    IntRef count = new IntRef(0);
    q.add(tree(q, count, 10));
    q.run(workers);
    assertEquals((1 << 11) - 1, count.get());
    assertEquals(0, q.size());
  }

  private static Runnable tree(TransactionQueue q, IntRef count, int depth) {
    return () -> {
      count.set(count.get() + 1);
      if (depth > 0) {
        q.add(tree(q, count, depth - 1));
        Ame.add(tree(q, count, depth - 1));
      }
    };
  }

  @Test
  void runInsideATaskIsRejected() {
    TransactionQueue q = new TransactionQueue();
    TransactionQueue other = new TransactionQueue();
    other.add(() -> {});
    AtomicReference<Throwable> sameQueue = new AtomicReference<>();
    AtomicReference<Throwable> otherQueue = new AtomicReference<>();
    AtomicReference<Throwable> global = new AtomicReference<>();
    q.add(
        () -> {
          try {
            q.run();
          } catch (IllegalStateException e) {
            sameQueue.set(e);
          }
          try {
            other.run(1);
          } catch (IllegalStateException e) {
            otherQueue.set(e);
          }
          try {
            Ame.run();
          } catch (IllegalStateException e) {
            global.set(e);
          }
        });
    q.run(2);
    assertTrue(sameQueue.get() instanceof IllegalStateException, "q.run() inside a task");
    assertTrue(otherQueue.get() instanceof IllegalStateException, "other.run() inside a task");
    assertTrue(global.get() instanceof IllegalStateException, "Ame.run() inside a task");
    assertEquals(1, other.size(), "the nested run must not have run anything");

    // Uncaught, it fails the task like any exception.
    TransactionQueue q2 = new TransactionQueue();
    q2.add(q2::run);
    TaskFailedException ex = assertThrows(TaskFailedException.class, () -> q2.run(1));
    assertTrue(ex.getCause() instanceof IllegalStateException, ex.toString());
  }

  @Test
  void runInsideAnAtomicBlockIsRejected() {
    TransactionQueue q = new TransactionQueue();
    q.add(() -> {});
    assertThrows(IllegalStateException.class, () -> Ame.atomic(() -> q.run(1)));
    assertEquals(1, q.size());
  }

  @Test
  void ameAddOutsideTasksGoesToTheGlobalQueue() {
    IntRef count = new IntRef(0);
    for (int i = 0; i < 100; i++) {
      Ame.add(() -> count.set(count.get() + 1));
    }
    Ame.run(2);
    assertEquals(100, count.get());
    for (int i = 0; i < 10; i++) {
      Ame.add(() -> count.set(count.get() + 1));
    }
    Ame.run();
    assertEquals(110, count.get());
  }

  /**
   * An attempt that added a task and then lost a conflict adds nothing: only the attempt that
   * commits appends (the first attempt reads {@code x}, a second thread commits a write of it,
   * and the first attempt's commit fails validation).
   */
  @Test
  void anAttemptAbortedByAConflictAddsNothing() {
    IntRef x = new IntRef(0);
    IntRef y = new IntRef(0);
    TransactionQueue q = new TransactionQueue();
    AtomicInteger attempts = new AtomicInteger();
    Ame.atomic(() -> {
      attempts.incrementAndGet();
      int seen = x.get();
      q.add(() -> { });
      if (seen == 0) { // no writer has committed yet: make one commit against this attempt
        Thread writer = new Thread(() -> Ame.atomic(() -> x.set(x.get() + 1)));
        writer.start();
        try {
          writer.join();
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        }
      }
      y.set(seen);
    });
    assertEquals(1, x.get());
    assertEquals(1, y.get(), "only an attempt that saw the writer's commit committed");
    assertTrue(attempts.get() >= 2, "the attempt that saw 0 was rolled back");
    assertEquals(1, q.size(), "the rolled-back attempt's add was dropped");
  }

  /** An add inside an atomic block is part of the block: dropped if the block rolls back. */
  @Test
  void addInsideAFailedAtomicBlockIsDropped() {
    IntRef count = new IntRef(0);
    TransactionQueue q = new TransactionQueue();
    assertThrows(
        IllegalStateException.class,
        () ->
            Ame.atomic(
                () -> {
                  q.add(() -> count.set(count.get() + 1));
                  Ame.add(() -> count.set(count.get() + 100));
                  throw new IllegalStateException();
                }));
    assertEquals(0, q.size());
    q.run(1);
    Ame.run(1);
    assertEquals(0, count.get());
    Ame.atomic(
        () -> {
          q.add(() -> count.set(count.get() + 1));
          assertEquals(0, q.size(), "an add inside a transaction is visible before commit");
        });
    assertEquals(1, q.size());
    q.run(1);
    assertEquals(1, count.get());
  }

  /**
   * run(n) runs on n workers: never more than n tasks at once, and (with enough work for
   * everyone) exactly n distinct threads take part. Tasks do not wait for each other: a
   * scheduler may legitimately hand several queued tasks to one worker.
   */
  @ParameterizedTest(name = "{0} workers")
  @ValueSource(ints = {1, 2, 3, 4})
  void runNUsesNWorkers(int workers) {
    assertRunsOnExactly(workers, q -> q.run(workers), workers + " workers");
  }

  /**
   * Runs 4,000 tasks of about 50 µs each with {@code runner} and checks that exactly
   * {@code workers} distinct threads took part, never more than {@code workers} at once.
   */
  private static void assertRunsOnExactly(
      int workers, java.util.function.Consumer<TransactionQueue> runner, String what) {
    Set<Thread> threads = ConcurrentHashMap.newKeySet();
    AtomicInteger concurrent = new AtomicInteger();
    AtomicInteger max = new AtomicInteger();
    TransactionQueue q = new TransactionQueue();
    for (int i = 0; i < 4_000; i++) {
      q.add(
          () -> {
            threads.add(Thread.currentThread());
            max.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
            TestUtil.busyMicros(50);
            concurrent.decrementAndGet();
          });
    }
    runner.accept(q);
    assertTrue(max.get() <= workers, "more tasks at once than workers (" + what + "): " + max.get());
    assertEquals(workers, threads.size(), "threads that ran tasks with " + what);
  }

  @Test
  void threadsPropertyIsTheDefaultWorkerCount() {
    String old = System.getProperty("ame4j.threads");
    System.setProperty("ame4j.threads", "3");
    try {
      assertRunsOnExactly(3, TransactionQueue::run, "ame4j.threads=3");
    } finally {
      if (old == null) {
        System.clearProperty("ame4j.threads");
      } else {
        System.setProperty("ame4j.threads", old);
      }
    }
  }

  /** A queue can be run again and again; tasks added between runs are picked up. */
  @Test
  void reusableAcrossRuns() {
    TransactionQueue q = new TransactionQueue();
    IntRef count = new IntRef(0);
    for (int round = 1; round <= 20; round++) {
      for (int i = 0; i < round; i++) {
        q.add(() -> count.set(count.get() + 1));
      }
      q.run(1 + round % 4);
      assertEquals(round * (round + 1) / 2, count.get());
    }
  }

  /** Two queues run at the same time from two threads, on shared cells: no lost update. */
  @Test
  void twoQueuesRunConcurrently() {
    IntRef shared = new IntRef(0);
    TestUtil.Threads ts = new TestUtil.Threads();
    for (int t = 0; t < 2; t++) {
      ts.start(
          "queue-runner-" + t,
          () -> {
            TransactionQueue q = new TransactionQueue();
            for (int i = 0; i < 2_000; i++) {
              q.add(() -> shared.set(shared.get() + 1));
            }
            q.run(2);
          });
    }
    ts.joinAll();
    assertEquals(4_000, shared.get());
  }

  /** A run that would wait forever (the only task retries on a cell nobody writes) must not hang. */
  @Test
  void retryThatCanNeverBeWokenFailsInsteadOfHanging() {
    IntRef never = new IntRef(0);
    TransactionQueue q = new TransactionQueue();
    q.add(
        () -> {
          if (never.get() == 0) {
            Ame.retry();
          }
        });
    TaskFailedException ex = assertThrows(TaskFailedException.class, () -> q.run(2));
    assertTrue(ex.getCause() instanceof IllegalStateException, ex.toString());
  }

  /** Tasks added from a plain thread while the queue runs: each one runs or stays queued. */
  @Test
  void addsFromAnotherThreadDuringRunAreNotLost() {
    TransactionQueue q = new TransactionQueue();
    IntRef ran = new IntRef(0);
    int external = 2_000;
    java.util.concurrent.atomic.AtomicBoolean adderDone = new java.util.concurrent.atomic.AtomicBoolean();
    // A task that keeps the run alive until the adder is done (bounded), re-adding itself.
    Runnable[] keepAlive = new Runnable[1];
    keepAlive[0] =
        () -> {
          TestUtil.spin(5_000);
          if (!adderDone.get()) {
            q.add(keepAlive[0]);
          }
        };
    q.add(keepAlive[0]);
    TestUtil.Threads ts = new TestUtil.Threads();
    ts.start(
        "adder",
        () -> {
          for (int i = 0; i < external; i++) {
            q.add(() -> ran.set(ran.get() + 1));
          }
          adderDone.set(true);
        });
    q.run(2);
    ts.joinAll();
    assertEquals(external, ran.get() + q.size(), "an add from another thread was lost");
    q.run(2);
    assertEquals(external, ran.get());
  }

  @Test
  void concurrentRunOfTheSameQueueIsRejected() {
    TransactionQueue q = new TransactionQueue();
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    q.add(
        () -> {
          inside.countDown();
          TestUtil.await(release, "the test to release the task");
        });
    TestUtil.Threads ts = new TestUtil.Threads();
    ts.start("first-run", () -> q.run(1));
    TestUtil.await(inside, "the first run to start its task");
    try {
      assertThrows(IllegalStateException.class, () -> q.run(1));
    } finally {
      release.countDown();
    }
    ts.joinAll();
    assertEquals(0, q.size());
  }

  @Test
  void clearInsideATransactionIsRejected() {
    TransactionQueue q = new TransactionQueue();
    q.add(() -> {});
    assertThrows(IllegalStateException.class, () -> Ame.atomic(q::clear));
    assertEquals(1, q.size());
  }
}
