package org.ame4j.testkit;

import java.util.List;
import java.util.function.LongSupplier;

/**
 * Waiting for threads that report progress (bytes moved, rounds done): they are hung only when
 * <em>nothing</em> moved for a while, not when the whole takes longer than some bound. A stress
 * test on a loaded machine may take ten times its quiet duration and still be fine; a deadlock
 * moves nothing, and is reported with a thread dump ({@link ThreadDumps#ofThisJvm}).
 *
 * <p>Guarantees: returns only when every thread has ended or when {@code progress} stood still
 * for {@code stallSeconds} on a free machine ({@link Patience}: longer on a loaded one). Does
 * not guarantee an overall bound: a test that keeps moving, however slowly, is waited for.
 */
public final class Progress {
  private Progress() {}

  /**
   * Joins {@code threads} in order while {@code progress} keeps moving; null once all have
   * ended, else a failure message naming the thread still running, the stall and a thread dump.
   */
  public static String joinAll(List<Thread> threads, LongSupplier progress, double stallSeconds)
      throws InterruptedException {
    long seen = progress.getAsLong();
    Patience stall = Patience.of(stallSeconds);
    for (Thread t : threads) {
      while (t.isAlive()) {
        t.join(1_000);
        long now = progress.getAsLong();
        if (now != seen) {
          seen = now;
          stall = Patience.of(stallSeconds);
        } else if (t.isAlive() && stall.exhausted()) {
          return "no progress (" + seen + ") for " + stall.describe() + " while " + t.getName()
              + " still ran\n" + ThreadDumps.ofThisJvm();
        }
      }
    }
    return null;
  }
}
