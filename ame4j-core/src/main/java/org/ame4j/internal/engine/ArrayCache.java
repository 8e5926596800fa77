package org.ame4j.internal.engine;

import java.util.Arrays;

/**
 * The arrays a transaction used lately, with their {@link ArrayRecords}, the array word the
 * running attempt logged for each and the number its read set gave them: a loop that walks a few
 * arrays at once (a graph's offsets, targets and weights and the distances) finds their records
 * without the weak table of {@link ArrayRecordTable}, logs a read-only array's word once per
 * attempt instead of once per element, and logs element words without a reference store.
 *
 * <p>Two-way set associative over the identity hash ({@value #SETS} sets): finding an entry is
 * the hash (a JIT intrinsic once the array has one), one or two reference compares and no loop,
 * so the barrier stays small enough for the JIT to inline into large loop bodies (a linear search
 * over 8 entries did not, and cost sssp half again its time on one worker). A miss moves the set's
 * first entry to the second way and takes the first.
 *
 * <p>What an entry logged is valid for one attempt only ({@link #epoch}, a long: it never wraps).
 * The arrays themselves are kept from one transaction to the next only in a queue worker's
 * descriptor ({@link #keepArrays}): a worker lives for one run, so it keeps at most
 * {@code 2 * SETS} arrays reachable for that long. Any other thread's descriptor lives as long as
 * its thread, so there the arrays go at the end of every attempt.
 */
final class ArrayCache {
  static final int SETS = 32;
  /** {@link #loggedWord} when the entry's array word is not in the read set of this attempt. */
  static final long NOT_LOGGED = -1L;
  /** {@link #number} when the entry's records have no number in this attempt's read set. */
  private static final int NO_NUMBER = -2;

  private final Object[] arrays = new Object[2 * SETS];
  private final ArrayRecords[] records = new ArrayRecords[2 * SETS];
  private final long[] logged = new long[2 * SETS];
  private final int[] numbers = new int[2 * SETS];
  /** The attempt for which {@link #logged} and {@link #numbers} hold, per entry. */
  private final long[] epochs = new long[2 * SETS];
  /** The running attempt; starts at 1 so that no entry is valid before it is filled. */
  private long epoch = 1;
  private boolean keep;
  private boolean filled;

  /** Keeps the arrays (not what was logged) across transactions: for a queue worker only. */
  void keepArrays() {
    keep = true;
  }

  /** The entry of {@code array} (not null), filling one if needed. */
  int find(Object array) {
    int h = System.identityHashCode(array);
    int e = ((h ^ (h >>> 16)) & (SETS - 1)) << 1;
    Object[] a = arrays;
    if (a[e] == array) {
      return e;
    }
    if (a[e + 1] == array) {
      return e + 1;
    }
    return fill(array, e);
  }

  private int fill(Object array, int e) {
    arrays[e + 1] = arrays[e];
    records[e + 1] = records[e];
    logged[e + 1] = logged[e];
    numbers[e + 1] = numbers[e];
    epochs[e + 1] = epochs[e];
    arrays[e] = array;
    records[e] = ArrayRecordTable.of(array);
    epochs[e] = 0;
    filled = true;
    return e;
  }

  ArrayRecords records(int e) {
    return records[e];
  }

  /** The array word this attempt logged for entry {@code e}, or {@link #NOT_LOGGED}. */
  long loggedWord(int e) {
    return epochs[e] == epoch ? logged[e] : NOT_LOGGED;
  }

  void setLogged(int e, long word) {
    own(e);
    logged[e] = word;
  }

  /**
   * The number of entry {@code e}'s records in {@code reads} ({@link ReadSet#number}), given on
   * first use in this attempt; -1 if the read set numbered all it can.
   */
  int number(int e, ReadSet reads) {
    own(e);
    int n = numbers[e];
    if (n == NO_NUMBER) {
      numbers[e] = n = reads.number(records[e]);
    }
    return n;
  }

  /** Makes entry {@code e}'s per-attempt state this attempt's (fresh if it was older). */
  private void own(int e) {
    if (epochs[e] != epoch) {
      epochs[e] = epoch;
      logged[e] = NOT_LOGGED;
      numbers[e] = NO_NUMBER;
    }
  }

  /** The attempt ended: forget what it logged (and, unless {@link #keepArrays}, the arrays). */
  void endAttempt() {
    epoch++;
    if (!keep && filled) {
      Arrays.fill(arrays, null);
      Arrays.fill(records, null);
      filled = false;
    }
  }
}
