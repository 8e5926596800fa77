package org.ame4j.internal.engine;

import java.util.HashMap;
import java.util.Map;

/**
 * Counters of one descriptor, written only by its own thread (plain fields: no contended
 * cache line on the commit path). Read by {@link TxnRegistry#total()}: exact once the writing
 * threads have been joined, as {@code TransactionQueue.run()} does; a live snapshot may lag.
 */
final class TxnStats {
  long commits;
  final long[] aborts = new long[4]; // indexed by AbortKind ordinal
  long failures;
  long inevitable;
  /** Of {@link #inevitable}: forced after {@code ame4j.maxAborts} aborts (the progress rule). */
  long inevitableAfterAborts;
  long abortedNanos;
  /** Where transactions became inevitable: "Class.method(File.java:line)" to count. */
  final Map<String, Long> inevitableSites = new HashMap<>();

  synchronized void recordInevitableSite(String site) {
    inevitableSites.merge(site, 1L, Long::sum);
  }

  synchronized void addAll(TxnStats other) {
    Map<String, Long> sites;
    synchronized (other) {
      sites = new HashMap<>(other.inevitableSites);
    }
    commits += other.commits;
    for (int i = 0; i < aborts.length; i++) {
      aborts[i] += other.aborts[i];
    }
    failures += other.failures;
    inevitable += other.inevitable;
    inevitableAfterAborts += other.inevitableAfterAborts;
    abortedNanos += other.abortedNanos;
    sites.forEach((k, v) -> inevitableSites.merge(k, v, Long::sum));
  }

  synchronized void clear() {
    commits = 0;
    java.util.Arrays.fill(aborts, 0);
    failures = 0;
    inevitable = 0;
    inevitableAfterAborts = 0;
    abortedNanos = 0;
    inevitableSites.clear();
  }
}
