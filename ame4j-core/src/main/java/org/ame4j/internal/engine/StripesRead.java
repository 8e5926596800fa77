package org.ame4j.internal.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The exact set of read-only stripes a descriptor's attempts read unchecked (issue 14, session
 * 14): one bit per stripe ({@value ArrayStripes#COUNT} bits, {@link Txn#stripesRead}), so that a
 * turner waits only for attempts that read a stripe of its own, not for every attempt with the
 * same {@code stripe & 63} bit of {@link Txn#uncheckedStripes}.
 *
 * <p><b>Why.</b> A coarse task reads many read-only arrays: a k-means block reads 1,000 point
 * rows of random stripes, so its 64-bit mask has every bit, and every turn of the next queue run
 * (the shared sums' rows, the counts, cooled at the run's end) waited for the other worker's
 * whole task and then asked it to abort. With the exact set, the task's 1,000 rows are about 6 %
 * of the stripes: a turn of a sums row waits for it about one time in sixteen.
 *
 * <p><b>What it guarantees.</b> The same Dekker order as the mask: a reader publishes its bit
 * (a volatile store of the bit's word) before it loads the stripe's published bit, the turner
 * publishes the stripe before it loads each running attempt's word of the stripe (volatile). The
 * set is a superset of what the running attempt read unchecked: bits are kept across attempts
 * ({@link Txn#STICKY_STRIPES}) and cleared with the mask, when an attempt ends after a grace
 * period started ({@link #clear}). Only the descriptor's own thread stores to its set.
 *
 * <p>What it costs: 2 KiB per descriptor, one more load in the read fast path ({@link #has}: the
 * set's word instead of the mask, a field the fast path loads anyway), and at a clearing one store
 * per word that may hold a bit (up to 256 for a task that read rows of every word; a few for
 * tasks that read a few arrays). On with {@code -Dame4j.exactStripes=true}; off (the default), the
 * mask alone, as before.
 */
final class StripesRead {
  /**
   * {@code ame4j.exactStripes} (default false): the exact set; false: the 64-bit mask only. Off
   * by default: on two workers it saved CPU on coarse k-means (0.73), but every one-worker pair
   * measured (kmeans-local, kmeans, sssp) was a little slower with it, under heavy load (the
   * agent's DESIGN-NOTES, issue 14, session 14).
   */
  static final boolean ON = Boolean.parseBoolean(System.getProperty("ame4j.exactStripes", "false"));

  static final int WORDS = ArrayStripes.COUNT / 64;

  private static final VarHandle WORD = MethodHandles.arrayElementVarHandle(long[].class);

  private StripesRead() {}

  /** A new descriptor's set: null when off. */
  static long[] newSet() {
    return ON ? new long[WORDS] : null;
  }

  /**
   * True if {@code tx}'s bit of stripe {@code s} is published already (this attempt or an earlier
   * one of the descriptor since the last clearing noted it). Small: inlined in the read fast path.
   */
  static boolean has(Txn tx, int s) {
    if (ON) {
      return (tx.stripesRead[s >>> 6] & (1L << s)) != 0;
    }
    return (tx.uncheckedStripes & (1L << s)) != 0;
  }

  /** Publishes {@code tx}'s bit of stripe {@code s} (a volatile store: the reader's Dekker half). */
  static void note(Txn tx, int s) {
    long[] set = tx.stripesRead;
    int j = s >>> 6;
    tx.stripesReadWords |= 1L << j; // which words a clearing must zero (bit j & 63)
    WORD.setVolatile(set, j, set[j] | 1L << s);
  }

  /** True if {@code other}'s set has stripe {@code s} (a volatile load: the turner's half). */
  static boolean mayHave(Txn other, int s) {
    return ((long) WORD.getVolatile(other.stripesRead, s >>> 6) & (1L << s)) != 0;
  }

  /**
   * Empties {@code tx}'s set, by its owner at the end of an attempt, before its status says idle:
   * nothing of the attempt reads after it. Plain stores: a turner that still sees a bit waits a
   * little longer for an attempt that is ending anyway.
   */
  static void clear(Txn tx) {
    long[] set = tx.stripesRead;
    for (long words = tx.stripesReadWords; words != 0; words &= words - 1) {
      for (int j = Long.numberOfTrailingZeros(words); j < WORDS; j += 64) {
        set[j] = 0;
      }
    }
    tx.stripesReadWords = 0;
  }

  /** Test-only: as if {@code tx}'s descriptor had not read stripe {@code s} since the last clearing. */
  static void forgetForTesting(Txn tx, int s) {
    tx.uncheckedStripes &= ~(1L << s);
    if (ON) {
      tx.stripesRead[s >>> 6] &= ~(1L << s);
    }
  }
}
