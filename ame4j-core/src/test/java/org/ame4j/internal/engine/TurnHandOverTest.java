package org.ame4j.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.ame4j.LongRef;
import org.ame4j.TransactionQueue;
import org.ame4j.testkit.HangGuard;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Ordered runs' hand-over ({@link TurnHandOver}): a finished attempt whose turn has not come is
 * committed by the thread that commits its predecessor, in ticket order, with its adds; one
 * whose claimed commit fails goes back to its own thread, which rolls it back and re-runs it at
 * its turn, so the result is the sequential order's either way. Driven at the engine's entry
 * point with a gate the test owns, the older task run by the test thread itself.
 */
@HangGuard(seconds = 60)
class TurnHandOverTest {
  /** Nothing is offered with the conflict report on (a surefire execution runs with it). */
  @BeforeEach
  void handOverOn() {
    assumeFalse(Diagnostics.ON, "the conflict report is on: nothing is offered");
    assumeTrue(TurnHandOver.ON, "run with -Dame4j.ordered.handOver=true (the ordered-hand-over execution)");
  }

  /** An ordered run: tickets commit in order; who committed each, and what was added. */
  static final class Gate implements CommitGate {
    final AtomicLong next = new AtomicLong();
    final TurnHandOver handOver = new TurnHandOver();
    final List<Long> committed = new CopyOnWriteArrayList<>();
    final Map<Long, Thread> committers = new ConcurrentHashMap<>();
    final List<Runnable> added = new CopyOnWriteArrayList<>();

    @Override
    public TaskSink sink() {
      return added::add;
    }

    @Override
    public boolean isOrdered() {
      return true;
    }

    @Override
    public boolean isTurn(long ticket) {
      return next.get() == ticket;
    }

    @Override
    public long nextToCommit() {
      return next.get();
    }

    @Override
    public void committed(long ticket) {
      committed.add(ticket);
      committers.put(ticket, Thread.currentThread());
      next.set(ticket + 1);
    }

    @Override
    public TurnHandOver handOver() {
      return handOver;
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

  /** Ticket 1 on its own thread: {@code body}, then it waits for ticket 0. */
  private static Thread younger(Gate gate, AtomicReference<Txn> tx, AtomicBoolean returned,
      Runnable body) {
    Thread t = new Thread(() -> {
      tx.set(Txn.current());
      Atomically.execute(Txn.current(), () -> {
        body.run();
        return null;
      }, gate, 1);
      returned.set(true);
    });
    t.start();
    return t;
  }

  private static void awaitOffered(Gate gate, AtomicReference<Txn> tx) throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (tx.get() == null || !gate.handOver.isOffered(tx.get(), 1)) {
      assertTrue(System.nanoTime() < deadline, "ticket 1's finished attempt was never offered");
      Thread.sleep(1);
    }
  }

  @Test
  void aFinishedSuccessorIsCommittedByItsPredecessorsCommitter() throws Exception {
    LongCell older = new LongCell(0);
    LongCell young = new LongCell(0);
    Gate gate = new Gate();
    AtomicReference<Txn> youngTx = new AtomicReference<>();
    AtomicBoolean returned = new AtomicBoolean();
    Runnable added = () -> {};
    Thread t = younger(gate, youngTx, returned, () -> {
      Txn.current().write(young, 1L);
      Txn.current().addTask(gate.sink(), added);
    });
    awaitOffered(gate, youngTx);
    assertFalse(returned.get(), "ticket 1 committed before ticket 0");
    assertEquals(List.of(), gate.committed);

    Atomically.execute(Txn.current(), () -> {
      Txn.current().write(older, 1L);
      return null;
    }, gate, 0);
    // Ticket 0's commit went on to commit ticket 1 on this thread, with its add, in order.
    assertEquals(List.of(0L, 1L), gate.committed);
    assertSame(Thread.currentThread(), gate.committers.get(1L), "who committed ticket 1");
    assertEquals(List.of(added), gate.added, "ticket 1's add, published by its committer");
    t.join(20_000);
    assertTrue(returned.get(), "ticket 1's thread did not return after its commit");
    assertEquals(1, older.value);
    assertEquals(1, young.value);
    assertEquals(1, youngTx.get().stats.turnHandOvers);
    assertEquals(1, youngTx.get().stats.commits);
    assertEquals(0, youngTx.get().handOver, "the offer's state is cleared for the next attempt");
  }

