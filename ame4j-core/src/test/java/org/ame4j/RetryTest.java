package org.ame4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Blocking retry: the transaction aborts, waits until something it read changes, and re-runs.
 * A lost wake-up shows as a hang, which the bounded waits turn into a failure.
 */
class RetryTest {

  @Test
  void retryOutsideATransactionIsAnError() {
    assertThrows(IllegalStateException.class, Ame::retry);
  }

  /** An inevitable transaction cannot roll back, so it cannot wait: a clear error, no hang. */
  @Test
  void retryInAnInevitableTransactionIsAnError() {
    IntRef cell = new IntRef(0);
    assertThrows(
        IllegalStateException.class,
        () ->
            Ame.atomic(
                () -> {
                  cell.set(1);
                  Ame.inevitable();
                  Ame.retry();
                }));
    assertEquals(0, cell.get());
  }

  /**
   * A transaction the engine made inevitable after too many aborts (nobody asked for it, nothing
   * irrevocable has run) may still wait: its retry() rolls back and waits like any other, it does
   * not fail. Found by the forced-batch history run, where a task that called retry() in such an
   * attempt failed with "would wait forever".
   */
  @Test
  void retryInATransactionMadeInevitableByAbortsWaits() throws Exception {
    int maxAborts = Integer.getInteger("ame4j.maxAborts", 16);
    IntRef cell = new IntRef(0);
    IntRef flag = new IntRef(0);
    AtomicInteger attempts = new AtomicInteger();
    AtomicInteger retriesAsked = new AtomicInteger();
    Stats before = Ame.stats();
    TestUtil.Threads setter = new TestUtil.Threads();
    setter.start(
        "setter",
        () -> {
          while (retriesAsked.get() == 0) {
            Thread.onSpinWait();
          }
          Ame.atomic(() -> flag.set(1));
        });
    int seen =
        Ame.atomic(
            () -> {
              cell.get();
              if (attempts.incrementAndGet() <= maxAborts) {
                TestUtil.Threads writer = new TestUtil.Threads();
                writer.start("writer", () -> cell.set(cell.get() + 1)); // commits under our read
                writer.joinAll();
                cell.get(); // sees the newer version: this attempt aborts (read/write)
              }
              if (flag.get() == 0) {
                retriesAsked.incrementAndGet();
                Ame.retry();
              }
              return flag.get();
            });
    setter.joinAll();
    Stats d = Ame.stats().minus(before);
    assertEquals(1, seen);
    assertTrue(retriesAsked.get() >= 1, "the inevitable attempt asked to retry");
    assertEquals(1, d.inevitableAfterAborts(), d.toString());
  }

  @Test
  void consumerInPlainThreadWakesWhenProducerSetsTheFlag() {
    IntRef flag = new IntRef(0);
    IntRef consumed = new IntRef(0);
    AtomicInteger attempts = new AtomicInteger();
    CountDownLatch waiting = new CountDownLatch(1);
    Stats before = Ame.stats();
    TestUtil.Threads ts = new TestUtil.Threads();
    ts.start(
        "consumer",
        () ->
            Ame.atomic(
                () -> {
                  attempts.incrementAndGet();
                  if (flag.get() == 0) {
                    waiting.countDown();
                    Ame.retry();
                  }
                  consumed.set(flag.get());
                }));
    ts.start(
        "producer",
        () -> {
          TestUtil.await(waiting, "the consumer to block");
          Ame.atomic(() -> flag.set(42));
        });
    ts.joinAll();
    Stats d = Ame.stats().minus(before);
    assertEquals(42, consumed.get());
    assertTrue(attempts.get() >= 2);
    assertTrue(d.retries() >= 1, "retries not counted: " + d);
    assertEquals(d.aborts(AbortKind.EXPLICIT), d.retries());
  }

  /** The consumer reads two cells; a change to the second one (only) must wake it. */
  @Test
  void wakesOnAChangeToAnyCellItRead() {
    IntRef a = new IntRef(0);
    IntRef b = new IntRef(0);
    IntRef unrelated = new IntRef(0);
    IntRef result = new IntRef(0);
    CountDownLatch waiting = new CountDownLatch(1);
    TestUtil.Threads ts = new TestUtil.Threads();
    ts.start(
        "consumer",
        () ->
            Ame.atomic(
                () -> {
                  int s = a.get() + b.get();
                  if (s == 0) {
                    waiting.countDown();
                    Ame.retry();
                  }
                  result.set(s);
                }));
    TestUtil.await(waiting, "consumer to block");
    for (int i = 0; i < 20; i++) {
      unrelated.set(i + 1); // writes to cells the consumer did not read: it keeps waiting
    }
    b.set(5);
    ts.joinAll();
    assertEquals(5, result.get());
  }

