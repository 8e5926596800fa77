package org.ame4j.internal.agent.instr;

import static org.ame4j.internal.agent.instr.TwinTransformerTest.PKG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.ame4j.Ame;
import org.ame4j.Stats;
import org.ame4j.TransactionQueue;
import org.ame4j.testkit.HangGuard;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Blind element adds held to commit ({@code BlindAdds.addElementHeld}): a task's adds are seen
 * all or none, an add that reads its own target still conflicts, every later access of the
 * attempt to the element sees the delta (a read, a store, a read whose check was hoisted), a
 * rollback (whole, nested, the switch to inevitable) drops or re-arms it, and an attempt holding
 * an add into an element does not hold the element's word.
 */
@HangGuard(seconds = 120)
class HeldElementAddsTest {
  static TwinLoader loader;

  @BeforeAll
  static void load() throws Exception {
    loader = new TwinLoader(PKG, HeldElementAddsTest.class.getClassLoader());
    loader.transformer.blindUpdates(true).holdElementAdds(true); // off by default
    Class.forName(PKG + "Tally", true, loader);
  }

  static Object call(String method, Object... args) {
    return TwinTransformerTest.callIn(loader, "Tally", method, args);
  }

  /**
   * Fresh arrays, turned written by a first add each (that add is applied at once: a read-only
   * stripe is turned by a lock), so that the adds of the test are held.
   */
  @BeforeEach
  void writtenArrays() {
    call("reset");
    Ame.atomic(() -> call("addToRow", 0.0));
    Ame.atomic(() -> call("addThenSet", 0, 0));
  }

  @Test
  void twinsHoldTheirAdds() {
    assertEquals(java.util.List.of("double"), BlindUpdatesTest.elementAdds(loader, "addToRow"));
    assertEquals(java.util.List.of("int"), BlindUpdatesTest.elementAdds(loader, "readThenAdd"));
  }

  @Test
  void aReaderSeesAllOrNoneOfATasksAdds() {
    // Opacity: no attempt, committed or doomed, sees a row half added.
    AtomicReference<Double> widest = new AtomicReference<>(0.0);
    TransactionQueue q = new TransactionQueue();
    int tasks = 6_000;
    for (int k = 0; k < tasks; k++) {
      if (k % 2 == 0) {
        q.add(() -> call("addToRow", 1.0));
      } else {
        q.add(() -> {
          double spread = (double) call("rowSpread");
          widest.accumulateAndGet(spread, Math::max);
        });
      }
    }
    q.run(2);
    assertEquals(0.0, widest.get());
    for (int j = 0; j < 4; j++) {
      assertEquals(tasks / 2.0, (double) call("sum", j));
    }
  }

  @Test
  void addsThatReadTheirOwnTargetStillConflict() {
    // sums[1] += sums[1]: the operand is a logged read, so two tasks that both read 2^k cannot
    // both commit 2^k + 2^k; doublings commute, so any serial order gives 2^60 exactly.
    Ame.atomic(() -> call("setSum", 1, 1.0));
    TransactionQueue q = new TransactionQueue();
    for (int k = 0; k < 60; k++) {
      q.add(() -> call("doubleInPlace", 1));
    }
    q.run(2);
    assertEquals(Math.pow(2, 60), (double) call("sum", 1));
    Ame.atomic(() -> {
      call("doubleInPlace", 1);
      call("doubleInPlace", 1); // reads its own held add: 2^62, not 2^61 + 2^60
    });
    assertEquals(Math.pow(2, 62), (double) call("sum", 1));
  }

  @Test
  void aStoreAfterAnAddKeepsTheStore() {
    Ame.atomic(() -> call("addThenSet", 5, 7));
    assertEquals(7, (int) call("count", 0));
  }

  @Test
  void aReadSeesTheAttemptsOwnAdds() {
    // counts[2] read, then added to, five times in one attempt: 0, 1, 2, 3, 4 seen.
    assertEquals(0 + 1 + 2 + 3 + 4, (int) Ame.atomic(() -> (int) call("readThenAdd", 5)));
    assertEquals(5 + 6 + 7 + 8 + 9, (int) Ame.atomic(() -> (int) call("readThenAdd", 5)));
    assertEquals(10, (int) call("count", 2));
  }

  @Test
  void aReadWhoseCheckWasHoistedSeesTheAdds() {
    // Fresh arrays: the loop's read of counts[2] finds the stripe read-only and keeps the array
    // (no barrier on later loads of it), the first add turns the stripe written. The adds after
    // that find it written, but this attempt holds the stripe word: they are applied at once,
    // or the kept read would miss them.
    call("reset");
    assertEquals(0 + 1 + 2 + 3 + 4, (int) Ame.atomic(() -> (int) call("readThenAdd", 5)));
    assertEquals(5, (int) call("count", 2));
  }

  @Test
  void aNestedBlockRolledBackReArmsTheOuterAdd() {
    IllegalStateException boom = new IllegalStateException("inner");
    Ame.atomic(() -> {
      call("accumulate", 0, 1); // held: sums[1] += 1, counts[1] += 1
      assertSame(boom, assertThrows(IllegalStateException.class, () -> Ame.atomic(() -> {
        assertEquals(1, (int) call("count", 1)); // applies the outer add inside the inner block
        call("accumulate", 1, 1);
        throw boom;
      })));
      assertEquals(1, (int) call("count", 1));
    });
    assertEquals(1, (int) call("count", 1), "outer add kept once, inner add gone");
    assertEquals(1.0, (double) call("sum", 1));
  }

  @Test
  void aTaskThatThrowsDropsItsHeldAdds() {
    IllegalStateException boom = new IllegalStateException("task");
    assertSame(boom, assertThrows(IllegalStateException.class, () -> Ame.atomic(() -> {
      call("addToRow", 3.0);
      throw boom;
    })));
    assertEquals(0.0, (double) call("sum", 2));
  }

  @Test
  void theSwitchToInevitableAppliesTheAddOnce() {
    Ame.atomic(() -> {
      call("accumulate", 0, 1);
      Ame.inevitable(); // restarts the attempt (it holds an add): the first one's add is dropped
    });
    assertEquals(1, (int) call("count", 1));
    assertEquals(1.0, (double) call("sum", 1));
  }

  @Test
  void anAttemptHoldingAnAddDoesNotHoldTheElement() throws Exception {
    // A holds an add into sums[1] and counts[1] and stops before its commit; B adds into both
    // and commits meanwhile without meeting a lock (had A locked the words at its add, B would
    // spin, then abort until A ended). Then A commits on top of B's adds.
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch go = new CountDownLatch(1);
    Stats before = Ame.stats();
    Thread a = new Thread(() -> Ame.atomic(() -> {
      call("accumulate", 0, 1);
      held.countDown();
      try {
        go.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }));
    a.start();
    assertTrue(held.await(10, TimeUnit.SECONDS));
    Ame.atomic(() -> call("accumulate", 1, 1));
    Stats meanwhile = Ame.stats().minus(before);
    go.countDown();
    a.join();
    assertEquals(0, meanwhile.aborts(), meanwhile.toString());
    assertEquals(2, (int) call("count", 1));
    assertEquals(1.0 + 2.0, (double) call("sum", 1));
  }
}
