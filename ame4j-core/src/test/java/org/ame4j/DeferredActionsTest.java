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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code afterCommit} / {@code afterAbort}: every registered action runs exactly once, the commit
 * ones after the attempt that registered them committed, the abort ones after that attempt was
 * rolled back; never both for one attempt.
 */
class DeferredActionsTest {

  /**
   * Every attempt gets a fresh id and registers both actions first. At the end each attempt
   * must be in exactly one of the two sets, each task must have exactly one committed attempt,
   * and no action may have run twice.
   */
  @ParameterizedTest(name = "{0} workers")
  @ValueSource(ints = {1, 2, 4, 8})
  void exactlyOnceUnderHeavyContention(int workers) {
    int tasks = TestUtil.scale(3_000, 50_000);
    IntRef hot = new IntRef(0);
    IntRef[] cells = new IntRef[4];
    for (int i = 0; i < cells.length; i++) {
      cells[i] = new IntRef(0);
    }
    AtomicLong attemptIds = new AtomicLong();
    Set<Long> committed = ConcurrentHashMap.newKeySet();
    Set<Long> aborted = ConcurrentHashMap.newKeySet();
    AtomicInteger twice = new AtomicInteger();
    AtomicInteger[] commitsPerTask = new AtomicInteger[tasks];
    TransactionQueue q = new TransactionQueue();
    for (int t = 0; t < tasks; t++) {
      int task = t;
      commitsPerTask[t] = new AtomicInteger();
      q.add(
          () -> {
            long attempt = attemptIds.incrementAndGet();
            Ame.afterCommit(
                () -> {
                  if (!committed.add(attempt)) {
                    twice.incrementAndGet();
                  }
                  commitsPerTask[task].incrementAndGet();
                });
            Ame.afterAbort(
                () -> {
                  if (!aborted.add(attempt)) {
                    twice.incrementAndGet();
                  }
                });
            int v = hot.get();
            TestUtil.spin(100);
            hot.set(v + 1);
            IntRef c = cells[task % cells.length];
            c.set(c.get() + 1);
          });
    }
    Stats before = Ame.stats();
    q.run(workers);
    Stats d = Ame.stats().minus(before);
    assertEquals(tasks, hot.get());
    assertEquals(0, twice.get(), "an action ran twice");
    assertEquals(tasks, committed.size());
    for (int t = 0; t < tasks; t++) {
      assertEquals(1, commitsPerTask[t].get(), "commits of task " + t);
    }
    for (Long a : committed) {
      assertFalse(aborted.contains(a), "attempt both committed and aborted: " + a);
    }
    assertEquals(attemptIds.get(), committed.size() + aborted.size(), "attempts with no outcome");
    assertEquals(aborted.size(), d.aborts(), "afterAbort runs vs aborts in stats: " + d);
    assertEquals(tasks, d.commits(), d.toString());
  }

  @Test
  void afterCommitOutsideATransactionRunsImmediately() {
    AtomicInteger ran = new AtomicInteger();
    Ame.afterCommit(ran::incrementAndGet);
    assertEquals(1, ran.get());
  }

  @Test
  void afterCommitRunsAfterTheCommitAndSeesItsEffects() {
    IntRef cell = new IntRef(0);
    List<Integer> seen = new ArrayList<>();
    List<Boolean> inside = new ArrayList<>();
    Ame.atomic(
        () -> {
          cell.set(42);
          Ame.afterCommit(
              () -> {
                seen.add(cell.get());
                inside.add(Ame.isAtomic());
              });
          assertTrue(seen.isEmpty(), "afterCommit ran before the commit");
        });
    assertEquals(List.of(42), seen);
    assertEquals(List.of(false), inside, "afterCommit must run outside the transaction");
  }

