package org.ame4j.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.ame4j.Ame;
import org.ame4j.testkit.HangGuard;
import org.junit.jupiter.api.Test;

/**
 * Index-grouped records ({@link ArrayGroups}, {@link ElementSites#group}): arrays grouped share
 * their first array's stripe, so one word covers one index of each; two attempts writing
 * different arrays of a group at one index serialize, at different indexes they do not; an array
 * of another length or replaced by a new one stays outside and correct; readers of a group racing
 * its writers see consistent states (opacity). Driven by hand as the agent's twins call it.
 */
@HangGuard(seconds = 120)
class ArrayGroupsTest {
  /** {@code n} new {@code long[len]} arrays, each in a natural stripe of its own, not aliased. */
  static long[][] arrays(int n, int len) {
    long[][] out = new long[n][];
    List<Object> taken = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      out[k] = ArrayRecordsTest.readOnly(() -> new long[len], taken.toArray());
      int s = ArrayStripes.of(out[k]);
      if (ArrayGroups.aliased(System.identityHashCode(out[k]) & (ArrayStripes.COUNT - 1))) {
        k--; // another test's alias lives in its natural stripe: draw again
        continue;
      }
      taken.add(out[k]);
      assertTrue(s >= 0);
    }
    return out;
  }

  static void group(Object a, Object b, Object c, Object d) {
    Ame.atomic(() -> ElementSites.group(a, b, c, d, Txn.current()));
  }

  static long read(long[] a, int i, Txn tx) {
    return (long) ArrayRecordsTest.read(a, i, tx);
  }

  static void write(long[] a, int i, long v, Txn tx) {
    FieldWrites.writeElement(a, i, v, tx);
  }

  @Test
  void groupedArraysOfOneLengthShareTheFirstOnesStripeAndOneWordPerIndex() {
    assertTrue(ArrayGroups.ON, "on by default");
    long[][] x = arrays(4, 64);
    long[] a = x[0];
    long[] b = x[1];
    long[] c = x[2];
    long[] shorter = ArrayRecordsTest.readOnly(() -> new long[32], (Object[]) x);
    assertNotEquals(ArrayStripes.of(a), ArrayStripes.of(b));
    group(a, b, c, shorter);
    assertEquals(ArrayStripes.of(a), ArrayStripes.of(b));
    assertEquals(ArrayStripes.of(a), ArrayStripes.of(c));
    assertNotEquals(ArrayStripes.of(a), ArrayStripes.of(shorter), "another length stays out");
    assertNotEquals(ArrayStripes.of(a), ArrayStripes.of(x[3]), "not named: stays out");
    Ame.atomic(() -> write(a, 0, 1, Txn.current())); // turns the group's stripe written
    int locks = Ame.atomic(() -> {
      Txn tx = Txn.current();
      write(a, 5, 1, tx);
      write(b, 5, 2, tx);
      write(c, 5, 3, tx);
      return tx.locks.size;
    });
    assertEquals(1, locks, "a[5], b[5], c[5]: one word");
    int apart = Ame.atomic(() -> {
      Txn tx = Txn.current();
      write(a, 6, 1, tx);
      write(b, 7, 2, tx);
      return tx.locks.size;
    });
    assertEquals(2, apart, "different indexes: different words");
    assertEquals(1, a[5]);
    assertEquals(2, b[5]);
    assertEquals(3, c[5]);
    assertEquals(2, b[7]);
  }

  @Test
  void anAttemptThatAlreadyAccessedSomethingGroupsNothing() {
    long[][] x = arrays(2, 64);
    Ame.atomic(() -> {
      Txn tx = Txn.current();
      write(x[0], 1, 1, tx);
      ElementSites.group(x[0], x[1], null, null, tx); // its write used the stripes as they were
    });
    assertNotEquals(ArrayStripes.of(x[0]), ArrayStripes.of(x[1]));
    group(x[0], x[1], null, null); // a later, untouched attempt does
    assertEquals(ArrayStripes.of(x[0]), ArrayStripes.of(x[1]));
  }

  /**
   * A holds the word of a[3] (its write) and waits; B writes b[3] only. Grouped, B's write cannot
   * return while an attempt of A that will commit holds that word: B waits, or one of them is
   * aborted first. So A's committed attempt never sees a write of B's return while it held it.
   */
  @org.junit.jupiter.api.RepeatedTest(3)
  void writersOfDifferentArraysOfAGroupAtOneIndexSerialize() throws Exception {
    long[][] x = arrays(2, 64);
    long[] a = x[0];
    long[] b = x[1];
    group(a, b, null, null);
    Ame.atomic(() -> write(a, 0, 1, Txn.current())); // turned written before the race
    AtomicInteger writesOfB = new AtomicInteger(); // B's writes that returned (it held the word)
    CountDownLatch aHolds = new CountDownLatch(1);
    AtomicReference<String> overlap = new AtomicReference<>();
    Thread ta = ArrayRecordsTest.start(() -> Ame.atomic(() -> {
      Txn tx = Txn.current();
      write(a, 3, 1, tx);
      int before = writesOfB.get(); // after the lock: from here on A holds the word
      aHolds.countDown();
      long until = System.nanoTime() + 1_000_000_000L;
      while (writesOfB.get() == before && System.nanoTime() < until) {
        Thread.onSpinWait();
      }
      overlap.set(writesOfB.get() != before ? "B wrote b[3] while A held a[3]'s word" : null);
    }));
    ArrayRecordsTest.await(aHolds);
    Ame.atomic(() -> {
      write(b, 3, 2, Txn.current());
      writesOfB.incrementAndGet();
    });
    ta.join();
    assertNull(overlap.get());
    assertEquals(1, a[3]);
    assertEquals(2, b[3]);
  }

  /**
   * An array's stripe changes only while no other attempt runs: A reads b[3] through b's own word
   * and waits; the group is formed; C then writes a[3] = b[3] = 7 through the group's word. Had A
   * gone on running across the change, its read of a[3] would find a newer version, validate b's
   * old word (unchanged) and return 7 next to b[3] = 0. Every attempt of A must see a[3] = b[3].
   */
  @Test
  void aGroupIsFormedOnlyWhileNoOtherAttemptRuns() throws Exception {
    long[][] x = arrays(2, 64);
    long[] a = x[0];
    long[] b = x[1];
    Ame.atomic(() -> {
      write(a, 0, 1, Txn.current()); // both turned written: A's reads are checked and logged
      write(b, 0, 1, Txn.current());
    });
    AtomicBoolean cDone = new AtomicBoolean();
    CountDownLatch aRead = new CountDownLatch(1);
    AtomicReference<String> bad = new AtomicReference<>();
    Thread ta = ArrayRecordsTest.start(() -> Ame.atomic(() -> {
      Txn tx = Txn.current();
      long vb = read(b, 3, tx);
      aRead.countDown();
      long until = System.nanoTime() + 2_000_000_000L;
      while (!cDone.get() && System.nanoTime() < until) {
        Thread.onSpinWait();
      }
      long va = read(a, 3, tx);
      if (va != vb) {
        bad.compareAndSet(null, "an attempt read b[3] = " + vb + " and a[3] = " + va);
      }
    }));
    ArrayRecordsTest.await(aRead);
    group(a, b, null, null);
    Ame.atomic(() -> {
      Txn tx = Txn.current();
      write(a, 3, 7, tx);
      write(b, 3, 7, tx);
    });
    cDone.set(true);
    ta.join();
    assertEquals(ArrayStripes.of(a), ArrayStripes.of(b));
    assertNull(bad.get());
  }

  @Test
  void writersOfAGroupAtDifferentIndexesDoNotConflict() throws Exception {
    long[][] x = arrays(2, 64);
    long[] a = x[0];
    long[] b = x[1];
    group(a, b, null, null);
    Ame.atomic(() -> write(a, 0, 1, Txn.current()));
    AtomicBoolean bDone = new AtomicBoolean();
    AtomicInteger attemptsOfA = new AtomicInteger();
    AtomicBoolean sawB = new AtomicBoolean();
    CountDownLatch aHolds = new CountDownLatch(1);
    Thread ta = ArrayRecordsTest.start(() -> Ame.atomic(() -> {
      attemptsOfA.incrementAndGet();
      write(a, 3, 1, Txn.current());
      aHolds.countDown();
      long until = System.nanoTime() + 10_000_000_000L;
      while (!bDone.get() && System.nanoTime() < until) {
        Thread.onSpinWait();
      }
      sawB.set(bDone.get());
    }));
    ArrayRecordsTest.await(aHolds);
    Ame.atomic(() -> write(b, 4, 2, Txn.current()));
    bDone.set(true);
    ta.join();
    assertTrue(sawB.get(), "b[4] committed while A held a[3]");
    assertEquals(1, attemptsOfA.get(), "and A was not aborted for it");
    assertEquals(1, a[3]);
    assertEquals(2, b[4]);
  }

  @Test
  void anArrayReplacedByANewOneLeavesTheGroupAndBothStayCorrect() {
    long[][] x = arrays(3, 64);
    long[] a = x[0];
    long[] old = x[1];
    long[] fresh = x[2]; // the field's new array: never grouped
    group(a, old, null, null);
    assertEquals(ArrayStripes.of(a), ArrayStripes.of(old));
    assertNotEquals(ArrayStripes.of(a), ArrayStripes.of(fresh));
    Ame.atomic(() -> {
      Txn tx = Txn.current();
      write(a, 9, 1, tx);
      write(old, 9, 2, tx);
      write(fresh, 9, 3, tx);
      assertEquals(1, read(a, 9, tx));
      assertEquals(2, read(old, 9, tx));
      assertEquals(3, read(fresh, 9, tx));
    });
    group(a, fresh, null, null); // the twin's next entry groups the new one
    assertEquals(ArrayStripes.of(a), ArrayStripes.of(fresh));
    assertEquals(ArrayStripes.of(a), ArrayStripes.of(old), "the old one keeps its alias");
    assertEquals(3, fresh[9]);
  }

  /**
   * Opacity across a group: writers move amounts between element i of a and element i of b
   * (and between indexes of one array), keeping a[i] + b[i] summed over i at zero; every attempt
   * of a reader, aborting ones included, must see the sum zero.
   */
  @Test
  void readersOfAGroupNeverSeeAHalfDoneTransfer() throws Exception {
    long[][] x = arrays(2, 64);
    long[] a = x[0];
    long[] b = x[1];
    group(a, b, null, null);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<String> bad = new AtomicReference<>();
    List<Thread> writers = new ArrayList<>();
    for (int w = 0; w < 2; w++) {
      int seed = w;
      writers.add(ArrayRecordsTest.start(() -> {
        SplittableRandom r = new SplittableRandom(seed);
        for (int n = 0; n < 20_000 && !stop.get(); n++) {
          int i = r.nextInt(8);
          int j = r.nextInt(8);
          long d = r.nextInt(100) - 50;
          boolean sameIndex = r.nextBoolean();
          Ame.atomic(() -> {
            Txn tx = Txn.current();
            long[] from = sameIndex ? a : b;
            long[] to = sameIndex ? b : a;
            int k = sameIndex ? i : j;
            write(from, i, read(from, i, tx) - d, tx);
            write(to, k, read(to, k, tx) + d, tx);
          });
        }
      }));
    }
    Thread reader = ArrayRecordsTest.start(() -> {
      while (!stop.get()) {
        Ame.atomic(() -> {
          Txn tx = Txn.current();
          long sum = 0;
          for (int i = 0; i < 8; i++) {
            sum += read(a, i, tx) + read(b, i, tx);
          }
          if (sum != 0) {
            bad.compareAndSet(null, "an attempt saw the sum " + sum);
          }
        });
      }
    });
    for (Thread t : writers) {
      t.join();
    }
    stop.set(true);
    reader.join();
    assertNull(bad.get());
    long sum = 0;
    for (int i = 0; i < 8; i++) {
      sum += a[i] + b[i];
    }
    assertEquals(0, sum);
    assertFalse(bad.get() != null);
  }
}
