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
