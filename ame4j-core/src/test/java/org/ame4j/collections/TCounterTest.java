package org.ame4j.collections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicInteger;
import org.ame4j.Ame;
import org.ame4j.IntRef;
import org.ame4j.Stats;
import org.ame4j.TransactionQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** TCounter: exact sums, rollback, consistent reads, and increments that do not conflict. */
class TCounterTest {

  @ParameterizedTest(name = "{0} workers")
  @ValueSource(ints = {1, 2, 4, 8})
  void sumIsExact(int workers) {
    TCounter c = new TCounter();
    TransactionQueue q = new TransactionQueue();
    int tasks = TestScale.tasks();
    for (int t = 0; t < tasks; t++) {
      int k = t;
      q.add(
          () -> {
            c.increment();
            c.add(k % 7);
            if (k % 5 == 0) {
              c.decrement();
            }
          });
    }
    q.run(workers);
    long expected = 0;
    for (int t = 0; t < tasks; t++) {
      expected += 1 + t % 7 - (t % 5 == 0 ? 1 : 0);
    }
    assertEquals(expected, c.get());
  }

  @Test
  void rollbackAndReadYourOwnAdds() {
    TCounter c = new TCounter();
    c.add(5);
    assertThrows(
        IllegalStateException.class,
        () ->
            Ame.atomic(
                () -> {
                  c.add(10);
                  assertEquals(15, c.get());
                  throw new IllegalStateException();
                }));
    assertEquals(5, c.get());
  }

  /** Two counters always incremented together: a reader inside a transaction sees them equal. */
  @ParameterizedTest(name = "{0} workers")
  @ValueSource(ints = {2, 4, 8})
  void readsAreConsistent(int workers) {
    TCounter a = new TCounter();
    TCounter b = new TCounter();
    AtomicInteger wrong = new AtomicInteger();
    TransactionQueue q = new TransactionQueue();
    for (int t = 0; t < TestScale.tasks(); t++) {
      if (t % 10 == 0) {
        q.add(
            () -> {
              if (a.get() != b.get()) {
                wrong.incrementAndGet();
              }
            });
      } else {
        q.add(
            () -> {
              a.increment();
              org.ame4j.TestHooks.spin(50);
              b.increment();
            });
      }
    }
    q.run(workers);
    assertEquals(0, wrong.get());
    assertEquals(a.get(), b.get());
  }

  /** Tasks that only increment one shared counter never conflict with each other. */
  @ParameterizedTest(name = "{0} workers")
  @ValueSource(ints = {2, 4, 8})
  void incrementsDoNotConflict(int workers) {
    TCounter c = new TCounter();
    IntRef[] own = new IntRef[400];
    TransactionQueue q = new TransactionQueue();
    for (int t = 0; t < own.length; t++) {
      IntRef mine = own[t] = new IntRef(0);
      q.add(
          () -> {
            for (int i = 0; i < 20; i++) {
              c.increment();
              mine.set(mine.get() + 1);
              org.ame4j.TestHooks.spin(50);
            }
          });
    }
    Stats before = Ame.stats();
    q.run(workers);
    Stats d = Ame.stats().minus(before);
    assertEquals(own.length * 20L, c.get());
    assertEquals(0, d.aborts(), "increments of a TCounter conflicted: " + d);
  }
}
