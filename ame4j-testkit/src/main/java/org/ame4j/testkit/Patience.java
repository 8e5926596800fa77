package org.ame4j.testkit;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A test's time limit that a busy machine stretches and a hang does not: {@code seconds} is what
 * the wait may take on a free machine; while the machine is loaded, each second of wall time
 * counts as {@code 1 / max(1, load average / cores)} of a second. On the shared 2-core machine
 * at load average 50, a limit of 120 s therefore lasts about 50 minutes; at load 1 it lasts
 * 120 s. A hang (a deadlock, a lost wake-up, a child that never ends) still runs out, at most a
 * load-proportional while later, and whoever waits says so with the numbers ({@link #describe})
 * and, where it can, a thread dump ({@link ThreadDumps}).
 *
 * <p>Why not a fixed limit: the JIT stress flags, Maven's own JVMs and seven other builds on two
 * cores made fixed limits of 30-120 s fail tests that were slow, not stuck (load 50+), and a
 * limit long enough for that hides a hang for as long on a free machine. Why the load average:
 * it is the number of threads that want a core, so {@code load / cores} is how many times
 * longer a CPU-bound wait takes than on a free machine (the OS's 1-minute average; a niced test
 * gets less than its share, so it is a lower bound).
 *
 * <p>Guarantees: never exhausted before {@code seconds} of wall time. Does not guarantee a
 * bound on a machine whose load keeps growing; {@code ame4j.test.patienceScale} (a number,
 * default 1) multiplies every limit, e.g. for a very slow machine. Not thread-safe: one waiter.
 */
public final class Patience {
  /** Multiplies every limit ({@code -Dame4j.test.patienceScale=3}); 1 by default. */
  static final double SCALE = Double.parseDouble(System.getProperty("ame4j.test.patienceScale", "1"));

  private static final OperatingSystemMXBean OS = ManagementFactory.getOperatingSystemMXBean();
  private static final int CORES = Runtime.getRuntime().availableProcessors();

  private final double seconds;
  private final long start = System.nanoTime();
  private long last = start;
  private double used;
  private double maxLoad;

  private Patience(double seconds) {
    if (!(seconds > 0)) {
      throw new IllegalArgumentException("a limit must be positive: " + seconds + " s");
    }
    this.seconds = seconds * SCALE;
  }

  /** A limit of {@code seconds} on a free machine, starting now. */
  public static Patience of(double seconds) {
    return new Patience(seconds);
  }

  /** How many times longer than on a free machine a wait takes now: {@code max(1, load / cores)}. */
  public static double loadFactor() {
    double load = OS.getSystemLoadAverage(); // negative where the OS has none: count it as free
    return Math.max(1.0, load / CORES);
  }

  /** Counts the wall time since the last call at the current load factor; true once used up. */
  public boolean exhausted() {
    long now = System.nanoTime();
    double load = OS.getSystemLoadAverage();
    maxLoad = Math.max(maxLoad, load);
    used += (now - last) / 1e9 / loadFactor();
    last = now;
    return used >= seconds;
  }

  /**
   * Waits until {@code done} holds (checked every {@code pollMillis}) or the limit is used up;
   * returns whether {@code done} held. Keeps the interrupt status.
   */
  public boolean await(BooleanSupplier done, long pollMillis) {
    while (!done.getAsBoolean()) {
      if (exhausted()) {
        return done.getAsBoolean();
      }
      try {
        TimeUnit.MILLISECONDS.sleep(pollMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return done.getAsBoolean();
      }
    }
    return true;
  }

  /** Waits for {@code p} to end within the limit; true if it did. */
  public boolean await(Process p) throws InterruptedException {
    while (!p.waitFor(1, TimeUnit.SECONDS)) {
      if (exhausted()) {
        return false;
      }
    }
    return true;
  }

  /** Waits for {@code t} to end within the limit; true if it did. */
  public boolean join(Thread t) throws InterruptedException {
    while (t.isAlive()) {
      t.join(1_000);
      if (t.isAlive() && exhausted()) {
        return false;
      }
    }
    return true;
  }

  /**
   * For failure messages: {@code "120 s on a free machine (waited 843 s of wall time, load
   * average up to 31.5 on 2 cores)"}.
   */
  public String describe() {
    String limit = seconds == Math.rint(seconds) ? String.format("%.0f", seconds) : Double.toString(seconds);
    return String.format("%s s on a free machine (waited %.0f s of wall time, load average up to"
        + " %.1f on %d cores)", limit, (System.nanoTime() - start) / 1e9, maxLoad, CORES);
  }
}
