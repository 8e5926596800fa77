package org.ame4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Transactions far larger than any initial log capacity: every read/write/undo structure must
 * grow without losing entries, on commit and on rollback, also under conflicts.
 */
class LargeTransactionTest {
  private static final int N = 200_000;

  private static IntRef[] cells(int n) {
    IntRef[] c = new IntRef[n];
    for (int i = 0; i < n; i++) {
      c[i] = new IntRef(i);
    }
    return c;
  }

  @Test
  void hugeWriteSetCommitsAndRollsBack() {
    IntRef[] c = cells(N);
    assertThrows(
        IllegalStateException.class,
        () ->
            Ame.atomic(
                () -> {
                  for (IntRef r : c) {
                    r.set(r.get() + 1);
                  }
                  for (IntRef r : c) {
                    r.set(r.get() * 2); // second write to each: read-your-own-write
                  }
                  throw new IllegalStateException();
                }));
    for (int i = 0; i < N; i++) {
      assertEquals(i, c[i].get(), "cell " + i + " after rollback");
    }
    Ame.atomic(
        () -> {
          for (IntRef r : c) {
            r.set(r.get() + 1);
          }
        });
    long sum = Ame.atomic(
        () -> {
          long s = 0;
          for (IntRef r : c) {
            s += r.get();
          }
          return s;
        });
    assertEquals((long) N * (N - 1) / 2 + N, sum);
  }

  /** A big reader/writer conflicting with small writers on a few of its cells. */
  @Test
  void hugeTransactionUnderConflicts() {
    IntRef[] c = cells(50_000);
    IntRef total = new IntRef(0);
    AtomicBoolean stop = new AtomicBoolean();
    TestUtil.Threads small = new TestUtil.Threads();
    small.start(
        "small-writer",
        () -> {
          long i = 0;
          while (!stop.get()) {
            IntRef a = c[(int) ((i * 7919L) % c.length)];
            IntRef b = c[(int) ((i * 104729L + 1) % c.length)];
            Ame.atomic(
                () -> {
                  a.set(a.get() - 1);
                  b.set(b.get() + 1); // moves 1 between cells: the sum is constant
                });
            i++;
          }
        });
    long expected = (long) c.length * (c.length - 1) / 2;
    try {
      for (int round = 0; round < 5; round++) {
        long s =
            Ame.atomic(
                () -> {
                  long sum = 0;
                  for (IntRef r : c) {
                    sum += r.get();
                  }
                  total.set(total.get() + 1);
                  return sum;
                });
        assertEquals(expected, s, "round " + round);
      }
    } finally {
      stop.set(true);
      small.joinAll();
    }
    assertEquals(5, total.get());
  }
}
