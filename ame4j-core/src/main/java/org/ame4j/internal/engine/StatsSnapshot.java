package org.ame4j.internal.engine;

import java.util.Map;

/** Plain totals of every descriptor's counters, for {@code Ame.stats()}. */
public record StatsSnapshot(
    long commits,
    long[] aborts,
    long failures,
    long inevitable,
    long inevitableAfterAborts,
    long abortedNanos,
    Map<String, Long> inevitableSites) {

  public static StatsSnapshot take() {
    TxnStats t = TxnRegistry.total();
    return new StatsSnapshot(
        t.commits, t.aborts.clone(), t.failures, t.inevitable, t.inevitableAfterAborts, t.abortedNanos,
        Map.copyOf(t.inevitableSites));
  }

  /** {@code ame4j.maxAborts}: aborts after which a transaction re-runs inevitable. */
  public static int maxAborts() {
    return Atomically.MAX_ABORTS;
  }

  public static void reset() {
    TxnRegistry.reset();
  }
}