  @Test
  void exceptionRunsAfterAbortNotAfterCommit() {
    AtomicInteger commits = new AtomicInteger();
    AtomicInteger aborts = new AtomicInteger();
    IntRef cell = new IntRef(0);
    RuntimeException boom = new RuntimeException("boom");
    RuntimeException thrown =
        assertThrows(
            RuntimeException.class,
            () ->
                Ame.atomic(
                    () -> {
                      cell.set(1);
                      Ame.afterCommit(commits::incrementAndGet);
                      Ame.afterAbort(aborts::incrementAndGet);
                      throw boom;
                    }));
    assertSame(boom, thrown);
    assertEquals(0, commits.get());
    assertEquals(1, aborts.get());
    assertEquals(0, cell.get());
  }

  @Test
  void failingTaskRunsAfterAbortOnce() {
    AtomicInteger commits = new AtomicInteger();
    AtomicInteger aborts = new AtomicInteger();
    TransactionQueue q = new TransactionQueue();
    q.add(
        () -> {
          Ame.afterCommit(commits::incrementAndGet);
          Ame.afterAbort(aborts::incrementAndGet);
          throw new IllegalArgumentException("x");
        });
    assertThrows(TaskFailedException.class, () -> q.run(2));
    assertEquals(0, commits.get());
    assertEquals(1, aborts.get());
  }

  /** Actions registered in a nested block that throws are undone with the block. */
  @Test
  void nestedBlockThatThrowsDropsItsAfterCommitActions() {
    AtomicInteger outer = new AtomicInteger();
    AtomicInteger inner = new AtomicInteger();
    Ame.atomic(
        () -> {
          Ame.afterCommit(outer::incrementAndGet);
          try {
            Ame.atomic(
                () -> {
                  Ame.afterCommit(inner::incrementAndGet);
                  throw new IllegalStateException("inner");
                });
          } catch (IllegalStateException expected) {
            // the inner block is undone, the outer one continues
          }
        });
    assertEquals(1, outer.get());
    assertEquals(0, inner.get(), "afterCommit of an undone nested block ran");
  }

  /** Retry counts as an aborted attempt: afterAbort runs for it, afterCommit for the last one. */
  @Test
  void retriedAttemptsRunAfterAbort() {
    IntRef flag = new IntRef(0);
    AtomicInteger attempts = new AtomicInteger();
    AtomicInteger commits = new AtomicInteger();
    AtomicInteger aborts = new AtomicInteger();
    java.util.concurrent.CountDownLatch waiting = new java.util.concurrent.CountDownLatch(1);
    TestUtil.Threads ts = new TestUtil.Threads();
    ts.start(
        "consumer",
        () ->
            Ame.atomic(
                () -> {
                  attempts.incrementAndGet();
                  Ame.afterCommit(commits::incrementAndGet);
                  Ame.afterAbort(aborts::incrementAndGet);
                  if (flag.get() == 0) {
                    waiting.countDown();
                    Ame.retry();
                  }
                }));
    TestUtil.await(waiting, "consumer to retry");
    flag.set(1);
    ts.joinAll();
    assertEquals(1, commits.get());
    assertEquals(attempts.get() - 1, aborts.get());
    assertTrue(aborts.get() >= 1);
  }

  /** An afterCommit action runs outside the transaction and may start new ones. */
  @ParameterizedTest(name = "{0} workers")
  @ValueSource(ints = {1, 4})
  void afterCommitActionsCanRunTransactions(int workers) {
    for (TransactionQueue q : new TransactionQueue[] {new TransactionQueue(), TransactionQueue.ordered()}) {
      IntRef cell = new IntRef(0);
      IntRef fromActions = new IntRef(0);
      AtomicInteger insideTx = new AtomicInteger();
      int n = 500;
      for (int i = 0; i < n; i++) {
        q.add(
            () -> {
              cell.set(cell.get() + 1);
              Ame.afterCommit(
                  () -> {
                    if (Ame.isAtomic()) {
                      insideTx.incrementAndGet();
                    }
                    Ame.atomic(() -> fromActions.set(fromActions.get() + 1));
                  });
            });
      }
      q.run(workers);
      String what = (q.isOrdered() ? "ordered" : "unordered") + ", " + workers + " workers";
      assertEquals(n, cell.get(), what);
      assertEquals(n, fromActions.get(), what);
      assertEquals(0, insideTx.get(), what + ": afterCommit ran inside a transaction");
    }
  }
}
