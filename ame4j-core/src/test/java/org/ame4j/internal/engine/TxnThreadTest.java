package org.ame4j.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.atomic.AtomicReference;
import org.ame4j.Ame;
import org.ame4j.IntRef;
import org.junit.jupiter.api.Test;

/**
 * A {@link TxnThread}'s descriptor is made by the thread itself when it starts (so that two
 * workers' descriptors do not lie side by side in the constructing thread's allocation buffer),
 * is the one its transactions use, and is not another thread's.
 */
class TxnThreadTest {
  @Test
  void descriptorIsMadeOnTheThreadAndUsedByItsTransactions() throws InterruptedException {
    AtomicReference<Txn> current = new AtomicReference<>();
    AtomicReference<Txn> inside = new AtomicReference<>();
    IntRef cell = new IntRef(0);
    TxnThread t = new TxnThread(() -> {
      current.set(Txn.current());
      Ame.atomic(() -> {
        inside.set(Txn.active());
        cell.set(cell.get() + 1);
      });
    }, "txn-thread-test");
    assertNull(t.txn(), "no descriptor before the thread runs");
    t.start();
    t.join();
    assertNotNull(t.txn());
    assertSame(t.txn(), current.get(), "Txn.current() on the thread is its own descriptor");
    assertSame(t.txn(), inside.get(), "its transactions run with that descriptor");
    assertEquals(1, cell.get());
    assertNotSame(Txn.current(), t.txn(), "not the constructing thread's");
  }
}
