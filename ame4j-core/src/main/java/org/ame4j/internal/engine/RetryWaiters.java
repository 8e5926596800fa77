package org.ame4j.internal.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CancellationException;

/**
 * Blocking {@code retry()} (Harris et al., "Composable memory transactions", 2005; AME's
 * {@code blockUntil}): a rolled-back transaction waits until some record it had read changes.
 *
 * <p>Waiters poll their saved read set; committers wake them only when someone waits (one
 * volatile read on the commit path). A wake-up that races with a waiter going to sleep is
 * caught by the bounded sleep (1 ms), so a change is never missed, only noticed late.
 *
 * <p>The count every writing commit reads is a static field padded on both sides, not an
 * {@code AtomicInteger}: such an object lies wherever the thread that first used this class
 * allocated it, possibly in a line some worker writes per task, and then every other worker's
 * commit would miss on it (DESIGN-NOTES, "What two workers share per task").
 */
final class RetryWaiters {
  private static final VarHandle WAITING;

  static {
    try {
      WAITING = MethodHandles.lookup().findStaticVarHandle(RetryWaiters.class, "waiting", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  // HotSpot lays a class's static primitives out by size, longs first, then ints, each size in
  // declaration order: 64 bytes of longs before the count and 64 of ints after it.
  @SuppressWarnings("unused") private static long p01, p02, p03, p04, p05, p06, p07, p08;
  /** Threads in {@link #await}; read by every writing commit. */
  private static volatile int waiting;
  @SuppressWarnings("unused") private static int q01, q02, q03, q04, q05, q06, q07, q08;
  @SuppressWarnings("unused") private static int q09, q10, q11, q12, q13, q14, q15, q16;

  private static final Object MONITOR = new Object();

  private RetryWaiters() {}

  static void commitHappened() {
    if (waiting > 0) {
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
    WAITING.getAndAdd(1);
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
      WAITING.getAndAdd(-1);
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
