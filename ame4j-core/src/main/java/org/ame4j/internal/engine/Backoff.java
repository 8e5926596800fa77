package org.ame4j.internal.engine;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * How the engine waits for another transaction: spin first (the common wait is a commit of a
 * few hundred nanoseconds), then yield, then park, each park twice as long as the one before up
 * to {@link #MAX_PARK_NANOS}. Never consumes interrupts.
 *
 * <p><b>Why the parks grow.</b> The peer we wait for may be off the processor: on a machine with
 * as many cores as runnable threads (2 workers, the JIT, G1, a neighbour) the scheduler preempts
 * a worker for a time slice, milliseconds, while it holds a lock, a stripe's grace period or a
 * commit pause. Spinning and yielding then burn the waiter's core for nothing (a yield returns at
 * once when the waiter's own run queue is empty, though the peer waits in another core's), and a
 * fixed short park wakes the waiter tens of times per millisecond to find nothing changed.
 * Growing parks bound what a wait costs to a few wake-ups per millisecond whatever its length,
 * and oversleep by at most about the time already waited (the classic exponential backoff
 * bound); a short wait (the peer on a core, a commit away) ends in the spin or yield phase,
 * exactly as before. Where the peer is known ({@link #await}), it wakes the waiter when its
 * attempt ends ({@link Txn#wakeWaiter}), and a kill wakes a parked victim at once ({@link
 * Txn#parkWaiting}): neither depends on the park's length.
 *
 * <p>What it does not do: decide whether to wait at all (the callers' contention rules do), or
 * guarantee that every waiter is woken by its peer: a peer remembers one waiter, so with more
 * than two workers another waiter may sleep out its park ({@link #MAX_PARK_NANOS} at most).
 */
final class Backoff {
  private Backoff() {}

  /** Rounds of {@link Thread#onSpinWait} before the first yield. */
  static final int SPINS = 64;

  /** Rounds of {@link Thread#yield} after the spin, before the first park. */
  static final int YIELDS = 64;

  /** The first park: about one wake-up's cost, so that a wait just past the yields oversleeps little. */
  static final long FIRST_PARK_NANOS = 20_000L;

  /**
   * The longest park (0.5 ms): about a tenth of a time slice, so a waiter whose peer was
   * preempted wakes a few times per slice (under 1 % of a core), and one whose peer nobody wakes
   * it for oversleeps at most this long.
   */
  static final long MAX_PARK_NANOS = 500_000L;

  /** {@code ame4j.waitCounts}: print every descriptor's wait counts at exit (measurement only). */
  static final boolean PRINT_COUNTS = Boolean.getBoolean("ame4j.waitCounts");

  static {
    if (PRINT_COUNTS) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        TxnStats t = TxnStats.total();
        System.err.printf("WAITS commits=%d spins=%d yields=%d parks=%d wakeups=%d ownerWaits=%d"
                + " timeouts=%d cycles=%d pauseWaitsBeforeLock=%d pausesLost=%d earlyPauses=%d"
                + " earlyPausesShort=%d%n",
            t.commits(), t.waitSpins, t.waitYields, t.waitParks, t.waitWakeups, t.ownerWaits,
            t.ownerWaitTimeouts, t.ownerWaitCycles, t.pauseWaitsBeforeLock, t.pausesLost,
            t.earlyPauses, t.earlyPausesShort);
      }));
    }
  }

  /** A wait whose end nobody signals: spin, yield, then growing parks (see the class comment). */
  static void pause(int round) {
    if (round < SPINS) {
      Thread.onSpinWait();
    } else if (round < SPINS + YIELDS) {
      Thread.yield();
    } else {
      LockSupport.parkNanos(parkNanos(round));
    }
  }

  /**
   * Round {@code round} of a wait of {@code tx} for {@code peer}'s attempt whose running status
   * was {@code peerStatus} to end or let go of something (null: no peer known). In the park phase
   * the peer is asked to wake {@code tx}'s thread when that attempt ends, and a kill of {@code tx}
   * wakes it too. The caller re-checks what it waits for after every round.
   */
  static void await(int round, Txn tx, Txn peer, long peerStatus) {
    if (round < SPINS) {
      tx.stats.waitSpins++;
      Thread.onSpinWait();
    } else if (round < SPINS + YIELDS) {
      tx.stats.waitYields++;
      Thread.yield();
    } else {
      tx.stats.waitParks++;
      tx.parkWaiting(parkNanos(round), peer, peerStatus);
    }
  }

  /** The park of round {@code round} (past the spins and yields): doubling, then capped. */
  static long parkNanos(int round) {
    int doublings = round - SPINS - YIELDS;
    return doublings >= 5 ? MAX_PARK_NANOS : Math.min(MAX_PARK_NANOS, FIRST_PARK_NANOS << doublings);
  }

  /**
   * Waiting for the commit turn in an ordered run ({@code Atomically.awaitTurn}): spin this many
   * rounds, then yield for {@link #TURN_YIELD_NANOS}, then park until the predecessor's commit
   * hands the turn over. The older task is typically microseconds from committing, so spinning
   * and yielding catch most turns at the lowest latency; but a waiter that only yields stays
   * runnable and burns a core doing nothing, which on a shared machine is taken from the task it
   * waits for. A parked waiter takes no CPU, and the hand-off wakes it. Measured (ordered
   * components, 2 workers, 2 cores, 3 runs each way alternated): process CPU 1.9-2.3 s against
   * 2.6-3.3 s when waiters yielded without bound, wall time the same within the noise.
   */
  static final int TURN_SPINS = 64;

  /** See {@link #TURN_SPINS}: about 50 yields when nothing else is runnable. */
  static final long TURN_YIELD_NANOS = 50_000L;

  /**
   * The longest park while waiting for a turn: a safety net only, since the predecessor's
   * commit, a stop of the run and a kill all unpark the waiter.
   */
  static final long TURN_PARK_NANOS = 1_000_000L;

  /** A random pause after a conflict abort, growing with the number of attempts. */
  static void afterAbort(int aborts) {
    int limit = 1 << Math.min(aborts, 10);
    int spins = ThreadLocalRandom.current().nextInt(limit);
    for (int i = 0; i < spins; i++) {
      Thread.onSpinWait();
    }
    if (aborts > 8) {
      Thread.yield();
    }
  }
}
