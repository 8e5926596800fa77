package org.ame4j.internal.engine;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * Test-only switches that break the engine on purpose, so that the history checker's tests can
 * show it finds the anomalies a real bug would cause (a checker that never fails proves nothing).
 * Never set them in production: with either of the first two, transactions are no longer
 * serializable.
 *
 * <ul>
 *   <li>{@code ame4j.test.skipReadValidation=true}: a read set is always considered valid, at
 *       snapshot extension and at commit: lost updates, write skew and read skew get through.
 *   <li>{@code ame4j.test.releaseLocksEarly=true}: a committing writer releases its locks
 *       <em>before</em> it validates its reads, so when validation then fails, other transactions
 *       may already have read (and built on) values that are rolled back: aborted reads. One
 *       commit in four then parks for about 100 microseconds before it validates, so that the
 *       other workers meet the exposed values on a loaded machine too (on 2 cores at load 80 the
 *       bare window took 184-198 runs of {@code BrokenEngineIT}'s budget of 200 to show).
 *   <li>{@code ame4j.test.stallUncheckedReads=true} breaks nothing: it widens a race window. An
 *       attempt about to read a read-only array unchecked for the first time sometimes parks for
 *       a fraction of a millisecond between finding the stripe read-only and publishing its
 *       stripe bit ({@link Txn#noteUnchecked}), where a preempted reader met a turn in issue 18
 *       ({@link ArrayTurns}). The engine must stay correct; a workload run with it meets the
 *       turn's races thousands of times more often than preemption alone makes them.
 * </ul>
 *
 * <p>Each property is read once into a {@code static final}: when off (the default), the JIT
 * folds the test away and the engine pays nothing.
 */
final class BrokenForTesting {
  static final boolean SKIP_READ_VALIDATION = Boolean.getBoolean("ame4j.test.skipReadValidation");
  static final boolean RELEASE_LOCKS_EARLY = Boolean.getBoolean("ame4j.test.releaseLocksEarly");
  static final boolean STALL_UNCHECKED_READS = Boolean.getBoolean("ame4j.test.stallUncheckedReads");

  /** One time in four, parks the calling thread for about 100 microseconds. */
  static void maybeStall() {
    if (ThreadLocalRandom.current().nextInt(4) == 0) {
      LockSupport.parkNanos(100_000L);
    }
  }

  private BrokenForTesting() {}
}
