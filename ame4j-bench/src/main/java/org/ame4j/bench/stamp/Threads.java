package org.ame4j.bench.stamp;

import org.ame4j.TransactionQueue;

/**
 * Runs {@code n} contiguous slices of {@code [0, count)} on {@code n} fresh platform threads and
 * waits for all of them. Like {@code TransactionQueue.run(n)}, the calling thread only waits, so
 * every variant runs its work on exactly {@code n} threads. Also holds the per-thread attempt
 * counters of the cells variants.
 */
public final class Threads {
  /** What one thread runs: the slice {@code [lo, hi)}, as thread {@code t}. */
  public interface Slice {
    void run(int t, int lo, int hi);
  }

  private Threads() {}

  public static void run(int n, int count, Slice slice) {
    if (n == 1) {
      slice.run(0, 0, count); // the sequential case: no thread hand-off to time
      return;
    }
    Thread[] threads = new Thread[n];
    Throwable[] failure = new Throwable[1];
    for (int i = 0; i < n; i++) {
      int t = i;
      int lo = (int) ((long) count * i / n);
      int hi = (int) ((long) count * (i + 1) / n);
      threads[i] = new Thread(() -> slice.run(t, lo, hi), "stamp-worker-" + i);
      threads[i].setUncaughtExceptionHandler((th, e) -> {
        synchronized (failure) {
          if (failure[0] == null) {
            failure[0] = e;
          }
        }
      });
      threads[i].start();
    }
    for (Thread th : threads) {
      try {
        th.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for workers", e);
      }
    }
    synchronized (failure) {
      if (failure[0] instanceof Error e) {
        throw e;
      }
      if (failure[0] != null) {
        throw new IllegalStateException("a worker failed", failure[0]);
      }
    }
  }

  /** A queue of {@code count} tasks, one per operation index (the automatic variant). */
  public static TransactionQueue queue(int count, java.util.function.IntFunction<Runnable> task) {
    TransactionQueue q = new TransactionQueue();
    for (int i = 0; i < count; i++) {
      q.add(task.apply(i));
    }
    return q;
  }

  /**
   * Per-thread counters of atomic-block bodies started, padded so that two threads' counters
   * never share a cache line (a shared line would add a coherence miss to every attempt).
   */
  public static final class Attempts {
    private static final int STRIDE = 16; // 16 longs = 128 bytes
    private final long[] counts;

    public Attempts(int threads) {
      counts = new long[(threads + 1) * STRIDE];
    }

    /** Called at the start of every body execution, by thread {@code t}. */
    public void hit(int t) {
      counts[(t + 1) * STRIDE]++;
    }

    public long total() {
      long s = 0;
      for (int i = STRIDE; i < counts.length; i += STRIDE) {
        s += counts[i];
      }
      return s;
    }
  }

  /**
   * One parallel phase of a plain-code variant: {@code count} operations {@code op(i)}, run as
   * the sequential loop, as one task each under the agent, or on {@code threads} threads under
   * one global lock.
   */
  public static void plainPhase(Variant v, int threads, int count, java.util.function.IntConsumer op,
      Object lock) {
    switch (v) {
      case SEQUENTIAL -> {
        for (int i = 0; i < count; i++) {
          op.accept(i);
        }
      }
      case AME_AUTO -> queue(count, i -> () -> op.accept(i)).run(threads);
      default -> run(threads, count, (t, lo, hi) -> {
        for (int i = lo; i < hi; i++) {
          synchronized (lock) {
            op.accept(i);
          }
        }
      });
    }
  }
}
