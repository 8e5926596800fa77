package org.ame4j.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.ame4j.Ame;
import org.ame4j.internal.engine.TxObjectTest.Node;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contention manager's wait for a peer's lock ({@code Txn.waitForOwner}): an attempt with
 * much work at stake waits for the owner instead of aborting after the spin; a short attempt
 * aborts after the spin as before. The holder keeps its lock until the reader has shown which
 * way it went (it waits, or it re-runs), so no outcome depends on timing.
 */
@Timeout(60)
class OwnerWaitTest {
  /** The holder writes {@code h} and keeps its lock until {@code release} holds (at most 20 s). */
  private static Thread holdWhile(Node h, CountDownLatch locked, BooleanSupplier release) {
    return ArrayRecordsTest.start(() -> Ame.atomic(() -> {
      TxObjectTest.writeX(h, 1, Txn.current());
      locked.countDown();
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!release.getAsBoolean() && System.nanoTime() < end) {
        Thread.yield();
      }
    }));
  }

  @Test
  void anAttemptWithMuchWorkWaitsForThePeersLockAndCommitsWithoutAborting() throws Exception {
    Node[] nodes = new Node[100_000];
    for (int i = 0; i < nodes.length; i++) {
      nodes[i] = new Node();
      nodes[i].x = 1;
    }
    Node h = new Node();
    long waitsBefore = Txn.current().stats.ownerWaits; // this thread's descriptor, all tests
    AtomicReference<Txn> reader = new AtomicReference<>();
    CountDownLatch locked = new CountDownLatch(1);
    Thread holder = holdWhile(h, locked,
        () -> reader.get() != null && reader.get().stats.ownerWaits > waitsBefore);
    ArrayRecordsTest.await(locked);
    AtomicInteger attempts = new AtomicInteger();
    long seen = Ame.atomic(() -> {
      Txn tx = Txn.current();
      attempts.incrementAndGet();
      long sum = 0;
      for (Node n : nodes) {
        sum += TxObjectTest.readX(n, tx); // 100,000 logged reads: a 10 ms budget
      }
      reader.set(tx);
      return sum + TxObjectTest.readX(h, tx); // locked by the holder
    });
    holder.join();
    assertEquals(1, attempts.get(), "the reader aborted instead of waiting for the holder");
    assertEquals(100_001, seen, "the reader saw the holder's committed write");
    assertTrue(reader.get().stats.ownerWaits > waitsBefore);
  }

  @Test
  void aShortAttemptAbortsAfterTheSpinWithoutWaiting() throws Exception {
    Node h = new Node();
    long waitsBefore = Txn.current().stats.ownerWaits;
    AtomicInteger attempts = new AtomicInteger();
    AtomicReference<Txn> reader = new AtomicReference<>();
    CountDownLatch locked = new CountDownLatch(1);
    Thread holder = holdWhile(h, locked, () -> attempts.get() >= 2);
    ArrayRecordsTest.await(locked);
    long seen = Ame.atomic(() -> {
      Txn tx = Txn.current();
      reader.set(tx);
      attempts.incrementAndGet();
      return TxObjectTest.readX(h, tx); // nothing else read: nothing to lose, no wait
    });
    holder.join();
    assertTrue(attempts.get() >= 2, "the short reader did not abort");
    assertEquals(1, seen);
    assertEquals(waitsBefore, reader.get().stats.ownerWaits, "a short attempt waited for the owner");
  }
}
