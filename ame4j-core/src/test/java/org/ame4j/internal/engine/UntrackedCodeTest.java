package org.ame4j.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.ame4j.Ame;
import org.ame4j.testkit.HangGuard;
import org.junit.jupiter.api.Test;

/**
 * Code the engine cannot track ({@link Txn#runUntracked}: a JDK method without a twin, I/O) reads
 * and writes memory without barriers. With encounter-time write-through, other running attempts
 * keep uncommitted values in memory and validate only what they read through barriers, so the
 * untracked code must run alone: it must never see a half-done transfer of a running attempt,
 * and no attempt may commit having read a half-done transfer of the untracked code.
 * Both directions are probed here over a plain {@code long[]} whose sum is invariant, with the
 * barriers called as twins call them.
 */
@HangGuard(seconds = 120)
class UntrackedCodeTest {
  static final int N = 16;
  static final long TOTAL = N * 1000L;

  static long read(long[] a, int i, Txn tx) {
    FieldBarriers.beforeReadElement(a, i, tx);
    long v = a[i];
    FieldBarriers.afterReadElement(tx);
    return v;
  }

  /** A tracked transfer that keeps the array's sum broken for a while between its two writes. */
  static void transfer(long[] a, int from, int to, Txn tx) {
    FieldWrites.writeElement(a, from, read(a, from, tx) - 1, tx);
    for (int spin = 0; spin < 200; spin++) {
      Thread.onSpinWait();
    }
    FieldWrites.writeElement(a, to, read(a, to, tx) + 1, tx);
  }

  @Test
  void untrackedCodeNeverSeesAnUncommittedWriteOfAnotherAttempt() throws Exception {
    long[] a = filled();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> writers = startWriters(a, stop, 2);
    long broken = 0;
    for (int round = 0; round < 3_000; round++) {
      long sum = Ame.atomic(() -> {
        Txn.active().runUntracked("probe: plain reads of the array");
        long s = 0;
        for (long v : a) { // untracked: plain reads, as JDK code without twins does them
          s += v;
        }
        return s;
      });
      broken += sum == TOTAL ? 0 : 1;
    }
    stop.set(true);
    for (Thread t : writers) {
      t.join();
    }
    assertEquals(0, broken, "untracked reads saw another attempt's written-through values");
    assertEquals(TOTAL, plainSum(a));
  }

  @Test
  void noAttemptCommitsHavingSeenUntrackedCodeHalfWay() throws Exception {
    long[] a = filled();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong brokenCommits = new AtomicLong();
    AtomicLong commits = new AtomicLong();
    List<Thread> readers = new ArrayList<>();
    for (int r = 0; r < 2; r++) {
      Thread t = new Thread(() -> {
        while (!stop.get()) {
          long s = Ame.atomic(() -> {
            Txn tx = Txn.active();
            long sum = 0;
            for (int i = 0; i < N; i++) {
              sum += read(a, i, tx);
            }
            return sum;
          });
          commits.incrementAndGet();
          if (s != TOTAL) {
            brokenCommits.incrementAndGet();
          }
        }
      });
      t.start();
      readers.add(t);
    }
    for (int round = 0; round < 3_000; round++) {
      int from = round % N;
      Ame.atomic(() -> {
        Txn.active().runUntracked("probe: plain writes of the array");
        a[from]--; // untracked: plain writes, no record locked or versioned
        for (int spin = 0; spin < 200; spin++) {
          Thread.onSpinWait();
        }
        a[(from + 5) % N]++;
      });
    }
    stop.set(true);
    for (Thread t : readers) {
      t.join();
    }
    assertTrue(commits.get() > 0);
    assertEquals(0, brokenCommits.get(), "an attempt committed a sum taken while untracked code ran");
    assertEquals(TOTAL, plainSum(a));
  }

  private static long[] filled() {
    long[] a = new long[N];
    java.util.Arrays.fill(a, 1000);
    return a;
  }

  private static long plainSum(long[] a) {
    long s = 0;
    for (long v : a) {
      s += v;
    }
    return s;
  }

  private static List<Thread> startWriters(long[] a, AtomicBoolean stop, int n) {
    List<Thread> out = new ArrayList<>();
    for (int w = 0; w < n; w++) {
      int seed = w;
      Thread t = new Thread(() -> {
        int k = seed;
        while (!stop.get()) {
          int from = k++ % N;
          Ame.atomic(() -> transfer(a, from, (from + 3) % N, Txn.active()));
        }
      });
      t.start();
      out.add(t);
    }
    return out;
  }
}
