package org.ame4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Opacity probes: writers keep {@code x == -y} for several pairs; readers, inside transactions,
 * do things that go wrong on an inconsistent view: divide by a value that is 0 only when
 * {@code x + y != 0}, index an array by {@code x + y}, and spin in a loop that only ends when
 * {@code x + y == 0}. Every such observation is counted with a plain atomic counter on the spot,
 * so it counts even in attempts that are later rolled back ("zombies"). The loop is bounded so
 * that an engine without opacity fails the test instead of hanging the build.
 */
class OpacityTest {
  private static final int PAIRS = 4;
  private static final int ZOMBIE_LOOP_LIMIT = 2_000_000;

  static final class Probe {
    final IntRef[] xs = new IntRef[PAIRS];
    final IntRef[] ys = new IntRef[PAIRS];
    final AtomicInteger inconsistent = new AtomicInteger();
    final AtomicInteger zombieLoops = new AtomicInteger();
    final AtomicInteger readsCommitted = new AtomicInteger();

    Probe() {
      for (int i = 0; i < PAIRS; i++) {
        xs[i] = new IntRef(0);
        ys[i] = new IntRef(0);
      }
    }

    void write(SplittableRandom r) {
      int p = r.nextInt(PAIRS);
      int k = 1 + r.nextInt(1_000_000);
      xs[p].set(k);
      TestUtil.spin(2_000);
      ys[p].set(-k);
      if (r.nextBoolean()) {
        int q = r.nextInt(PAIRS); // a second pair in the same transaction
        int v = xs[q].get() + 1;
        xs[q].set(v);
        ys[q].set(-v);
      }
    }

    void read(int p) {
      int x = xs[p].get();
      TestUtil.spin(2_000);
      int y = ys[p].get();
      int s = x + y;
      if (s != 0) {
        inconsistent.incrementAndGet();
      }
      int[] one = new int[1];
      one[s] = 100 / (1 - Math.min(1, Math.abs(s))); // throws on an inconsistent view
      int spins = 0;
      while (xs[p].get() + ys[p].get() != 0) { // a zombie would spin here forever
        if (++spins == ZOMBIE_LOOP_LIMIT) {
          zombieLoops.incrementAndGet();
          break;
        }
      }
      // A reader of all pairs: the sum over all pairs is 0 in every consistent state.
      int total = 0;
      for (int i = 0; i < PAIRS; i++) {
        total += xs[i].get() + ys[i].get();
      }
      if (total != 0) {
        inconsistent.incrementAndGet();
      }
      Ame.afterCommit(readsCommitted::incrementAndGet);
    }
  }

  @ParameterizedTest(name = "{0} workers")
  @ValueSource(ints = {1, 2, 4, 8})
  void readersInTasksNeverSeeABrokenInvariant(int workers) {
    readersNeverSeeABrokenInvariant(new TransactionQueue(), workers, TestUtil.scale(4_000, 100_000));
  }

  /** Ordered runs execute younger tasks speculatively: those attempts must be opaque too. */
  @ParameterizedTest(name = "{0} workers")
  @ValueSource(ints = {2, 4, 8})
  void readersInOrderedRunsNeverSeeABrokenInvariant(int workers) {
    readersNeverSeeABrokenInvariant(TransactionQueue.ordered(), workers, TestUtil.scale(1_000, 20_000));
  }

  private static void readersNeverSeeABrokenInvariant(TransactionQueue q, int workers, int n) {
    Probe probe = new Probe();
    SplittableRandom seeds = new SplittableRandom(workers);
    for (int i = 0; i < n; i++) {
      long seed = seeds.nextLong();
      int p = i % PAIRS;
      if (i % 2 == 0) {
        q.add(() -> probe.write(new SplittableRandom(seed)));
      } else {
        q.add(() -> probe.read(p));
      }
    }
    TestUtil.runBounded(q, workers, 30); // a reader that threw (divide by zero, index) surfaces here
    assertEquals(0, probe.inconsistent.get(), "inconsistent views observed");
    assertEquals(0, probe.zombieLoops.get(), "zombie loops");
    assertEquals(n / 2, probe.readsCommitted.get());
  }

  @Test
  void readersInPlainThreadsNeverSeeABrokenInvariant() {
    Probe probe = new Probe();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger writes = new AtomicInteger();
    int readsPerThread = TestUtil.scale(3_000, 50_000);
    TestUtil.Threads ts = new TestUtil.Threads();
    for (int w = 0; w < 2; w++) {
      int id = w;
      ts.start(
          "writer-" + w,
          () -> {
            SplittableRandom r = new SplittableRandom(id);
            while (!stop.get()) {
              Ame.atomic(() -> probe.write(r.split()));
              writes.incrementAndGet();
            }
          });
    }
    TestUtil.Threads readers = new TestUtil.Threads();
    for (int t = 0; t < 2; t++) {
      int id = t;
      readers.start(
          "reader-" + t,
          () -> {
            for (int i = 0; i < readsPerThread; i++) {
              int p = (i + id) % PAIRS;
              Ame.atomic(() -> probe.read(p));
            }
          });
    }
    try {
      readers.joinAll();
    } finally {
      stop.set(true);
      ts.joinAll();
    }
    assertEquals(0, probe.inconsistent.get(), "inconsistent views observed");
    assertEquals(0, probe.zombieLoops.get(), "zombie loops");
    assertEquals(2 * readsPerThread, probe.readsCommitted.get());
    assertTrue(writes.get() > 0);
    for (int i = 0; i < PAIRS; i++) {
      assertEquals(0, probe.xs[i].get() + probe.ys[i].get());
    }
  }
}
