package org.ame4j.internal.engine;

import java.util.HashMap;
import java.util.Map;

/**
 * Counters of one descriptor, written only by its own thread (plain fields: no contended
 * cache line on the commit path). Read by {@link TxnRegistry#total()}: exact once the writing
 * threads have been joined, as {@code TransactionQueue.run()} does; a live snapshot may lag.
 *
 * <p>The one way statistics leave the engine: {@link #total()} sums every descriptor into a
 * fresh object that no thread writes, and the API ({@code org.ame4j.Stats}) reads it through the
 * accessors below.
 */
public final class TxnStats extends LinePadding {
  /** Committed tasks and blocks: a transaction that ran k queue tasks ({@link TaskBatch}) counts k. */
  long commits;
  /** Committed transactions: fewer than {@link #commits} when tasks shared one. */
  long transactions;
  final long[] aborts = new long[4]; // indexed by AbortKind ordinal
  long failures;
  long inevitable;
  /** Of {@link #inevitable}: forced after {@code ame4j.maxAborts} aborts (the progress rule). */
  long inevitableAfterAborts;
  /** Of {@link #inevitable}: long readers that became inevitable in place ({@code Txn}). */
  long heldLongReaders;
  /** Long readers' re-runs that paused other writers' commits ({@link CommitPause}). */
  long pausedReaders;
  /** Ordered runs: commits done by the committer of the predecessor ({@code TurnHandOver}). */
  long turnHandOvers;
  long abortedNanos;
  /**
   * Waits for a peer's lock past the spin ({@code Txn.waitForOwner}): a diagnostic count, not
   * summed into {@code org.ame4j.Stats}.
   */
  long ownerWaits;
  /**
   * Of {@link #ownerWaits}: those that ran out of their budget, and those that ended at once
   * because the owner waited for this descriptor (a cycle, {@code Txn.waitForOwner}).
   */
  long ownerWaitTimeouts;
  long ownerWaitCycles;
  /**
   * Rounds of the engine's waits for a peer ({@link Backoff#await}) that spun, yielded or
   * parked, and wake-ups this descriptor gave a parked waiter when its attempt ended: diagnostic
   * counts (a peer's preemption shows as parks, not spins), not in {@code org.ame4j.Stats}.
   */
  long waitSpins;
  long waitYields;
  long waitParks;
  long waitWakeups;
  /**
   * Writers that waited for another descriptor's commit pause before their first lock
   * ({@code Txn.acquire}, {@code ame4j.longReader.waitBeforeLock}), and long readers whose
   * in-place pause found a changed read ({@code Txn.pauseInPlace}): diagnostic counts, not in
   * {@code org.ame4j.Stats}.
   */
  long pauseWaitsBeforeLock;
  long pausesLost;
  /**
   * In-place pauses taken at {@code ame4j.longReader.earlyReads} by a predicted long reader, and
   * those of them that ended below {@code ame4j.longReader.reads} reads (false predictions):
   * diagnostic counts ({@code Txn#noteLongReader}), not in {@code org.ame4j.Stats}.
   */
  long earlyPauses;
  long earlyPausesShort;
  /** Where transactions became inevitable: "Class.method(File.java:line)" to count. */
  final Map<String, Long> inevitableSites = new HashMap<>();

  /** The sum of every descriptor's counters, live or retired, as a fresh object. */
  public static TxnStats total() {
    return TxnRegistry.total();
  }

  /** Zeroes every descriptor's counters and the conflict records (a clean slate). */
  public static void resetAll() {
    TxnRegistry.reset();
    org.ame4j.internal.diag.Conflicts.reset();
  }

  public synchronized long commits() {
    return commits;
  }

  public synchronized long transactions() {
    return transactions;
  }

  public synchronized long aborts(AbortKind kind) {
    return aborts[kind.ordinal()];
  }

  /** Aborts of every kind. */
  public synchronized long aborts() {
    long sum = 0;
    for (long a : aborts) {
      sum += a;
    }
    return sum;
  }

