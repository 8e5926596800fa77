package org.ame4j;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.ame4j.testkit.Progress;

/**
 * Small helpers shared by the engine tests.
 *
 * <p>Nothing here is timed: the only time limits are bounded waits that turn a hang into a
 * failure (a lost wake-up or a deadlock must fail the build, never stall it).
 */
final class TestUtil {
  /** Worker counts the issue asks for. */
  static final int[] WORKERS = {1, 2, 4, 8};

  /** Long randomized runs: {@code mvn -Pstress test} (sets {@code -Dame4j.stress=true}). */
  static final boolean STRESS = Boolean.getBoolean("ame4j.stress");

  /** Upper bound for any wait on another thread: far above any legitimate duration. */
  static final long HANG_SECONDS = 60;

  private TestUtil() {}

  static int scale(int normal, int stress) {
    return STRESS ? stress : normal;
  }

  /** A strong 64-bit mixer (SplitMix64 finaliser over a combination of both inputs). */
  static long mix(long a, long b) {
    long z = a * 0x9E3779B97F4A7C15L + b + 0x632BE59BD9B4E019L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Throws any throwable, checked ones included, without declaring it. */
  @SuppressWarnings("unchecked")
  static <T extends Throwable> RuntimeException sneakyThrow(Throwable t) throws T {
    throw (T) t;
  }

  private static volatile long sink;

  /** Burns a little CPU so that transactions overlap (not a timing assumption, just a widener). */
  static void spin(int iterations) {
    long x = sink;
    for (int i = 0; i < iterations; i++) {
      x = x * 6364136223846793005L + 1442695040888963407L;
    }
    sink = x;
  }

  /**
   * Busy-waits for about {@code micros} microseconds of wall time: unlike {@link #spin}, the JIT
   * cannot shorten it, so a test that needs tasks to last (to give every worker thread time to
   * be scheduled on a 2-core machine) gets that on every JDK.
   */
  static void busyMicros(long micros) {
    long end = System.nanoTime() + micros * 1_000L;
    while (System.nanoTime() < end) {
      Thread.onSpinWait();
    }
  }

  /** Recurses until the stack overflows. */
  static int recurse(int depth) {
    return recurse(depth + 1) + 1;
  }

  /** Recurses until the stack overflows, reading and writing a transactional cell at each level. */
  static int recurseThroughBarriers(IntRef cell, int depth) {
    cell.set(cell.get() + 1);
    return recurseThroughBarriers(cell, depth + 1) + 1;
  }

  /** Waits on a latch, failing (instead of hanging) if it is not opened in time. */
  static void await(CountDownLatch latch, String what) {
    try {
      if (!latch.await(HANG_SECONDS, TimeUnit.SECONDS)) {
        fail("timed out (hang) waiting for: " + what);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail("interrupted waiting for: " + what);
    }
  }

  /**
   * {@code q.run(workers)} with a bound: if no queued task has started for {@code bound} seconds
   * (on a free machine, {@link org.ame4j.testkit.Patience}: a hang, or a livelock that makes no useful progress),
   * the run's thread is interrupted, which must cancel the run, so that no abandoned run keeps
   * working in the background and disturbs the tests after this one, and the test fails with a
   * thread dump. A bound of minutes for work of milliseconds: not a speed assertion; and a run
   * that keeps starting tasks is slow, not hung (the {@code -Xcomp} execution at load 60 took
   * over 30 s for 1,000 ordered tasks). Whatever {@code run} throws is rethrown unchanged.
   */
  static void runBounded(TransactionQueue q, int workers, long bound) {
    long seconds = STRESS ? 20 * bound : bound; // stress runs are 10-25 times larger
    java.util.concurrent.atomic.AtomicReference<Throwable> error =
        new java.util.concurrent.atomic.AtomicReference<>();
    Thread t =
        new Thread(
            () -> {
              try {
                q.run(workers);
              } catch (Throwable e) {
                error.set(e);
              }
            },
            "bounded-run");
    t.setDaemon(true);
    t.start();
    try {
      String hung = Progress.joinAll(List.of(t), q::size, seconds);
      if (hung != null) {
        int left = q.size();
        t.interrupt();
        t.join(TimeUnit.SECONDS.toMillis(HANG_SECONDS));
        fail("run(" + workers + "): " + left + " tasks still queued (hang or livelock)"
            + (t.isAlive() ? "; the run also ignored the interrupt" : "") + "; " + hung);
      }
    } catch (InterruptedException e) {
      t.interrupt();
      Thread.currentThread().interrupt();
      fail("interrupted");
    }
    Throwable e = error.get();
    if (e instanceof RuntimeException) {
      throw (RuntimeException) e;
    }
    if (e instanceof Error) {
      throw (Error) e;
    }
  }

  /**
   * Plain threads that record every throwable they die with, so that a failure inside a thread
   * fails the test instead of being printed and forgotten.
   */
  static final class Threads {
    private final List<Thread> threads = new ArrayList<>();
    private final ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();

    Thread start(String name, Runnable body) {
      Thread t =
          new Thread(
              () -> {
                try {
                  body.run();
                } catch (Throwable e) {
                  errors.add(e);
                }
              },
              name);
      t.setDaemon(true); // a hung thread must not keep the test JVM alive
      threads.add(t);
      t.start();
      return t;
    }

    /** Joins every thread (bounded), then rethrows the first error any of them died with. */
    void joinAll() {
      joinAll(() -> 0);
    }

    /**
     * {@link #joinAll()} for threads that report their progress (rounds done, say): a thread
     * still running counts as hung only if {@code progress} did not move for {@link
     * #HANG_SECONDS} (on a free machine: {@link Progress}). A long stress run on a loaded machine
     * may take longer than the bound, but then it is slow, not hung. A hang fails with a thread
     * dump.
     */
    void joinAll(LongSupplier progress) {
      try {
        String hung = Progress.joinAll(threads, progress, HANG_SECONDS);
        assertNull(hung, hung);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted while joining threads");
      }
      Throwable first = errors.peek();
      if (first != null) {
        AssertionError e = new AssertionError("a thread failed: " + first, first);
        errors.stream().skip(1).forEach(e::addSuppressed);
        throw e;
      }
    }
  }
}
