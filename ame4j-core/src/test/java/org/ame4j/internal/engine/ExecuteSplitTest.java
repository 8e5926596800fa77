package org.ame4j.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.ame4j.Ame;
import org.ame4j.IntRef;
import org.ame4j.TaskFailedException;
import org.ame4j.TransactionQueue;
import org.junit.jupiter.api.Test;

/**
 * {@link Atomically#execute}'s split ({@code ame4j.execute.split}, on by default): a first
 * attempt runs in the small common-path body, and whatever ends it other than a commit (a
 * conflict, the block's exception, a request to run inevitable, {@code retry()}) continues in
 * the out-of-line loop exactly as if the loop had run that attempt. Each case is checked on a
 * queue's worker (gate and batch) and through {@code Ame.atomic} (neither), by the values left
 * and the attempts made. Also: log entries made before a collection still restore afterwards.
 */
class ExecuteSplitTest {

  /** Runs {@code body} once as a queue task on one worker, then once through Ame.atomic. */
  private static void bothWays(Runnable body) {
    TransactionQueue q = new TransactionQueue();
    q.add(body);
    q.run(1);
    Ame.atomic(body);
  }

  /** Commits to {@code cell} from another thread while the caller's attempt runs. */
  private static void commitElsewhere(IntRef cell, int value) {
    Thread t = new Thread(() -> Ame.atomic(() -> cell.set(value)));
    t.start();
    try {
      t.join();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void splitIsOnByDefault() {
    assertTrue(Atomically.SPLIT, "the split is the default: these tests exercise it");
  }

  @Test
  void conflictInTheFirstAttemptReRunsInTheLoop() {
    IntRef cell = new IntRef(0);
    AtomicInteger attempts = new AtomicInteger();
    bothWays(() -> {
      int seen = cell.get();
      if (attempts.incrementAndGet() % 2 == 1) {
        commitElsewhere(cell, seen + 100); // the first attempt's read is stale from here
      }
      cell.set(cell.get() + 1);
    });
    assertEquals(4, attempts.get(), "each way: a first attempt that conflicted and one re-run");
    assertEquals(202, cell.get(), "each re-run saw the other thread's commit and added one");
  }

  @Test
  void exceptionOfTheFirstAttemptRollsBackAndIsRethrown() {
    IntRef cell = new IntRef(7);
    IllegalStateException boom = new IllegalStateException("boom");
    Runnable body = () -> {
      cell.set(8);
      throw boom;
    };
    TransactionQueue q = new TransactionQueue();
    q.add(body);
    TaskFailedException e = assertThrows(TaskFailedException.class, () -> q.run(1));
    assertSame(boom, e.getCause());
    assertEquals(7, cell.get(), "the queue task's write was undone");
    assertSame(boom, assertThrows(IllegalStateException.class, () -> Ame.atomic(body)));
    assertEquals(7, cell.get(), "the atomic block's write was undone");
  }

  @Test
  void inevitableRequestInTheFirstAttemptReRunsInevitable() {
    IntRef cell = new IntRef(0);
    AtomicInteger attempts = new AtomicInteger();
    AtomicInteger inevitableRuns = new AtomicInteger();
    bothWays(() -> {
      attempts.incrementAndGet();
      cell.set(cell.get() + 1);
      Ame.inevitable(); // from an optimistic attempt: rolled back and run again inevitable
      if (Txn.active().isInevitable()) {
        inevitableRuns.incrementAndGet();
      }
    });
    assertEquals(4, attempts.get(), "each way: the optimistic attempt and the inevitable one");
    assertEquals(2, inevitableRuns.get());
    assertEquals(2, cell.get(), "the first attempt's write was undone before the re-run");
  }

  @Test
  void retryInTheFirstAttemptWaitsAndCommitsLater() throws InterruptedException {
    IntRef flag = new IntRef(0);
    IntRef cell = new IntRef(0);
    AtomicInteger attempts = new AtomicInteger();
    TransactionQueue q = new TransactionQueue();
    q.add(() -> {
      attempts.incrementAndGet();
      cell.set(cell.get() + 1);
      if (flag.get() == 0) {
        Ame.retry();
      }
    });
    q.add(() -> flag.set(1));
    q.run(1);
    assertEquals(1, cell.get(), "the retried attempt's write was undone, the later one kept");
    assertTrue(attempts.get() >= 2);
    Ame.atomic(() -> flag.set(0));
    attempts.set(0);
    Thread setter = new Thread(() -> {
      while (attempts.get() < 1) { // the block's first attempt has begun (and will retry)
        Thread.onSpinWait();
      }
      Ame.atomic(() -> flag.set(1));
    });
    setter.start();
    Ame.atomic(() -> {
      attempts.incrementAndGet();
      cell.set(cell.get() + 1);
      if (flag.get() == 0) {
        Ame.retry();
      }
    });
    setter.join();
    assertEquals(2, cell.get());
  }

  @Test
  void failingAfterCommitActionOfTheFirstAttemptIsReportedAsCommitted() {
    IntRef cell = new IntRef(0);
    IllegalArgumentException late = new IllegalArgumentException("late");
    TransactionQueue q = new TransactionQueue();
    q.add(() -> {
      cell.set(1);
      Ame.afterCommit(() -> {
        throw late;
      });
    });
    TaskFailedException e = assertThrows(TaskFailedException.class, () -> q.run(1));
    assertSame(late, e.getCause());
    assertTrue(e.committed(), "the task committed before its action threw");
    assertEquals(1, cell.get());
  }

  @Test
  void collectionsBetweenLogEntriesLoseNoUndoEntry() {
    int n = 3 * ReadSet.RENEW_EVERY; // enough attempts that every log renewed its arrays
    IntRef[] cells = new IntRef[64];
    for (int i = 0; i < cells.length; i++) {
      cells[i] = new IntRef(i);
    }
    AtomicBoolean collect = new AtomicBoolean();
    IllegalStateException boom = new IllegalStateException("rolled back");
    Consumer<Integer> writeAllThenFail = k -> {
      for (int i = 0; i < cells.length; i++) {
        cells[i].set(cells[i].get() + 1000);
        if (i == cells.length / 2 && collect.get()) {
          System.gc(); // the logs' arrays, half full, move (or are promoted) here
        }
      }
      if (k % 2 == 0) {
        throw boom;
      }
    };
    TransactionQueue q = new TransactionQueue();
    for (int k = 0; k < n; k++) {
      int task = k;
      q.add(() -> {
        collect.set(task % 300 == 150); // two collections in the run
        writeAllThenFail.accept(2 * task + 1); // commits
      });
    }
    q.run(1);
    collect.set(true);
    q.add(() -> writeAllThenFail.accept(0));
    assertSame(boom, assertThrows(TaskFailedException.class, () -> q.run(1)).getCause());
    assertSame(boom, assertThrows(IllegalStateException.class,
        () -> Ame.atomic(() -> writeAllThenFail.accept(0))));
    for (int i = 0; i < cells.length; i++) {
      assertEquals(i + 1000 * n, cells[i].get(), "cell " + i + " restored after the collection");
    }
  }
}
