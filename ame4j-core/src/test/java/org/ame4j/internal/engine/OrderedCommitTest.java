package org.ame4j.internal.engine;

import static org.ame4j.internal.engine.BarrierInterleavingsTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.ame4j.testkit.HangGuard;
import org.junit.jupiter.api.Test;

/**
 * An ordered task commits only at its turn, checked at the engine's entry point with a gate the
 * test holds shut: the attempt must wait at its commit, not commit and leave the queue's order
 * to sort it out. Through a real queue this bug hangs the run (the turn counter never comes back
 * to the older tasks), so this is the test that fails, and fails at once.
 */
@HangGuard(seconds = 60)
class OrderedCommitTest {
  /** An ordered run of which the test decides the turn. */
  static final class HeldGate implements CommitGate {
    final AtomicBoolean open = new AtomicBoolean();
    final AtomicLong committed = new AtomicLong(-1);
    final AtomicLong waits = new AtomicLong();
    final AtomicLong waitedNanos = new AtomicLong();

    @Override
    public void waitedForTurn(long nanos) {
      waits.incrementAndGet();
      waitedNanos.addAndGet(nanos);
    }

    @Override
    public TaskSink sink() {
      return task -> {
        throw new AssertionError("this task adds nothing");
      };
    }

    @Override
    public boolean isOrdered() {
      return true;
    }

    @Override
    public boolean isTurn(long ticket) {
      return open.get();
    }

    @Override
    public long nextToCommit() {
      return open.get() ? 1 : 0;
    }

    @Override
    public void committed(long ticket) {
      committed.set(ticket);
    }

    @Override
    public boolean handBack(long ticket) {
      return false;
    }

    @Override
    public boolean handBackOnRetry() {
      return false;
    }
  }

  @Test
  void anOrderedAttemptWaitsForItsTurnBeforeCommitting() throws Exception {
    LongCell c = new LongCell(0);
    HeldGate gate = new HeldGate();
    CountDownLatch ran = new CountDownLatch(1);
    AtomicBoolean returned = new AtomicBoolean();
    Thread task = new Thread(() -> {
      Atomically.execute(Txn.current(), () -> {
        Txn.current().write(c, 1L);
        ran.countDown();
        return null;
      }, gate, 1);
      returned.set(true);
    });
    task.start();
    await(ran);
    // Committing takes microseconds; waiting for a turn that never comes takes forever. 200 ms
    // tells the two apart without asserting anything about speed.
    task.join(200);
    assertFalse(returned.get(), "an ordered task committed before its turn");
    assertEquals(-1, gate.committed.get(), "the gate was told of a commit before the turn");
    gate.open.set(true);
    task.join(20_000);
    assertTrue(returned.get(), "the task did not commit once its turn came");
    assertEquals(1, gate.committed.get());
    assertEquals(1, c.value);
    // The wait off the processor is reported, once (the queue's wait ledger, Worker#waitedForTurn,
    // decides from it whether the worker stays out of the run).
    assertEquals(1, gate.waits.get(), "waits reported");
    assertTrue(gate.waitedNanos.get() > 0, "reported " + gate.waitedNanos.get() + " ns");
  }
}
