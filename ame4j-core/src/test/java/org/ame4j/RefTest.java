package org.ame4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The explicit cells: plain semantics outside and inside transactions, rollback on failure. */
class RefTest {

  @Test
  void cellsOutsideTransactions() {
    Ref<String> r = new Ref<>("a");
    assertEquals("a", r.get());
    r.set("b");
    assertEquals("b", r.getAndSet("c"));
    assertEquals("c", r.get());
    Ref<Object> n = new Ref<>(null);
    assertNull(n.get());

    IntRef i = new IntRef(5);
    assertEquals(5, i.getAndAdd(3));
    assertEquals(10, i.addAndGet(2));
    i.set(-1);
    assertEquals(-1, i.get());

    LongRef l = new LongRef(Long.MAX_VALUE - 1);
    assertEquals(Long.MAX_VALUE - 1, l.getAndAdd(1));
    assertEquals(Long.MAX_VALUE, l.get());
    assertEquals(Long.MIN_VALUE, l.addAndGet(1));
    l.set(7);
    assertEquals(7, l.get());
  }

  @Test
  void readYourOwnWritesAndRollback() {
    Ref<String> r = new Ref<>("a");
    IntRef i = new IntRef(1);
    LongRef l = new LongRef(2);
    assertThrows(
        IllegalStateException.class,
        () ->
            Ame.atomic(
                () -> {
                  r.set("b");
                  i.addAndGet(10);
                  l.getAndAdd(20);
                  assertEquals("b", r.get());
                  assertEquals(11, i.get());
                  assertEquals(22, l.get());
                  assertEquals("b", r.getAndSet("c"));
                  throw new IllegalStateException();
                }));
    assertEquals("a", r.get());
    assertEquals(1, i.get());
    assertEquals(2, l.get());
  }

  /** Outside transactions each call is its own transaction: getAndAdd from threads is atomic. */
  @Test
  void singleCallsAreAtomicAcrossThreads() {
    IntRef i = new IntRef(0);
    LongRef l = new LongRef(0);
    int threads = 4;
    int per = TestUtil.scale(5_000, 100_000);
    TestUtil.Threads ts = new TestUtil.Threads();
    for (int t = 0; t < threads; t++) {
      ts.start(
          "adder-" + t,
          () -> {
            for (int k = 0; k < per; k++) {
              i.getAndAdd(1);
              l.addAndGet(2);
            }
          });
    }
    ts.joinAll();
    assertEquals(threads * per, i.get());
    assertEquals(2L * threads * per, l.get());
  }
}
