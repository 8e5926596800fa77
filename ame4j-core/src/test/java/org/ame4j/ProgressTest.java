package org.ame4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Progress: pathological contention completes with the exact result (no livelock), and a long
 * transaction that keeps losing against short ones eventually commits (no starvation). A
 * livelock shows as a hang, which the bounded test timeout turns into a failure.
 */
class ProgressTest {

  @ParameterizedTest(name = "{0} workers")
  @ValueSource(ints = {4, 8})
  void everyTaskIncrementsTheSameCell(int workers) {
    int tasks = TestUtil.scale(5_000, 100_000);
    IntRef hot = new IntRef(0);
    IntRef[] background = new IntRef[64];
    for (int i = 0; i < background.length; i++) {
      background[i] = new IntRef(i);
    }
    TransactionQueue q = new TransactionQueue();
    for (int i = 0; i < tasks; i++) {
      q.add(
          () -> {
            int v = hot.get(); // read early: the whole task is exposed to conflicts
            long s = 0;
            for (IntRef b : background) {
              s += b.get();
            }
            TestUtil.spin(200);
            hot.set(v + 1 + (int) (s - s)); // s is constant: keeps the reads live
          });
    }
    Stats before = Ame.stats();
    q.run(workers);
    Stats d = Ame.stats().minus(before);
    assertEquals(tasks, hot.get());
    assertEquals(tasks, d.commits(), d.toString());
    long byKind = 0;
    for (AbortKind k : AbortKind.values()) {
      assertTrue(d.aborts(k) >= 0);
      byKind += d.aborts(k);
    }
    assertEquals(d.aborts(), byKind, "aborts() must be the sum of the kinds: " + d);
    System.out.println("hot cell, " + workers + " workers: " + d);
  }

  /**
   * The same pathological workload in an ordered run: every task conflicts with the one before
   * it, so the run is at best sequential, but it must complete (the older task wins, the younger
   * re-runs; no livelock), with the sequential result.
   */
  @ParameterizedTest(name = "{0} workers")
  @ValueSource(ints = {2, 4, 8})
  void orderedEveryTaskIncrementsTheSameCell(int workers) {
    int tasks = 2_000;
    IntRef hot = new IntRef(0);
    TransactionQueue q = TransactionQueue.ordered();
    for (int i = 0; i < tasks; i++) {
      int k = i;
      q.add(
          () -> {
            int v = hot.get();
            TestUtil.spin(1_000); // a task does some work between its read and its write
            hot.set(v * 31 + k);
          });
    }
    TestUtil.runBounded(q, workers, 30); // 2000 small tasks: a hang bound, not a speed limit
    int expected = 0;
    for (int k = 0; k < tasks; k++) {
      expected = expected * 31 + k;
    }
    assertEquals(expected, hot.get());
  }

  /**
   * One long transaction reads many cells that two plain threads keep writing, until it has
   * committed. Without a progress guarantee it is aborted forever (the writers never stop).
   */
  @Test
  void longTransactionIsNotStarvedByShortWriters() {
    IntRef[] cells = new IntRef[200];
    for (int i = 0; i < cells.length; i++) {
      cells[i] = new IntRef(0);
    }
    AtomicBoolean longDone = new AtomicBoolean();
    AtomicInteger writes = new AtomicInteger();
    IntRef result = new IntRef(-1);
    TestUtil.Threads writers = new TestUtil.Threads();
    for (int w = 0; w < 2; w++) {
      int id = w;
      writers.start(
          "short-writer-" + w,
          () -> {
            int i = id;
            while (!longDone.get()) {
              IntRef c = cells[i % cells.length];
              Ame.atomic(() -> c.set(c.get() + 1));
              writes.incrementAndGet();
              i += 7;
            }
          });
    }
    TestUtil.Threads longOne = new TestUtil.Threads();
    longOne.start(
        "long",
        () -> {
          Ame.atomic(
              () -> {
                int s = 0;
                for (IntRef c : cells) {
                  s += c.get();
                  TestUtil.spin(500);
                }
                result.set(s);
              });
          longDone.set(true);
        });
    try {
      longOne.joinAll();
    } finally {
      longDone.set(true);
      writers.joinAll();
    }
    assertTrue(result.get() >= 0);
    assertTrue(writes.get() > 0);
  }
}
