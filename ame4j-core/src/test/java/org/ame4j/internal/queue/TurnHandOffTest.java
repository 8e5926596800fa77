package org.ame4j.internal.queue;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The hand-off of an ordered run's commit turn: a worker parked for its turn is woken by its
 * predecessor's commit, not by its (long) park timeout. The park below would last an hour, so
 * a thread that is back within the join's bound was woken by the hand-off.
 */
class TurnHandOffTest {
  private static final long AN_HOUR = TimeUnit.HOURS.toNanos(1);

  private static Thread parkedFor(ParallelRun run, long ticket) throws InterruptedException {
    Thread waiter = new Thread(() -> {
      while (!run.isTurn(ticket)) {
        run.parkForTurn(ticket, AN_HOUR);
      }
    });
    waiter.setDaemon(true);
    waiter.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (waiter.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    return waiter;
  }

  @Test
  void predecessorsCommitWakesTheParkedSuccessor() throws InterruptedException {
    ParallelRun run = new ParallelRun(new QueueCore(true, false, 0), 2);
    Thread waiter = parkedFor(run, 1);
    assertTrue(waiter.isAlive(), "ticket 1 waits while ticket 0 has not committed");
    run.committed(0);
    waiter.join(TimeUnit.SECONDS.toMillis(30));
    assertFalse(waiter.isAlive(), "the commit of ticket 0 handed the turn to ticket 1");
  }

  @Test
  void aWaiterTwoTurnsAwayIsWokenByTheCommitBeforeItsOwn() throws InterruptedException {
    ParallelRun run = new ParallelRun(new QueueCore(true, false, 0), 3);
    Thread waiter = parkedFor(run, 2);
    run.committed(0); // wakes nobody, or the waiter spuriously: it parks again either way
    run.committed(1);
    waiter.join(TimeUnit.SECONDS.toMillis(30));
    assertFalse(waiter.isAlive(), "the commit of ticket 1 handed the turn to ticket 2");
  }

  @Test
  void aWaiterWhoseTurnHasComeDoesNotPark() {
    ParallelRun run = new ParallelRun(new QueueCore(true, false, 0), 2);
    run.committed(0);
    long t0 = System.nanoTime();
    run.parkForTurn(1, AN_HOUR); // returns at once: the turn came before it parked
    assertTrue(System.nanoTime() - t0 < TimeUnit.MINUTES.toNanos(10));
  }
}
