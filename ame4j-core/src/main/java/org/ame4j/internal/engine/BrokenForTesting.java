package org.ame4j.internal.engine;

/**
 * Test-only switches that break the engine on purpose, so that the history checker's tests can
 * show it finds the anomalies a real bug would cause (a checker that never fails proves nothing).
 * Never set them in production: with either one, transactions are no longer serializable.
 *
 * <ul>
 *   <li>{@code ame4j.test.skipReadValidation=true}: a read set is always considered valid, at
 *       snapshot extension and at commit: lost updates, write skew and read skew get through.
 *   <li>{@code ame4j.test.releaseLocksEarly=true}: a committing writer releases its locks
 *       <em>before</em> it validates its reads, so when validation then fails, other transactions
 *       may already have read (and built on) values that are rolled back: aborted reads.
 * </ul>
 *
 * <p>Each property is read once into a {@code static final}: when off (the default), the JIT
 * folds the test away and the engine pays nothing.
 */
final class BrokenForTesting {
  static final boolean SKIP_READ_VALIDATION = Boolean.getBoolean("ame4j.test.skipReadValidation");
  static final boolean RELEASE_LOCKS_EARLY = Boolean.getBoolean("ame4j.test.releaseLocksEarly");

  private BrokenForTesting() {}
}
