package org.ame4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Inevitable (irrevocable) transactions: once {@code Ame.inevitable()} returns, the transaction
 * never aborts, so a side effect performed after it happens exactly once; at most one
 * inevitable transaction exists at a time; the others keep running.
 */
class InevitableTest {

  @ParameterizedTest(name = "{0} workers")
  @ValueSource(ints = {1, 2, 4, 8})
  void sideEffectAfterInevitableHappensExactlyOnceUnderContention(int workers) {
    IntRef hot = new IntRef(0);
    AtomicInteger sideEffects = new AtomicInteger();
    AtomicInteger activeInevitable = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();
    AtomicInteger notAtomic = new AtomicInteger();
    TransactionQueue q = new TransactionQueue();
    int inevitableTasks = 200;
    int plainTasks = 2_000;
    for (int i = 0; i < inevitableTasks + plainTasks; i++) {
      if (i % 11 == 0 && i / 11 < inevitableTasks) {
        q.add(
            () -> {
              int v = hot.get(); // read before: this attempt may still abort here
              Ame.inevitable();
              if (!Ame.isAtomic()) {
                notAtomic.incrementAndGet();
              }
              if (activeInevitable.incrementAndGet() > 1) {
                overlaps.incrementAndGet();
              }
              sideEffects.incrementAndGet(); // irrevocable: must happen once per task
              TestUtil.spin(100);
              hot.set(v + 1);
              activeInevitable.decrementAndGet();
            });
      } else {
        q.add(
            () -> {
              hot.set(hot.get() + 1);
              TestUtil.spin(50);
            });
      }
    }
    int total = q.size();
    assertEquals(inevitableTasks + plainTasks, total);
    Stats before = Ame.stats();
    q.run(workers);
    Stats d = Ame.stats().minus(before);
    assertEquals(total, hot.get(), "lost update");
    assertEquals(inevitableTasks, sideEffects.get(), "side effect after inevitable() not exactly once");
    assertEquals(0, overlaps.get(), "two inevitable transactions at the same time");
    assertEquals(0, notAtomic.get());
    assertTrue(d.inevitable() >= inevitableTasks, "stats().inevitable() = " + d.inevitable());
    assertEquals(total, d.commits(), "every task commits once: " + d);
  }

  /**
   * At most one transaction is inevitable at a time, seen from plain threads: each block reads a
   * cell of its own thread first, so {@code Ame.inevitable()} restarts it as inevitable (the path
   * that must wait for the token while another transaction holds it), then stays inside,
   * yielding the processor, while the other threads try to get in. Each thread has its own cell
   * because an inevitable transaction locks what it reads: a shared one would keep the others
   * out before they ask for the token. {@code BarrierInterleavingsTest} forces one such order
   * with latches; this test lets the scheduler try many.
   */
  @Test
  void inevitableBlocksOfPlainThreadsNeverOverlap() {
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();
    AtomicInteger blocks = new AtomicInteger();
    int threads = 3;
    int per = 200;
    TestUtil.Threads ts = new TestUtil.Threads();
    for (int t = 0; t < threads; t++) {
      IntRef mine = new IntRef(0);
      ts.start(
          "inevitable-" + t,
          () -> {
            for (int i = 0; i < per; i++) {
              Ame.atomic(
                  () -> {
                    mine.get(); // a read first: inevitable() restarts the attempt as inevitable
                    Ame.inevitable();
                    if (inside.incrementAndGet() > 1) {
                      overlaps.incrementAndGet();
                    }
                    blocks.incrementAndGet();
                    for (int k = 0; k < 3; k++) {
                      Thread.yield(); // let another thread try to become inevitable meanwhile
                      TestUtil.spin(1_000);
                    }
                    inside.decrementAndGet();
                  });
            }
          });
    }
    ts.joinAll();
    assertEquals(threads * per, blocks.get(), "an inevitable block ran other than once");
    assertEquals(0, overlaps.get(), "two inevitable transactions at the same time");
  }

