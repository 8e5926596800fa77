package org.ame4j.internal.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.ame4j.Ame;
import org.ame4j.Ref;
import org.ame4j.Stats;
import org.ame4j.TaskFailedException;
import org.ame4j.TransactionQueue;
import org.ame4j.internal.engine.Txn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Several queued tasks in one transaction ({@link Coalescing}, {@code TaskBatch}): every rule of
 * a task on its own still holds for a task that shares a transaction. Batches are forced to the
 * largest size (test mode), so each case really runs inside a batch.
 */
class BatchingTest {
  private int savedFixed;
  private boolean savedUntracked;

  @BeforeEach
  void forceLargeBatches() {
    savedFixed = Coalescing.fixed;
    savedUntracked = TaskEntries.untracked;
    Coalescing.fixed = 64;
    TaskEntries.untracked = true; // these tasks never block outside the engine (no agent here)
  }

  @AfterEach
  void restore() {
    Coalescing.fixed = savedFixed;
    TaskEntries.untracked = savedUntracked;
  }

  /** N tasks, each adding 1 to a shared counter and to its own cell: effects exactly once. */
  @ParameterizedTest(name = "{0} workers")
  @ValueSource(ints = {1, 2, 4})
  void eachTaskTakesEffectOnceAndTasksShareTransactions(int workers) {
    int n = 20_000;
    Ref<Integer> total = new Ref<>(0);
    List<Ref<Integer>> own = new ArrayList<>();
    TransactionQueue q = new TransactionQueue();
    for (int i = 0; i < n; i++) {
      Ref<Integer> mine = new Ref<>(0);
      own.add(mine);
      q.add(() -> {
        total.set(total.get() + 1); // every pair of tasks conflicts: batches abort on N workers
        mine.set(mine.get() + 1);
      });
    }
    Stats before = Ame.stats();
    q.run(workers);
    Stats s = Ame.stats().minus(before);
    assertEquals(n, (int) Ame.atomic(total::get));
    for (Ref<Integer> r : own) {
      assertEquals(1, (int) Ame.atomic(r::get));
    }
    assertEquals(n, s.commits(), s.toString());
    assertTrue(s.transactions() < n, "tasks shared transactions: " + s);
  }