  public synchronized long failures() {
    return failures;
  }

  public synchronized long inevitable() {
    return inevitable;
  }

  /** Of {@link #inevitable()}: re-runs forced by {@code ame4j.maxAborts} (the progress rule). */
  public synchronized long inevitableAfterAborts() {
    return inevitableAfterAborts;
  }

  /** Of {@link #inevitable()}: long readers that became inevitable in place, without an abort. */
  public synchronized long heldLongReaders() {
    return heldLongReaders;
  }

  /** Long readers' re-runs that paused other writers' commits instead of running inevitable. */
  public synchronized long pausedReaders() {
    return pausedReaders;
  }

  /** Ordered runs: commits done by the committer of the task's predecessor ({@code TurnHandOver}). */
  public synchronized long turnHandOvers() {
    return turnHandOvers;
  }

  /** {@code ame4j.maxAborts}: aborts after which a transaction re-runs inevitable. */
  public static int maxAborts() {
    return Atomically.MAX_ABORTS;
  }

  public synchronized long abortedNanos() {
    return abortedNanos;
  }

  /** Where transactions became inevitable ({@code "Class.method(File.java:line)"}), a copy. */
  public synchronized Map<String, Long> inevitableSites() {
    return Map.copyOf(inevitableSites);
  }

  synchronized void recordInevitableSite(String site) {
    inevitableSites.merge(site, 1L, Long::sum);
  }

  synchronized void addAll(TxnStats other) {
    Map<String, Long> sites;
    synchronized (other) {
      sites = new HashMap<>(other.inevitableSites);
    }
    commits += other.commits;
    transactions += other.transactions;
    for (int i = 0; i < aborts.length; i++) {
      aborts[i] += other.aborts[i];
    }
    failures += other.failures;
    inevitable += other.inevitable;
    inevitableAfterAborts += other.inevitableAfterAborts;
    heldLongReaders += other.heldLongReaders;
    pausedReaders += other.pausedReaders;
    turnHandOvers += other.turnHandOvers;
    abortedNanos += other.abortedNanos;
    ownerWaits += other.ownerWaits;
    ownerWaitTimeouts += other.ownerWaitTimeouts;
    ownerWaitCycles += other.ownerWaitCycles;
    waitSpins += other.waitSpins;
    waitYields += other.waitYields;
    waitParks += other.waitParks;
    waitWakeups += other.waitWakeups;
    pauseWaitsBeforeLock += other.pauseWaitsBeforeLock;
    pausesLost += other.pausesLost;
    earlyPauses += other.earlyPauses;
    earlyPausesShort += other.earlyPausesShort;
    sites.forEach((k, v) -> inevitableSites.merge(k, v, Long::sum));
  }

  synchronized void clear() {
    commits = 0;
    transactions = 0;
    java.util.Arrays.fill(aborts, 0);
    failures = 0;
    inevitable = 0;
    inevitableAfterAborts = 0;
    heldLongReaders = 0;
    pausedReaders = 0;
    turnHandOvers = 0;
    abortedNanos = 0;
    ownerWaits = 0;
    ownerWaitTimeouts = 0;
    ownerWaitCycles = 0;
    waitSpins = 0;
    waitYields = 0;
    waitParks = 0;
    waitWakeups = 0;
    pauseWaitsBeforeLock = 0;
    pausesLost = 0;
    earlyPauses = 0;
    earlyPausesShort = 0;
    inevitableSites.clear();
  }

  // ---- trailing padding: declared last (LinePadding, "The other end") ----------------------
  @SuppressWarnings("unused") private Object t00, t01, t02, t03, t04, t05, t06, t07;
  @SuppressWarnings("unused") private Object t08, t09, t10, t11, t12, t13, t14, t15;
  @SuppressWarnings("unused") private Object t16, t17, t18, t19, t20, t21, t22, t23;
  @SuppressWarnings("unused") private Object t24, t25, t26, t27, t28, t29, t30, t31;
}
