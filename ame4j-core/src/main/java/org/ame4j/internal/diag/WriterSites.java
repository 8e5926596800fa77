package org.ame4j.internal.diag;

/**
 * The site of the last committed write under each record, as far as a striped table can say:
 * the engine stores it when a transaction that held the record's lock commits, and reads it when
 * another one fails validation on that record after the writer is gone. Two records that share a
 * stripe may name each other's writer (a diagnostic may be wrong, the engine never is).
 */
public final class WriterSites {
  private static final int SIZE = 1 << 16;
  private static final int[] SITES = new int[SIZE];

  private WriterSites() {}

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
