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
   * Waiting for the commit turn in an ordered run: the older tasks are typically microseconds
   * long, so park (tens of microseconds on Linux) only after a long phase of yielding; a yield
   * with nothing else runnable returns at once, and with more workers than cores it lets the
   * older task run.
   */
  static void pauseForTurn(int round) {
    if (round < 64) {
      Thread.onSpinWait();
    } else if (round < 20_000) {
      Thread.yield();
    } else {
      LockSupport.parkNanos(20_000L);
    }
  }

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
