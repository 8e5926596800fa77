package org.ame4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Flat nesting: an inner {@code atomic} joins the enclosing transaction; an exception escaping a
 * nested block undoes that block only (writes, adds, deferred actions) and propagates.
 */
class NestedAtomicTest {

  @Test
  void isAtomicInsideAndOutside() {
    assertFalse(Ame.isAtomic());
    Ame.atomic(
        () -> {
          assertTrue(Ame.isAtomic());
          Ame.atomic(() -> assertTrue(Ame.isAtomic()));
          assertTrue(Ame.isAtomic());
        });
    assertFalse(Ame.isAtomic());
    TransactionQueue q = new TransactionQueue();
    AtomicInteger inTask = new AtomicInteger();
    q.add(
        () -> {
          if (Ame.isAtomic()) {
            inTask.incrementAndGet();
          }
        });
    q.run(1);
    assertEquals(1, inTask.get());
  }

  @Test
  void innerBlockJoinsTheOuterTransaction() {
    IntRef a = new IntRef(0);
    IntRef b = new IntRef(0);
    AtomicInteger commits = new AtomicInteger();
    Stats before = Ame.stats();
    int r =
        Ame.atomic(
            () -> {
              a.set(1);
              Ame.atomic(() -> b.set(a.get() + 1)); // sees the outer write
              Ame.afterCommit(commits::incrementAndGet);
              return Ame.atomic(() -> a.get() + b.get());
            });
    Stats d = Ame.stats().minus(before);
    assertEquals(3, r);
    assertEquals(1, a.get());
    assertEquals(2, b.get());
    assertEquals(1, commits.get());
    assertEquals(1, d.commits(), "flat nesting: one transaction, one commit: " + d);
  }

  @Test
  void exceptionInNestedBlockUndoesOnlyThatBlock() {
    IntRef a = new IntRef(0);
    IntRef b = new IntRef(0);
    TransactionQueue q = new TransactionQueue();
    AtomicInteger childRan = new AtomicInteger();
    AtomicInteger innerCommit = new AtomicInteger();
    AtomicInteger outerCommit = new AtomicInteger();
    IllegalStateException boom = new IllegalStateException("inner");
    q.add(
        () -> {
          a.set(1);
          b.set(1);
          IllegalStateException caught =
              assertThrows(
                  IllegalStateException.class,
                  () ->
                      Ame.atomic(
                          () -> {
                            a.set(2);
                            b.set(b.get() + 10);
                            q.add(childRan::incrementAndGet);
                            Ame.afterCommit(innerCommit::incrementAndGet);
                            throw boom;
                          }));
          assertSame(boom, caught);
          // The outer block sees its own writes, not the undone inner ones.
          assertEquals(1, a.get());
          assertEquals(1, b.get());
          b.set(b.get() + 1);
          Ame.afterCommit(outerCommit::incrementAndGet);
        });
    q.run(2);
    assertEquals(1, a.get());
    assertEquals(2, b.get());
    assertEquals(0, childRan.get(), "an add of the undone inner block ran");
    assertEquals(0, q.size());
    assertEquals(0, innerCommit.get());
    assertEquals(1, outerCommit.get());
  }

  @Test
  void exceptionThroughSeveralLevelsRollsEverythingBack() {
    IntRef a = new IntRef(0);
    RuntimeException boom = new RuntimeException("deep");
    RuntimeException thrown =
        assertThrows(
            RuntimeException.class,
            () ->
                Ame.atomic(
                    () -> {
                      a.set(1);
                      Ame.atomic(
                          () -> {
                            a.set(2);
                            Ame.atomic(
                                () -> {
                                  a.set(3);
                                  throw boom;
                                });
                          });
                    }));
    assertSame(boom, thrown);
    assertEquals(0, a.get());
    assertFalse(Ame.isAtomic());
  }

  @Test
  void caughtInnerFailureThenOuterFailure() {
    IntRef a = new IntRef(0);
    Error outer = new Error("outer");
    Error thrown =
        assertThrows(
            Error.class,
            () ->
                Ame.atomic(
                    () -> {
                      a.set(1);
                      try {
                        Ame.atomic(
                            () -> {
                              a.set(2);
                              throw new IllegalStateException();
                            });
                      } catch (IllegalStateException ignored) {
                        // continue
                      }
                      a.set(a.get() + 5);
                      throw outer;
                    }));
    assertSame(outer, thrown);
    assertEquals(0, a.get());
  }

  /** Nested blocks under contention from several threads: the increments add up. */
  @Test
  void nestedBlocksUnderContention() {
    IntRef a = new IntRef(0);
    IntRef b = new IntRef(0);
    int threads = 4;
    int per = TestUtil.scale(2_000, 20_000);
    TestUtil.Threads ts = new TestUtil.Threads();
    for (int t = 0; t < threads; t++) {
      ts.start(
          "nested-" + t,
          () -> {
            for (int i = 0; i < per; i++) {
              int k = i;
              Ame.atomic(
                  () -> {
                    a.set(a.get() + 1);
                    try {
                      Ame.atomic(
                          () -> {
                            b.set(b.get() + 1);
                            if (k % 2 == 0) {
                              throw new IllegalStateException();
                            }
                          });
                    } catch (IllegalStateException expected) {
                      // the inner increment is undone
                    }
                  });
            }
          });
    }
    ts.joinAll();
    assertEquals(threads * per, a.get());
    assertEquals(threads * per / 2, b.get());
  }

  /**
   * Cells created by the enclosing attempt, written by an inner block that fails: the writes are
   * undone like those to any cell (a cell is never "born owned": each write logs its old value).
   */
  @Test
  void aFailingInnerBlockUndoesItsWritesToCellsTheOuterCreated() {
    int[] seen =
        Ame.atomic(
            () -> {
              IntRef i = new IntRef(5);
              LongRef l = new LongRef(5);
              Ref<String> r = new Ref<>("five");
              assertThrows(
                  IllegalStateException.class,
                  () ->
                      Ame.atomic(
                          () -> {
                            i.set(1);
                            l.set(1);
                            r.set("one");
                            throw new IllegalStateException("inner");
                          }));
              return new int[] {i.get(), (int) l.get(), r.get().length()};
            });
    assertEquals(5, seen[0]);
    assertEquals(5, seen[1]);
    assertEquals(4, seen[2]);
  }
}
