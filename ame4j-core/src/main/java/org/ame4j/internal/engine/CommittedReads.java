package org.ame4j.internal.engine;

import java.lang.invoke.VarHandle;

/**
 * Reads of a cell by a thread that runs no transaction ({@code ref.get()} outside
 * {@code atomic}): the committed value, linearizable, never a value written by a transaction that
 * has not committed (those are behind a locked record, so the read waits for the release).
 */
public final class CommittedReads {
  private CommittedReads() {}

  /** Outside transactions: waits until the cell is unlocked and returns its word. */
  private static long unlockedWord(TxCell c) {
    for (int i = 0; ; i++) {
      long word = (long) TxCell.META.getAcquire(c);
      if (!Orecs.isLocked(word)) {
        return word;
      }
      Backoff.pause(i);
    }
  }

  private static boolean unchanged(TxCell c, long word) {
    VarHandle.acquireFence();
    return (long) TxCell.META.getVolatile(c) == word;
  }

  /** A committed, linearizable read of a cell by a thread with no transaction. */
  public static Object read(ObjectCell c) {
    for (; ; ) {
      long word = unlockedWord(c);
      Object v = c.value;
      if (unchanged(c, word)) {
        return v;
      }
    }
  }

  public static int read(IntCell c) {
    for (; ; ) {
      long word = unlockedWord(c);
      int v = c.value;
      if (unchanged(c, word)) {
        return v;
      }
    }
  }

  public static long read(LongCell c) {
    for (; ; ) {
      long word = unlockedWord(c);
      long v = c.value;
      if (unchanged(c, word)) {
        return v;
      }
    }
  }
}
