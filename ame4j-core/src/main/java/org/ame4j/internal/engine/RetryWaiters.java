package org.ame4j.internal.engine;

import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Blocking {@code retry()} (Harris et al., "Composable memory transactions", 2005; AME's
 * {@code blockUntil}): a rolled-back transaction waits until some record it had read changes.
 *
 * <p>Waiters poll their saved read set; committers wake them only when someone waits (one
 * volatile read on the commit path). A wake-up that races with a waiter going to sleep is
 * caught by the bounded sleep (1 ms), so a change is never missed, only noticed late.
 */
final class RetryWaiters {
  private static final AtomicInteger WAITING = new AtomicInteger();
  private static final Object MONITOR = new Object();

  private RetryWaiters() {}

  static void commitHappened() {
    if (WAITING.get() > 0) {
      synchronized (MONITOR) {
        MONITOR.notifyAll();
      }
    }
  }

  /**
   * Waits until something in {@code snapshot} changed. In an ordered run, also returns when the
   * task becomes the oldest: then nothing older can change what it read, and a retry that still
   * finds nothing changed would wait forever.
   */
  static void await(ReadSet snapshot, CommitGate gate, long ticket) {
    boolean worker = Thread.currentThread() instanceof TxnThread;
    boolean interrupted = false;
    WAITING.incrementAndGet();
    try {
      for (; ; ) {
        if (snapshot.anyChanged()) {
          return;
        }
        if (gate != null) {
          if (gate.handBack(ticket)) {
            throw ControlSignal.HAND_BACK;
          }
          if (gate.isOrdered() && gate.isTurn(ticket)) {
            return;
          }
        }
        try {
          synchronized (MONITOR) {
            MONITOR.wait(1);
          }
        } catch (InterruptedException e) {
          if (!worker) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting in Ame.retry()");
          }
          interrupted = true; // a worker's interrupt belongs to the task code, not to the wait
        }
      }
    } finally {
      WAITING.decrementAndGet();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