  /** Producer/consumer tasks through a one-slot mailbox, on a queue with at least 2 workers. */
  @ParameterizedTest(name = "{0} workers")
  @ValueSource(ints = {2, 4, 8})
  void pingPongThroughAMailboxInTasks(int workers) {
    int messages = 50;
    Ref<Integer> slot = new Ref<>(null);
    IntRef sum = new IntRef(0);
    TransactionQueue q = new TransactionQueue();
    // Producer: a chain of tasks, each puts the next message once the slot is empty.
    q.add(producer(q, slot, 1, messages));
    q.add(consumer(q, slot, sum, messages));
    q.run(workers);
    assertEquals(messages * (messages + 1) / 2, sum.get());
    assertEquals(null, slot.get());
  }

  private static Runnable producer(TransactionQueue q, Ref<Integer> slot, int i, int last) {
    return () -> {
      if (slot.get() != null) {
        Ame.retry();
      }
      slot.set(i);
      if (i < last) {
        q.add(producer(q, slot, i + 1, last));
      }
    };
  }

  private static Runnable consumer(TransactionQueue q, Ref<Integer> slot, IntRef sum, int left) {
    return () -> {
      Integer m = slot.get();
      if (m == null) {
        Ame.retry();
      }
      slot.set(null);
      sum.set(sum.get() + m);
      if (left > 1) {
        q.add(consumer(q, slot, sum, left - 1));
      }
    };
  }

  /** Many consumers blocked at once; one write wakes them all. */
  @Test
  void oneWriteWakesManyWaiters() {
    IntRef gate = new IntRef(0);
    IntRef passed = new IntRef(0);
    int waiters = 6;
    CountDownLatch allWaiting = new CountDownLatch(waiters);
    TestUtil.Threads ts = new TestUtil.Threads();
    for (int i = 0; i < waiters; i++) {
      boolean[] counted = {false};
      ts.start(
          "waiter-" + i,
          () ->
              Ame.atomic(
                  () -> {
                    if (gate.get() == 0) {
                      if (!counted[0]) {
                        counted[0] = true;
                        allWaiting.countDown();
                      }
                      Ame.retry();
                    }
                    passed.set(passed.get() + 1);
                  }));
    }
    TestUtil.await(allWaiting, "all waiters to block");
    gate.set(1);
    ts.joinAll();
    assertEquals(waiters, passed.get());
  }

  /**
   * The waiting task and the task that wakes it are queued together, among many others: a
   * retrying task must not keep the task that would wake it from running (for instance by
   * holding its worker while the waker sits behind it in the same worker's share of the queue).
   * A deadlock here is a lost wake-up.
   */
  @ParameterizedTest(name = "{0} workers")
  @ValueSource(ints = {1, 2, 4})
  void waiterAndWakerQueuedTogether(int workers) {
    for (int round = 0; round < 20; round++) {
      IntRef flag = new IntRef(0);
      IntRef filler = new IntRef(0);
      IntRef consumed = new IntRef(0);
      TransactionQueue q = new TransactionQueue();
      int fillers = 300;
      for (int i = 0; i < fillers / 2; i++) {
        q.add(() -> filler.set(filler.get() + 1));
      }
      q.add(
          () -> {
            if (flag.get() == 0) {
              Ame.retry();
            }
            consumed.set(consumed.get() + 1);
          });
      q.add(() -> flag.set(1));
      for (int i = 0; i < fillers / 2; i++) {
        q.add(() -> filler.set(filler.get() + 1));
      }
      TestUtil.runBounded(q, workers, 30); // a lost wake-up hangs
      assertEquals(1, consumed.get(), "round " + round);
      assertEquals(fillers, filler.get(), "round " + round);
      assertEquals(0, q.size());
    }
  }

  /**
   * More waiting tasks than workers, the waking task queued last: waiting tasks must not hold
   * every worker while the task that would wake them is still queued.
   */
  @ParameterizedTest(name = "{0} workers")
  @ValueSource(ints = {1, 2, 4})
  void moreWaitersThanWorkers(int workers) {
    IntRef flag = new IntRef(0);
    IntRef woken = new IntRef(0);
    TransactionQueue q = new TransactionQueue();
    int waiters = workers + 1;
    for (int i = 0; i < waiters; i++) {
      q.add(
          () -> {
            if (flag.get() == 0) {
              Ame.retry();
            }
            woken.set(woken.get() + 1);
          });
    }
    q.add(() -> flag.set(1));
    TestUtil.runBounded(q, workers, 30); // a lost wake-up hangs
    assertEquals(waiters, woken.get());
  }
}
