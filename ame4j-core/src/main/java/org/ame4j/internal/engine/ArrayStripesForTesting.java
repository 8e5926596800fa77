package org.ame4j.internal.engine;

/**
 * Test-only entry points into the array stripes ({@link ArrayStripes}), for tests outside this
 * package that need the read-only to written turn ({@link ArrayTurns}) to happen again and
 * again: outside queue runs (which cool the stripes they wrote, {@link StripeCooling}) a stripe
 * turns written once for the life of the JVM, so a long test run would otherwise
 * meet the turn only in its first minute. Never for production: a reset forgets which arrays
 * transactions have written, which is safe only while no transaction runs.
 */
public final class ArrayStripesForTesting {
  private ArrayStripesForTesting() {}

  /**
   * Puts every stripe back to read-only and returns how many were published before. Call it only
   * while no transaction attempt runs and none can start before it returns (between two runs of
   * a test's workload); it throws {@link IllegalStateException} if it finds an attempt running.
   */
  public static int resetToReadOnly() {
    return ArrayStripes.resetForTesting();
  }

  /**
   * Grace periods started so far in this JVM: one per turn of a stripe from read-only to written
   * (a turner that aborts mid-grace and its successor count twice), whatever cooled since.
   */
  public static long turns() {
    return ArrayTurns.started();
  }

  /** How many stripes are published now: turned written (or being turned) since the last reset. */
  public static int published() {
    return ArrayStripes.publishedCount();
  }
}