  @Test
  void aClaimedCommitThatFailsIsRolledBackAndRerunByItsOwnThread() throws Exception {
    LongCell x = new LongCell(0);
    LongCell young = new LongCell(0);
    Gate gate = new Gate();
    AtomicReference<Txn> youngTx = new AtomicReference<>();
    AtomicBoolean returned = new AtomicBoolean();
    Runnable added = () -> {};
    Thread t = younger(gate, youngTx, returned, () -> {
      long v = (long) Txn.current().read(x);
      Txn.current().write(young, v + 1);
      Txn.current().addTask(gate.sink(), added);
    });
    awaitOffered(gate, youngTx);

    // Ticket 0 writes what ticket 1 read: ticket 1's offered attempt no longer validates.
    Atomically.execute(Txn.current(), () -> {
      Txn.current().write(x, 5L);
      return null;
    }, gate, 0);
    t.join(20_000);
    assertTrue(returned.get(), "ticket 1 did not re-run and commit");
    assertEquals(List.of(0L, 1L), gate.committed);
    assertSame(t, gate.committers.get(1L), "the re-run commits on ticket 1's own thread");
    assertEquals(6, young.value, "ticket 1 must see ticket 0's write, as in the sequential order");
    assertEquals(List.of(added), gate.added, "the failed attempt's add is not published");
    TxnStats s = youngTx.get().stats;
    assertEquals(0, s.turnHandOvers);
    assertTrue(s.aborts[AbortKind.READ_WRITE.ordinal()] >= 1, "the failed commit is an abort");
  }

  /**
   * Through a real ordered queue on 2 workers: even tasks linger before their writes, so their
   * odd successors finish first and wait, and are offered; some successors read what their
   * predecessor writes (their claimed commit fails and re-runs), tasks add tasks. The outcome
   * must be the sequential worklist's: an order-sensitive fingerprint of every task's step, and
   * the hand-over must actually have happened.
   */
  @Test
  void anOrderedQueueWithHandOversEndsInTheSequentialState() {
    int n = 600;
    long before = TxnStats.total().turnHandOvers();
    LongRef fingerprint = new LongRef(1);
    LongRef[] own = new LongRef[2 * n];
    for (int i = 0; i < own.length; i++) {
      own[i] = new LongRef(0);
    }
    TransactionQueue q = TransactionQueue.ordered();
    for (int i = 0; i < n; i++) {
      q.add(step(q, i, n, fingerprint, own));
    }
    q.run(2);

    long expected = 1;
    java.util.ArrayDeque<Integer> work = new java.util.ArrayDeque<>();
    for (int i = 0; i < n; i++) {
      work.add(i);
    }
    while (!work.isEmpty()) {
      int i = work.poll();
      if (i % 3 == 0) {
        expected = expected * 31 + i;
      }
      if (i < n && i % 5 == 0) {
        work.add(n + i);
      }
    }
    assertEquals(expected, fingerprint.get(), "the commit order differs from the sequential one");
    for (int i = 0; i < own.length; i++) {
      long want = i < n || (i - n) % 5 == 0 ? i + 1 : 0;
      assertEquals(want, own[i].get(), "task " + i);
    }
    assertTrue(TxnStats.total().turnHandOvers() > before, "no attempt was committed by its predecessor's thread");
  }

  private static Runnable step(TransactionQueue q, int i, int n, LongRef fingerprint, LongRef[] own) {
    return () -> {
      if (i % 2 == 0) {
        long until = System.nanoTime() + 200_000; // linger: the successor finishes first
        while (System.nanoTime() < until) {
          Thread.onSpinWait();
        }
      }
      own[i].set(i + 1);
      if (i % 3 == 0) {
        fingerprint.set(fingerprint.get() * 31 + i); // every third task: order-sensitive
      }
      if (i < n && i % 5 == 0) {
        q.add(step(q, n + i, n, fingerprint, own));
      }
    };
  }
}
