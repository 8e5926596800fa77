package org.ame4j.internal.engine;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * How the engine waits for another transaction: spin first (the common wait is a commit of a
 * few hundred nanoseconds), then yield, then park briefly. Never consumes interrupts.
 */
final class Backoff {
  private Backoff() {}

  static void pause(int round) {
    if (round < 64) {
      Thread.onSpinWait();
    } else if (round < 128) {
      Thread.yield();
    } else {
      LockSupport.parkNanos(20_000L);
    }
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
