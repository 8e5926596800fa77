package org.ame4j.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.ame4j.Ame;
import org.ame4j.LongRef;
import org.ame4j.TaskFailedException;
import org.ame4j.TransactionQueue;
import org.ame4j.history.Workload.Fault;
import org.ame4j.history.Workload.Mode;
import org.ame4j.testkit.HangGuard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Fault injection under the history checker: tasks that die of a real
 * {@link StackOverflowError} or {@link OutOfMemoryError} in the middle of their writes, workers
 * interrupted all the time (so also while they commit or wait for their commit turn), and a
 * {@code retry} that nothing will ever wake. In every case: nothing lost (the checked history
 * has no anomaly, the final state is explained by the committed transactions, no failed task
 * committed), no hang (a fresh transaction over every register commits afterwards: no lock
 * was left behind; JUnit's timeout turns a hang into a failure), and every failure reported
 * exactly once.
 */
@HangGuard(seconds = 600)
class FaultInjectionTest {
  static Workload workload(Store store, Mode mode, int workers, long seed, int tasks, int permille) {
    return new Workload(store, new History(), mode, workers, seed, tasks, permille);
  }

  /** Every register written once more in one transaction: a leaked lock would hang or fail it. */
  static void writeEverything(Store store) {
    Ame.atomic(() -> {
      for (int k = 0; k < store.keys(); k++) {
        store.set(k, store.get(k) + 1);
      }
    });
  }

  @ParameterizedTest(name = "{0}, {1}, {2} workers")
  @CsvSource({
    "STACK_OVERFLOW, UNORDERED, 2", "STACK_OVERFLOW, ORDERED, 2", "STACK_OVERFLOW, ATOMIC, 2",
    "OUT_OF_MEMORY, UNORDERED, 2", "OUT_OF_MEMORY, ORDERED, 2", "OUT_OF_MEMORY, ATOMIC, 2",
    "EXCEPTION, UNORDERED, 4", "STACK_OVERFLOW, UNORDERED, 4"
  })
  void errorsMidWriteLoseNothingAndAreReported(Fault fault, Mode mode, int workers) throws Exception {
    CellStore store = new CellStore(24, 4);
    Workload w = workload(store, mode, workers, 7, 600, 30).fault(fault);
    HistoryChecker.Result r = w.runAndCheck();
    System.out.println(fault + ", " + mode + ": " + r + "; " + w.failuresReported() + " failures reported");
    assertTrue(r.ok(), r.toString());
    assertTrue(w.failingTasksStarted() > 0, "no task failed: the injection did not happen");
    assertEquals(0, w.failingTasksCommitted(), "a task that failed committed");
    assertEquals(w.failingTasksStarted(), w.failuresReported(), "each failure reported exactly once");
    writeEverything(store);
  }

  /**
   * Another thread interrupts every worker it has seen, over and over, while a checked
   * workload runs: interrupts land in task code, in commits, in the wait for an ordered
   * commit turn and in retry waits; none of it may lose or duplicate a transaction.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Mode.class, names = {"UNORDERED", "ORDERED"})
  void workersInterruptedMidCommitLoseNothing(Mode mode) throws Exception {
    Set<Thread> workers = ConcurrentHashMap.newKeySet();
    Thread caller = Thread.currentThread();
    CellStore cells = new CellStore(24, 4);
    Store store = new InterceptingStore(cells, () -> {
      if (Thread.currentThread() != caller) {
        workers.add(Thread.currentThread());
      }
    });
    AtomicBoolean stop = new AtomicBoolean();
    Thread interrupter = new Thread(() -> {
      while (!stop.get()) {
        for (Thread t : workers) {
          t.interrupt();
        }
        Thread.onSpinWait();
      }
    }, "interrupter");
    interrupter.start();
    Workload w = workload(store, mode, 2, 11, 1_500, 0);
    HistoryChecker.Result r;
    try {
      r = w.runAndCheck();
    } finally {
      stop.set(true);
      interrupter.join();
      Thread.interrupted();
    }
    System.out.println("interrupted workers, " + mode + ": " + r);
    assertTrue(r.ok(), r.toString());
    assertTrue(r.committed() >= 1_500, r.toString());
    assertTrue(!workers.isEmpty(), "no worker thread seen");
    writeEverything(cells);
  }

  /**
   * A {@code retry} in a plain thread's atomic block that nothing will wake: it waits (it must
   * not spin through the rest of the program), an interrupt ends it with a
   * {@link CancellationException}, its write before the retry is gone, and its locks with it.
   */
  @Test
  void aRetryThatNeverWakesIsCancelledByAnInterruptAndLeavesNoTrace() throws Exception {
    LongRef written = new LongRef(5);
    LongRef never = new LongRef(0);
    CountDownLatch waiting = new CountDownLatch(1);
    AtomicReference<Throwable> outcome = new AtomicReference<>();
    Thread t = new Thread(() -> {
      try {
        Ame.atomic(() -> {
          written.set(written.get() + 1); // read, then locked: its rollback must not wake it
          if (never.get() == 0) {
            Ame.afterAbort(waiting::countDown);
            Ame.retry();
          }
        });
        outcome.set(new AssertionError("the retry returned"));
      } catch (Throwable e) {
        outcome.set(e);
      }
    }, "never-woken");
    t.start();
    assertTrue(waiting.await(60, TimeUnit.SECONDS), "the block never reached its retry");
    assertEquals(5L, (long) Ame.atomic(written::get), "the write before the retry is visible");
    writeEverything(new CellStore(4, 0)); // other transactions keep committing meanwhile
    Ame.atomic(() -> written.set(written.get() + 1)); // no lock was left on the cell
    assertTrue(t.isAlive(), "the retry gave up although nothing it read changed");
    t.interrupt();
    t.join(TimeUnit.SECONDS.toMillis(60));
    assertTrue(!t.isAlive(), "an interrupt did not end the retry");
    assertTrue(outcome.get() instanceof CancellationException, String.valueOf(outcome.get()));
    assertEquals(6L, (long) Ame.atomic(written::get));
  }

  /**
   * A queue whose last task wrote a cell it had read, then retries on a cell nobody writes: the
   * run fails clearly (the task is carried by the exception, like any failed task) instead of
   * waiting forever. Before the fix in {@code ReadSet.copyForRetry} this hung: the rollback's own
   * new stamp on the written cell looked like a change, so the task woke itself at once, forever,
   * and the clock never stood still long enough to detect the wait.
   */
  @ParameterizedTest
  @EnumSource(value = Mode.class, names = {"UNORDERED", "ORDERED"})
  void aRetryThatNeverWakesInAQueueFailsTheRun(Mode mode) {
    LongRef never = new LongRef(0);
    LongRef done = new LongRef(0);
    TransactionQueue q = mode == Mode.ORDERED ? TransactionQueue.ordered() : new TransactionQueue();
    for (int i = 0; i < 50; i++) {
      q.add(() -> done.set(done.get() + 1));
    }
    Runnable waiter = () -> {
      done.set(done.get() + 1000);
      if (never.get() == 0) {
        Ame.retry();
      }
    };
    q.add(waiter);
    TaskFailedException e = assertThrows(TaskFailedException.class, () -> q.run(2));
    assertSame(waiter, e.task(), e.toString());
    assertTrue(e.getCause() instanceof IllegalStateException && e.getCause().getMessage().contains("wait forever"),
        e.toString());
    assertEquals(50L, (long) Ame.atomic(done::get), "the other tasks committed, the retrying one left no trace");
    assertEquals(0, q.size());
  }

  /** A store that runs a hook on every access (here: to learn which threads are workers). */
  record InterceptingStore(Store inner, Runnable hook) implements Store {
    @Override
    public int keys() {
      return inner.keys();
    }

    @Override
    public long get(int key) {
      hook.run();
      return inner.get(key);
    }

    @Override
    public void set(int key, long value) {
      inner.set(key, value);
    }

    @Override
    public int slots() {
      return inner.slots();
    }

    @Override
    public long node(int slot) {
      return inner.node(slot);
    }

    @Override
    public void publish(int slot, long id) {
      inner.publish(slot, id);
    }

    @Override
    public long nodeValue(int slot) {
      return inner.nodeValue(slot);
    }

    @Override
    public void setNodeValue(int slot, long value) {
      inner.setNodeValue(slot, value);
    }
  }
}
