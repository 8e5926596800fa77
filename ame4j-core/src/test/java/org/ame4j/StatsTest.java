package org.ame4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Statistics: exact counts for known workloads, consistent snapshots, deltas with minus(). */
class StatsTest {

  @Test
  void commitsAreCountedExactly() {
    Ame.resetStats();
    Stats before = Ame.stats();
    TransactionQueue q = new TransactionQueue();
    IntRef[] cells = new IntRef[100];
    for (int i = 0; i < cells.length; i++) {
      cells[i] = new IntRef(0);
    }
    Stats afterSetup = Ame.stats();
    for (int i = 0; i < 1_000; i++) {
      IntRef c = cells[i % cells.length];
      q.add(() -> c.set(c.get() + 1));
    }
    q.run(4);
    Stats d = Ame.stats().minus(afterSetup);
    assertEquals(1_000, d.commits(), d.toString());
    assertEquals(0, d.failures());
    assertTrue(Ame.stats().minus(before).commits() >= 1_000);
    // Atomic blocks: one commit each, nested blocks included in their outer one.
    Stats b2 = Ame.stats();
    for (int i = 0; i < 50; i++) {
      Ame.atomic(() -> Ame.atomic(() -> cells[0].set(cells[0].get() + 1)));
    }
    assertEquals(50, Ame.stats().minus(b2).commits());
  }

  @Test
  void snapshotsAreImmutable() {
    Stats s = Ame.stats();
    long commits = s.commits();
    String text = s.toString();
    Ame.atomic(() -> new IntRef(0).set(1));
    TransactionQueue q = new TransactionQueue();
    q.add(() -> {});
    q.run(1);
    assertEquals(commits, s.commits());
    assertEquals(text, s.toString());
    assertTrue(Ame.stats().commits() > commits);
  }

  @Test
  void resetZeroes() {
    TransactionQueue q = new TransactionQueue();
    q.add(() -> Ame.inevitable());
    q.run(1);
    Ame.resetStats();
    Stats s = Ame.stats();
    assertEquals(0, s.commits());
    assertEquals(0, s.aborts());
    assertEquals(0, s.failures());
    assertEquals(0, s.inevitable());
    assertEquals(0, s.abortedNanos());
    assertTrue(s.inevitableSites().isEmpty(), s.inevitableSites().toString());
  }

  @Test
  void failuresCountTasksAndBlocksThatThrew() {
    Stats before = Ame.stats();
    TransactionQueue q = new TransactionQueue();
    q.add(
        () -> {
          throw new IllegalStateException();
        });
    assertThrows(TaskFailedException.class, () -> q.run(1));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            Ame.atomic(
                () -> {
                  throw new IllegalArgumentException();
                }));
    Stats d = Ame.stats().minus(before);
    assertEquals(2, d.failures(), d.toString());
    assertEquals(0, d.commits(), d.toString());
  }

  @Test
  void retriesAndTimeLostAreCounted() {
    IntRef flag = new IntRef(0);
    CountDownLatch waiting = new CountDownLatch(1);
    Stats before = Ame.stats();
    TestUtil.Threads ts = new TestUtil.Threads();
    ts.start(
        "consumer",
        () ->
            Ame.atomic(
                () -> {
                  TestUtil.spin(100_000); // the aborted attempt costs measurable time
                  if (flag.get() == 0) {
                    waiting.countDown();
                    Ame.retry();
                  }
                }));
    TestUtil.await(waiting, "consumer to retry");
    Ame.atomic(() -> flag.set(1));
    ts.joinAll();
    Stats d = Ame.stats().minus(before);
    assertTrue(d.retries() >= 1, d.toString());
    assertEquals(d.aborts(AbortKind.EXPLICIT), d.retries());
    assertTrue(d.abortedNanos() > 0, "time lost in the retried attempt: " + d);
    // The consumer's final attempt and the producer's write both committed.
    assertEquals(2, d.commits(), d.toString());
  }

  /**
   * A block whose every attempt is invalidated by another thread's commit until the progress
   * rule makes it inevitable: the report counts it as forced by ame4j.maxAborts, apart from
   * inevitable transactions asked for at a site.
   */
  @Test
  void inevitableAfterTooManyAbortsIsCountedApartAndExplained() {
    int maxAborts = Integer.getInteger("ame4j.maxAborts", 16);
    IntRef cell = new IntRef(0);
    int[] attempts = {0};
    Stats before = Ame.stats();
    Ame.atomic(() -> {
      cell.get();
      if (++attempts[0] <= maxAborts) {
        TestUtil.Threads writer = new TestUtil.Threads();
        writer.start("writer", () -> cell.set(cell.get() + 1)); // commits under our read
        writer.joinAll();
        cell.get(); // sees the newer version: this attempt aborts (read/write)
      }
    });
    Ame.atomic(Ame::inevitable);
    Stats d = Ame.stats().minus(before);
    assertEquals(maxAborts + 1, attempts[0], d.toString());
    assertEquals(2, d.inevitable(), d.toString());
    assertEquals(1, d.inevitableAfterAborts(), d.toString());
    String report = d.toString();
    assertTrue(report.contains("forced      1 (each after ame4j.maxAborts = " + maxAborts
        + " aborts)"), report);
    assertTrue(report.contains("asked for   1 (Ame.inevitable() or untracked code)"), report);
  }

  @Test
  void humanReport() {
    String s = Ame.stats().toString();
    assertFalse(s.isBlank());
    assertTrue(s.toLowerCase().contains("commit"), s);
    assertTrue(s.toLowerCase().contains("abort"), s);
  }

  /**
   * Hundreds of short-lived threads (more than any initial table of descriptors), each running
   * a few atomic blocks: no lost update, and their commits stay counted after the threads die
   * and their descriptors are collected.
   */
  @Test
  void statsSurviveThreadDeath() {
    IntRef counter = new IntRef(0);
    Stats before = Ame.stats();
    int waves = 6;
    int perWave = 50;
    int blocks = 10;
    for (int w = 0; w < waves; w++) {
      TestUtil.Threads ts = new TestUtil.Threads();
      for (int t = 0; t < perWave; t++) {
        ts.start(
            "short-lived-" + w + "-" + t,
            () -> {
              for (int i = 0; i < blocks; i++) {
                Ame.atomic(() -> counter.set(counter.get() + 1));
              }
            });
      }
      ts.joinAll();
      System.gc();
    }
    int expected = waves * perWave * blocks;
    assertEquals(expected, counter.get());
    Stats d = Ame.stats().minus(before);
    assertEquals(expected, d.commits(), d.toString());
    System.gc();
    assertEquals(expected, Ame.stats().minus(before).commits(), "commits lost when descriptors were collected");
  }
}
