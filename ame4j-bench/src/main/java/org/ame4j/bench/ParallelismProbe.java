package org.ame4j.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * How much parallelism the machine gives right now: two threads spin for about a second each,
 * and the probe reports their CPU time divided by the wall time. Near 2.0 on a free machine with
 * two or more cores; on a shared machine, what is left for a two-worker run. Every two-worker
 * figure in the benchmark reports is printed with a probe taken in the same run, next to it, so
 * that a loaded machine cannot pass for a slow design (below about 1.6 a two-worker figure says
 * more about the machine than about ame4j, and the reports do not count it).
 *
 * <p>Measures thread CPU time ({@link ThreadMXBean#getThreadCpuTime}), not process CPU time, so
 * the probe's own JIT and GC do not count. Does not say which other process took the rest.
 */
public final class ParallelismProbe {
  /** Below this, a two-worker figure measured next to the probe is not reported. */
  public static final double MIN_FOR_TWO_WORKERS = 1.6;

  private ParallelismProbe() {}

  /** Spins two threads for {@code millis} and returns their CPU time / wall time (0.0 to 2.0). */
  public static double measure(long millis) {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long[] cpu = new long[2];
    long deadline = System.nanoTime() + millis * 1_000_000L;
    Thread[] threads = new Thread[2];
    for (int i = 0; i < 2; i++) {
      int k = i;
      threads[i] = new Thread(() -> {
        long c0 = mx.getCurrentThreadCpuTime();
        long x = 0;
        while (System.nanoTime() < deadline) {
          for (int j = 0; j < 1_000; j++) {
            x += j ^ (x >>> 3);
          }
        }
        cpu[k] = mx.getCurrentThreadCpuTime() - c0 + (x == 42 ? 1 : 0);
      }, "parallelism-probe-" + i);
    }
    long t0 = System.nanoTime();
    for (Thread t : threads) {
      t.start();
    }
    for (Thread t : threads) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Double.NaN;
      }
    }
    long wall = System.nanoTime() - t0;
    return (double) (cpu[0] + cpu[1]) / wall;
  }

  /** {@code java ParallelismProbe [millis]}: prints {@code probe=1.93}. */
  public static void main(String[] args) {
    long millis = args.length > 0 ? Long.parseLong(args[0]) : 1_000L;
    System.out.println(String.format(Locale.ROOT, "probe=%.2f", measure(millis)));
  }
}
