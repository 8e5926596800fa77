package org.ame4j.internal.engine;

import java.util.Arrays;

/**
 * The arrays a transaction used lately, with their {@link ArrayRecords} and the array word the
 * running attempt logged for each: a loop that walks a few arrays at once (a graph's offsets,
 * targets and weights and the distances) finds their records by comparing references, without
 * the identity hash and the weak table of {@link ArrayRecordTable}, and logs a read-only array's
 * word once per attempt instead of once per element.
 *
 * <p>Up to {@link #SIZE} arrays, replaced round-robin. Emptied when the attempt ends, so it never
 * keeps an array alive past the transaction that used it, and the logged words never outlive the
 * read set they stand for.
 */
final class ArrayCache {
  /** Arrays remembered; 8 covers the arrays of the corpus's loops (sssp walks 5). */
  static final int SIZE = 8;
  /** {@link #logged} when the entry's array word is not in the read set of this attempt. */
  static final long NOT_LOGGED = -1L;

  private final Object[] arrays = new Object[SIZE];
  private final ArrayRecords[] records = new ArrayRecords[SIZE];
  private final long[] logged = new long[SIZE];
  /** The number the read set gave the entry's records ({@link ReadSet#number}), -2 if none yet. */
  private final int[] numbers = new int[SIZE];
  private int count;
  private int next;
  /** The entry the last {@link #records} call returned. */
  private int last;

  /** The records of {@code array} (not null), remembering it. */
  ArrayRecords records(Object array) {
    Object[] a = arrays;
    for (int i = 0, n = count; i < n; i++) {
      if (a[i] == array) {
        last = i;
        return records[i];
      }
    }
    ArrayRecords r = ArrayRecordTable.of(array);
    int i = count < SIZE ? count++ : next++ & (SIZE - 1);
    a[i] = array;
    records[i] = r;
    logged[i] = NOT_LOGGED;
    numbers[i] = -2;
    last = i;
    return r;
  }

  /** The records the last {@link #records} call returned. */
  ArrayRecords lastRecords() {
    return records[last];
  }

  /** The array word logged for the array of the last {@link #records} call, or NOT_LOGGED. */
  long loggedWord() {
    return logged[last];
  }

  /** Notes that the array of the last {@link #records} call has {@code word} in the read set. */
  void setLogged(long word) {
    logged[last] = word;
  }

  /**
   * Logs element word {@code slot} of the array of the last {@link #records} call, read as
   * {@code word}, in {@code reads}: by number, so without a reference store per element.
   */
  void logElement(ReadSet reads, int slot, long word) {
    int i = last;
    int no = numbers[i];
    if (no == -2) {
      numbers[i] = no = reads.number(records[i]);
    }
    if (no >= 0) {
      reads.addElement(no, slot, word);
    } else {
      reads.add(records[i], slot, word);
    }
  }

  void clear() {
    if (count > 0) {
      Arrays.fill(arrays, 0, count, null);
      Arrays.fill(records, 0, count, null);
      count = 0;
      next = 0;
    }
  }
}