  /**
   * While one transaction is inevitable (and waits), transactions on other cells start and
   * commit. The inevitable one waits (bounded) for ten such commits, which happen on another
   * thread only after it became inevitable.
   */
  @Test
  void othersKeepCommittingWhileOneIsInevitable() {
    IntRef mine = new IntRef(0);
    IntRef[] others = new IntRef[10];
    for (int i = 0; i < others.length; i++) {
      others[i] = new IntRef(0);
    }
    AtomicInteger othersCommitted = new AtomicInteger();
    AtomicBoolean sawProgress = new AtomicBoolean();
    CountDownLatch inevitableStarted = new CountDownLatch(1);
    TestUtil.Threads ts = new TestUtil.Threads();
    ts.start(
        "inevitable",
        () ->
            Ame.atomic(
                () -> {
                  mine.set(mine.get() + 1);
                  Ame.inevitable();
                  inevitableStarted.countDown();
                  long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TestUtil.HANG_SECONDS);
                  while (othersCommitted.get() < others.length && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                  }
                  sawProgress.set(othersCommitted.get() >= others.length);
                }));
    ts.start(
        "others",
        () -> {
          TestUtil.await(inevitableStarted, "the inevitable transaction");
          for (IntRef c : others) {
            Ame.atomic(() -> c.set(c.get() + 1));
            othersCommitted.incrementAndGet();
          }
        });
    ts.joinAll();
    assertTrue(sawProgress.get(), "no other transaction committed while one was inevitable");
    assertEquals(1, mine.get());
    for (IntRef c : others) {
      assertEquals(1, c.get());
    }
  }

  @Test
  void atomicBlocksFromPlainThreadsBecomeInevitable() {
    IntRef hot = new IntRef(0);
    AtomicInteger sideEffects = new AtomicInteger();
    int threads = 3;
    int per = 300;
    TestUtil.Threads ts = new TestUtil.Threads();
    for (int t = 0; t < threads; t++) {
      ts.start(
          "inevitable-" + t,
          () -> {
            for (int i = 0; i < per; i++) {
              boolean irrevocable = i % 3 == 0;
              Ame.atomic(
                  () -> {
                    int v = hot.get();
                    if (irrevocable) {
                      Ame.inevitable();
                      Ame.inevitable(); // idempotent
                      sideEffects.incrementAndGet();
                    }
                    TestUtil.spin(50);
                    hot.set(v + 1);
                  });
            }
          });
    }
    ts.joinAll();
    assertEquals(threads * per, hot.get());
    assertEquals(threads * ((per + 2) / 3), sideEffects.get());
  }

  /** An inevitable transaction cannot abort, but an exception still rolls its writes back. */
  @Test
  void exceptionInInevitableTransactionRollsBack() {
    IntRef cell = new IntRef(5);
    IllegalStateException boom = new IllegalStateException("after inevitable");
    IllegalStateException thrown =
        assertThrows(
            IllegalStateException.class,
            () ->
                Ame.atomic(
                    () -> {
                      cell.set(6);
                      Ame.inevitable();
                      cell.set(7);
                      throw boom;
                    }));
    assertSame(boom, thrown);
    assertEquals(5, cell.get());
    // And the engine is usable afterwards (the inevitable slot was released).
    Ame.atomic(
        () -> {
          Ame.inevitable();
          cell.set(8);
        });
    assertEquals(8, cell.get());
  }

  @Test
  void inevitableIsCounted() {
    Stats before = Ame.stats();
    TransactionQueue q = new TransactionQueue();
    for (int i = 0; i < 10; i++) {
      q.add(Ame::inevitable);
    }
    q.run(1); // one worker: no contention, so no escalations either
    Stats d = Ame.stats().minus(before);
    assertEquals(10, d.inevitable(), d.toString());
    assertEquals(10, d.commits(), d.toString());
    long sites = d.inevitableSites().values().stream().mapToLong(Long::longValue).sum();
    assertEquals(10, sites, "every inevitable transaction has a site: " + d.inevitableSites());
    // The site naming the user's line is checked from a user package: example.user.InevitableSiteTest.
  }

  /**
   * Ordered run with inevitable tasks: an inevitable task can no longer abort, so it must not
   * get ahead of the older tasks; the result is the sequential one and every side effect after
   * inevitable() happens exactly once.
   */
  @ParameterizedTest(name = "{0} workers")
  @ValueSource(ints = {1, 2, 4, 8})
  void inevitableTasksInAnOrderedRun(int workers) {
    int n = 400;
    IntRef hot = new IntRef(0);
    IntRef[] cells = new IntRef[8];
    for (int i = 0; i < cells.length; i++) {
      cells[i] = new IntRef(0);
    }
    AtomicInteger[] effects = new AtomicInteger[n];
    TransactionQueue q = TransactionQueue.ordered();
    for (int i = 0; i < n; i++) {
      int k = i;
      effects[i] = new AtomicInteger();
      q.add(
          () -> {
            IntRef c = cells[k % cells.length];
            int v = c.get();
            if (k % 5 == 0) {
              Ame.inevitable();
              effects[k].incrementAndGet();
            }
            TestUtil.spin(1_000);
            c.set(v * 31 + k);
            if (k % 3 == 0) {
              hot.set(hot.get() * 7 + k);
            }
          });
    }
    q.run(workers);
    int[] expected = new int[cells.length];
    int expectedHot = 0;
    for (int k = 0; k < n; k++) {
      expected[k % cells.length] = expected[k % cells.length] * 31 + k;
      if (k % 3 == 0) {
        expectedHot = expectedHot * 7 + k;
      }
    }
    for (int i = 0; i < cells.length; i++) {
      assertEquals(expected[i], cells[i].get(), "cell " + i);
    }
    assertEquals(expectedHot, hot.get());
    for (int k = 0; k < n; k += 5) {
      assertEquals(1, effects[k].get(), "side effect of task " + k);
    }
  }
}