  /** The third task of a batch throws: it alone is rolled back and reported; the others commit. */
  @Test
  void aThrowingTaskIsRolledBackAloneAndReported() {
    Ref<Integer> total = new Ref<>(0);
    Ref<Integer> childRuns = new Ref<>(0);
    RuntimeException boom = new IllegalStateException("boom");
    TransactionQueue q = new TransactionQueue();
    AtomicInteger afterAborts = new AtomicInteger();
    List<Runnable> tasks = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      int id = i;
      Runnable t = () -> {
        total.set(total.get() + 1);
        if (id == 2) {
          Ame.add(() -> childRuns.set(childRuns.get() + 1)); // dropped with its parent
          throw boom;
        }
      };
      tasks.add(t);
      q.add(t);
    }
    TaskFailedException e = assertThrows(TaskFailedException.class, () -> q.run(1));
    assertSame(boom, e.getCause());
    assertSame(tasks.get(2), e.task());
    assertFalse(e.committed());
    // Tasks 0 and 1 (before it, in its batch) committed; the rest never started and are queued.
    assertEquals(2, (int) Ame.atomic(total::get));
    assertEquals(7, q.size());
    q.run(1);
    assertEquals(9, (int) Ame.atomic(total::get));
    assertEquals(0, (int) Ame.atomic(childRuns::get));
    assertEquals(0, afterAborts.get());
  }

  /** A task in a batch calls retry(): rolled back alone, handed back, run again once woken. */
  @Test
  void aRetryingTaskIsRolledBackAloneAndHandedBack() {
    Ref<Boolean> ready = new Ref<>(false);
    Ref<Integer> total = new Ref<>(0);
    AtomicInteger waiterRuns = new AtomicInteger();
    TransactionQueue q = new TransactionQueue();
    for (int i = 0; i < 40; i++) {
      int id = i;
      q.add(() -> {
        if (id == 3) {
          waiterRuns.incrementAndGet();
          total.set(total.get() + 100);
          if (!ready.get()) {
            Ame.retry();
          }
          return;
        }
        total.set(total.get() + 1);
        if (id == 30) {
          ready.set(true);
        }
      });
    }
    q.run(1);
    assertEquals(39 + 100, (int) Ame.atomic(total::get));
    assertTrue(waiterRuns.get() >= 2, "ran, retried, ran again: " + waiterRuns.get());
  }

  /** A task that must be inevitable: the tasks before it commit first, none joins after it. */
  @Test
  void anInevitableTaskRunsAlone() {
    ConcurrentLinkedQueue<String> sawInevitable = new ConcurrentLinkedQueue<>();
    Ref<Integer> total = new Ref<>(0);
    TransactionQueue q = new TransactionQueue();
    for (int i = 0; i < 30; i++) {
      int id = i;
      q.add(() -> {
        total.set(total.get() + 1);
        if (id == 5) {
          Ame.inevitable();
          assertEquals(6, (int) total.get(), "tasks 0-4 committed before, alone after");
        } else if (Txn.current().isInevitable()) {
          sawInevitable.add("task " + id); // joined the inevitable task's transaction
        }
      });
    }
    Stats before = Ame.stats();
    q.run(1);
    Stats s = Ame.stats().minus(before);
    assertEquals(30, (int) Ame.atomic(total::get));
    assertTrue(sawInevitable.isEmpty(), sawInevitable.toString());
    assertEquals(1, s.inevitable(), s.toString());
    assertEquals(30, s.commits(), s.toString());
  }

  /** After-commit actions of batched tasks run once each; a failing one names its own task. */
  @Test
  void anAfterCommitFailureNamesItsTask() {
    AtomicInteger actions = new AtomicInteger();
    RuntimeException boom = new IllegalStateException("after commit");
    TransactionQueue q = new TransactionQueue();
    List<Runnable> tasks = new ArrayList<>();
    Ref<Integer> total = new Ref<>(0);
    for (int i = 0; i < 10; i++) {
      int id = i;
      Runnable t = () -> {
        total.set(total.get() + 1);
        Ame.afterCommit(actions::incrementAndGet);
        if (id == 4) {
          Ame.afterCommit(() -> {
            throw boom;
          });
        }
      };
      tasks.add(t);
      q.add(t);
    }
    TaskFailedException e = assertThrows(TaskFailedException.class, () -> q.run(1));
    assertSame(boom, e.getCause());
    assertSame(tasks.get(4), e.task());
    assertTrue(e.committed());
    int committed = Ame.atomic(total::get);
    assertTrue(committed >= 5, "tasks 0-4 committed: " + committed);
    assertEquals(committed, actions.get(), "one action per committed task");
  }

  /**
   * After-abort actions stay per task in a batch: never for a task that commits, once per
   * rolled-back attempt of a task that throws (rolled back out of the batch, then alone).
   */
  @Test
  void afterAbortActionsRunOncePerRolledBackAttempt() {
    AtomicInteger aborted = new AtomicInteger();
    AtomicInteger runs = new AtomicInteger();
    Ref<Integer> total = new Ref<>(0);
    RuntimeException boom = new IllegalStateException("boom");
    TransactionQueue q = new TransactionQueue();
    for (int i = 0; i < 10; i++) {
      int id = i;
      q.add(() -> {
        total.set(total.get() + 1);
        if (id == 3 || id == 6) {
          Ame.afterAbort(aborted::incrementAndGet);
          runs.incrementAndGet();
          if (id == 6) {
            throw boom;
          }
        }
      });
    }
    TaskFailedException e = assertThrows(TaskFailedException.class, () -> q.run(1));
    assertSame(boom, e.getCause());
    assertEquals(2, aborted.get(), "task 6's action, once per rolled-back attempt");
    assertEquals(3, runs.get(), "task 3 once, task 6 in the batch and alone");
    assertEquals(6, (int) Ame.atomic(total::get));
  }

  /** A nested block that throws inside a batched task undoes itself only; the task commits. */
  @Test
  void nestedRollbackInsideABatchedTask() {
    Ref<Integer> total = new Ref<>(0);
    TransactionQueue q = new TransactionQueue();
    for (int i = 0; i < 10; i++) {
      q.add(() -> {
        total.set(total.get() + 1);
        try {
          Ame.atomic(() -> {
            total.set(total.get() + 1000);
            throw new IllegalArgumentException("inner");
          });
        } catch (IllegalArgumentException expected) {
          // the inner block's write is undone, the task goes on
        }
      });
    }
    Stats before = Ame.stats();
    q.run(1);
    Stats s = Ame.stats().minus(before);
    assertEquals(10, (int) Ame.atomic(total::get));
    assertTrue(s.transactions() < s.commits(), s.toString());
  }

  /**
   * The deadlock batching could create (ame4j-agent/DESIGN-NOTES.md, "Several tasks per
   * transaction"): task 1 locks {@code r}'s record and ends; task 2 starts by entering a real
   * monitor that another thread holds, and that thread, inevitable inside it, waits for
   * {@code r}. Had task 2 joined task 1's transaction it would block in the monitor with
   * {@code r} locked, where no kill reaches it (JLS 17.1: a thread blocked entering a monitor
   * (JVMS 6.5 monitorenter: the thread waits until the monitor is free; no interrupt ends that wait): both threads would wait forever. The engine cannot see this code
   * (no agent: untracked), so task 2 never joins a transaction: task 1 commits first.
   */
  @Test
  void aTaskWhoseStartTheEngineCannotSeeNeverJoinsABatch() throws Exception {
    TaskEntries.untracked = false; // the default without the agent
    Object monitor = new Object();
    Ref<Integer> r = new Ref<>(0);
    CountDownLatch holderInMonitor = new CountDownLatch(1);
    CountDownLatch firstTaskWrote = new CountDownLatch(1);
    Thread holder = new Thread(() -> {
      synchronized (monitor) {
        holderInMonitor.countDown();
        awaitQuietly(firstTaskWrote);
        Ame.atomic(() -> {
          Ame.inevitable(); // in place: it has done nothing yet
          r.set(r.get() + 10); // meets task 1's lock: kills its holder and waits for it
        });
      }
    }, "monitor-holder");
    holder.setDaemon(true); // if the deadlock came back, the JVM could still exit
    TransactionQueue q = new TransactionQueue();
    q.add(() -> {
      awaitQuietly(holderInMonitor);
      r.set(r.get() + 1);
      firstTaskWrote.countDown();
    });
    q.add(() -> {
      synchronized (monitor) {
        r.set(r.get() + 100);
      }
    });
    for (int i = 0; i < 100; i++) {
      q.add(() -> { }); // so that the worker takes both tasks above in one refill
    }
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      holder.start();
      q.run(1);
      holder.join();
    }, "a batch blocked in a monitor while holding a record the monitor's holder needs");
    assertEquals(111, (int) Ame.atomic(r::get));
  }

  /** The agent's rule decides per entry class; a refused task starts the next transaction. */
  @Test
  void onlyTasksTheRuleAcceptsJoin() {
    TaskEntries.untracked = false;
    Ref<Integer> total = new Ref<>(0);
    Runnable joins = () -> total.set(total.get() + 1);
    Runnable alone = () -> total.set(total.get() + 1);
    TaskEntries.install(c -> c == joins.getClass());
    try {
      TransactionQueue q = new TransactionQueue();
      for (int i = 0; i < 40; i++) {
        q.add(i % 10 == 9 ? alone : joins);
      }
      Stats before = Ame.stats();
      q.run(1);
      Stats s = Ame.stats().minus(before);
      assertEquals(40, (int) Ame.atomic(total::get));
      assertEquals(40, s.commits(), s.toString());
      // Each refused task starts a new transaction: at least the four after the refused ones.
      assertTrue(s.transactions() >= 4 && s.transactions() < 40, s.toString());
    } finally {
      TaskEntries.install(null);
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
