package org.ame4j.internal.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Finds the {@link ArrayRecords} of an array: a fixed table of {@value #COUNT} records objects
 * indexed by the array's identity hash (TL2's striping, applied to whole arrays). Arrays that
 * hash to the same stripe share its records.
 *
 * <p><b>Why a stripe table and not one records object per array.</b> An exact map from arrays to
 * records must be weak (a JVM array cannot take a field, and an array that dies must take its
 * records with it) and must insert each new array under a lock. k-means touches one new
 * {@code double[]} point row per task: with the weak identity table of session 5, finding and
 * creating those rows' records was 46% of the samples of a 1-worker profile (JFR, corpus
 * {@code kmeans --chunk 32}). Here finding the records is the identity hash (a JIT intrinsic once
 * the array has one), a mask and one load from a table created once: no lookup that can miss,
 * no insert, no weak reference for the collector to process.
 *
 * <p><b>What sharing costs.</b> Only false conflicts, never a lost update or an unseen one: two
 * arrays of a stripe share its word while both are read-only, and once either is written both
 * use the stripe's element words ({@code i & (words.length - 1)}), so a write to one is a
 * conflict for readers of the same index in the other. A stripe written stays written for good
 * (by default only until the end of the queue run that wrote it, when
 * {@link StripeCooling} turns it read-only again), so a read-only array that lands in a written
 * stripe is checked element by element meanwhile (correct, but it no longer pays one word for
 * the whole array). With {@value #COUNT}
 * stripes, the 4,796 row arrays the heat stencil writes at 2400 x 2400 cells leave about a
 * quarter of the stripes written, and two of its concurrent tasks (4 written rows each) write
 * rows of one stripe with probability about 16 / {@value #COUNT}.
 *
 * <p>The stripe number is also what a read set logs for an element word ({@link
 * ReadSet#addElement}): an {@code int}, not a reference, so logging a read costs no garbage
 * collector card mark.
 */
final class ArrayStripes {
  /** Stripes ({@link ReadSet#MAX_STRIPES}: the read set encodes a stripe in 14 bits). */
  static final int COUNT = ReadSet.MAX_STRIPES;

  private static final ArrayRecords[] STRIPES = new ArrayRecords[COUNT];

  /**
   * One bit per stripe, set once its element words are published ({@link ArrayRecords#publish},
   * {@link ArrayTurns}): what a read of a read-only array checks, 2 KiB that stay in the cache,
   * instead of the stripe's records object (16,384 of them, half a megabyte, a miss for every
   * array a task meets first: k-means' point rows).
   */
  private static final long[] PUBLISHED = new long[COUNT / 64];

  private static final VarHandle BITS = MethodHandles.arrayElementVarHandle(long[].class);

  static {
    for (int s = 0; s < COUNT; s++) {
      STRIPES[s] = new ArrayRecords();
    }
  }

  private ArrayStripes() {}

  /**
   * The stripe of {@code array} (not null): its identity hash's, unless {@link ArrayGroups} put
   * it in the stripe of a group (one bit test when none did).
   */
  static int of(Object array) {
    int h = System.identityHashCode(array);
    int s = h & (COUNT - 1);
    if (ArrayGroups.ON && ArrayGroups.aliased(s)) {
      s = ArrayGroups.stripeOf(h, s);
    }
    return s;
  }

  /**
   * True once stripe {@code s}'s element words are published. A volatile load (plain on x86):
   * the reader's half of the Dekker pattern with the turner ({@link ArrayTurns}).
   */
  static boolean published(int s) {
    return ((long) BITS.getVolatile(PUBLISHED, s >>> 6) & (1L << s)) != 0;
  }

  /** Bits of stripes {@code 64 j} to {@code 64 j + 63} (volatile load). */
  static long publishedWord(int j) {
    return (long) BITS.getVolatile(PUBLISHED, j);
  }

  /** Sets stripe {@code s}'s bit, after its words are stored (volatile read-modify-write). */
  static void markPublished(int s) {
    BITS.getAndBitwiseOr(PUBLISHED, s >>> 6, 1L << s);
  }

  /**
   * Clears stripe {@code s}'s bit: readers read it unchecked again. Only {@link StripeCooling},
   * under the stripe word, once no attempt that began before the stripe's last commit runs.
   */
  static void markUnpublished(int s) {
    BITS.getAndBitwiseAnd(PUBLISHED, s >>> 6, ~(1L << s));
  }

  /** The records of stripe {@code s}. */
  static ArrayRecords records(int s) {
    return STRIPES[s];
  }

  /** The records of {@code array} (not null). */
  static ArrayRecords recordsOf(Object array) {
    return STRIPES[of(array)];
  }

  /**
   * Test-only ({@link ArrayStripesForTesting}): puts every stripe back to read-only, with fresh
   * records and its published bit cleared, so that the next writes of a test turn stripes again.
   * Refuses while an attempt runs: a turn in progress, an unchecked reader or a read set holding
   * a stripe's word would then see its stripe change under it.
   */
  static synchronized int resetForTesting() {
    for (Txn t : TxnRegistry.live()) {
      if (Txn.isRunning(t.statusWord())) {
        throw new IllegalStateException(
            "array stripes reset while a transaction attempt runs: reset them only between runs");
      }
    }
    int turned = publishedCount();
    for (int s = 0; s < COUNT; s++) {
      STRIPES[s] = new ArrayRecords();
    }
    for (int j = 0; j < PUBLISHED.length; j++) {
      BITS.setVolatile(PUBLISHED, j, 0L); // after the records: a new reader finds them
    }
    return turned;
  }

  /** How many stripes are published (turned written, or being turned). */
  static int publishedCount() {
    int n = 0;
    for (int j = 0; j < PUBLISHED.length; j++) {
      n += Long.bitCount(publishedWord(j));
    }
    return n;
  }
}
