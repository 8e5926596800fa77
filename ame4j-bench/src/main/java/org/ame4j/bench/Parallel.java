package org.ame4j.bench;

/**
 * Runs {@code n} contiguous slices of {@code [0, count)} on {@code n} fresh platform threads and
 * waits for all of them: the "program that already has threads" side of the comparisons. Like
 * {@code TransactionQueue.run(n)}, the calling thread only waits, so every system runs its work on
 * exactly {@code n} threads. Thread start-up (tens of microseconds) is negligible against runs of
 * hundreds of milliseconds.
 */
final class Parallel {
  interface Slice {
    void run(int from, int to);
  }

  private Parallel() {}

  static void run(int n, int count, Slice slice) {
    Thread[] threads = new Thread[n];
    Throwable[] failure = new Throwable[1];
    for (int i = 0; i < n; i++) {
      int lo = (int) ((long) count * i / n);
      int hi = (int) ((long) count * (i + 1) / n);
      threads[i] = new Thread(() -> slice.run(lo, hi), "bench-worker-" + i);
      threads[i].setUncaughtExceptionHandler((t, e) -> {
        synchronized (failure) {
          if (failure[0] == null) {
            failure[0] = e;
          }
        }
      });
      threads[i].start();
    }
    for (Thread t : threads) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for workers", e);
      }
    }
    synchronized (failure) {
      if (failure[0] != null) {
        throw new IllegalStateException("a worker failed", failure[0]);
      }
    }
  }
}
