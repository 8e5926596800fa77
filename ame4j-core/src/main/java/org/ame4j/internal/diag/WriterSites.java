package org.ame4j.internal.diag;

/**
 * The site of the last committed write under each record, as far as a striped table can say:
 * the engine stores it when a transaction that held the record's lock commits, and reads it when
 * another one fails validation on that record after the writer is gone. Two records that share a
 * stripe may name each other's writer (a diagnostic may be wrong, the engine never is).
 *
 * <p>{@value #DEFAULT_STRIPES} stripes by default ({@code -Dame4j.report.writerStripes}, a power
 * of two): every commit with the report on stores one int per lock here, at a stripe a hash
 * picks. Session 14 cut the table to 4,096 stripes (16 KB, to stay in the first-level cache: one
 * loaded profile put the copy at a tenth of the bank's worker with 256 KB); neither its quiet
 * A/B nor session 15's loaded one measured a gain, so the default is the larger table again,
 * whose reports name a neighbour's writer sixteen times less often (DESIGN-NOTES, "The report
 * with the engine's fast paths", issue 17). The lines a conflict names while its writer still
 * holds the lock come from the lock set, not from here.
 */
public final class WriterSites {
  static final int DEFAULT_STRIPES = 65_536;
  private static final int SIZE = stripes(Integer.getInteger("ame4j.report.writerStripes", DEFAULT_STRIPES));
  private static final int[] SITES = new int[SIZE];

  private WriterSites() {}

  /** {@code requested} rounded up to a power of two, at least 16 and at most 2^24. */
  static int stripes(int requested) {
    int n = Math.max(16, Math.min(1 << 24, requested));
    return Integer.highestOneBit(n - 1) << 1;
  }

  /** The number of stripes. */
  public static int size() {
    return SIZE;
  }

  /** The stripe of a record: an object's identity ({@code -1} index), or a word number. */
  public static int key(Object record, int index) {
    int h = record == null ? index : System.identityHashCode(record) * 31 + index;
    h *= 0x9E3779B9;
    return (h ^ (h >>> 16)) & (SIZE - 1);
  }

  public static void wrote(int key, int site) {
    SITES[key] = site; // racy on purpose: the last writer wins, and any site is a valid answer
  }

  public static int lastWriter(int key) {
    return SITES[key];
  }
}
