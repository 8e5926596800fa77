package org.ame4j.internal.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Ownership records ("orecs"): one versioned lock word per tracked location.
 *
 * <p>A word is either <em>unlocked</em>, {@code version << 1} (bit 0 clear), where the version is
 * the {@link Clock} stamp of the commit that last wrote a location guarded by it; or
 * <em>locked</em>, {@code (ownerId << 1) | 1}, where the owner is the transaction descriptor with
 * that id (see {@link TxnRegistry}). Explicit cells ({@link TxCell}) carry their own word; plain
 * fields and statics (reached through the agent's barriers) share a striped table indexed by a
 * hash of (object identity, field); array elements have per-array words ({@link ArrayRecords}).
 *
 * <p>Table striping means two unrelated locations may share a word: that costs a false
 * conflict, never correctness. The table size is {@code ame4j.orecs} (a power of two, default
 * 2^20 words = 8 MiB, allocated on first use of a field barrier).
 */
final class Orecs {
  static final VarHandle TABLE = MethodHandles.arrayElementVarHandle(long[].class);

  private Orecs() {}

  static boolean isLocked(long word) {
    return (word & 1L) != 0;
  }

  static long version(long word) {
    return word >>> 1;
  }

  static long unlocked(long version) {
    return version << 1;
  }

  static long lockedBy(int ownerId) {
    return ((long) ownerId << 1) | 1L;
  }

  static int owner(long word) {
    return (int) (word >>> 1);
  }

  /**
   * Set in a locked word that marks an object born owned ({@link TxObject}, {@link Txn#freshWord}):
   * a bit above any owner id, so {@link #owner} still names the transaction and every other
   * transaction sees an ordinary lock.
   */
  static final long FRESH = 1L << 62;

  /**
   * Bits 33-61 of a fresh word: the flat-nesting level of the block that owns the object's
   * writes ({@code depth - 1}), so that a nested block tells objects born before it began (a
   * write must log its old value: the block may fail alone) from its own (no log) with the same
   * one compare. Above the owner id (an {@code int}, bits 1-32), so {@link #owner} still names
   * the transaction. 29 bits: deeper than any Java stack nests.
   */
  static final long LEVELS = ((1L << 29) - 1) << 33;

  /** Every bit that may differ between two words of one owner: its lock word and its fresh words. */
  static final long OWN_BITS = FRESH | LEVELS;

  /** The fresh word of {@code ownerId}'s objects born (or last owned) at nesting depth {@code depth}. */
  static long freshOf(int ownerId, int depth) {
    return lockedBy(ownerId) | FRESH | (((long) (depth - 1) << 33) & LEVELS);
  }

  /** The striped table for plain fields and statics. */
  static final class Table {
    static final long[] WORDS = new long[sizeFromProperty()];
    static final int MASK = WORDS.length - 1;

    private static int sizeFromProperty() {
      int size = Integer.getInteger("ame4j.orecs", 1 << 20);
      if (size < 64 || Integer.bitCount(size) != 1) {
        throw new IllegalArgumentException("ame4j.orecs must be a power of two >= 64, was " + size);
      }
      return size;
    }

    private Table() {}

    /**
     * The word guarding field {@code field} (its id) of {@code holder} (an object, or the
     * declaring {@code Class} of a static). The fields of one object share one 64-byte line of
     * the table (8 words, chosen by the id's low bits): a transaction touching several fields of
     * an object misses the cache once, not once per field. Fibonacci hashing spreads identity
     * hashes over the table.
     */
    static int index(Object holder, int field) {
      return (line(holder) + (field & 7)) & MASK;
    }

    private static int line(Object o) {
      int h = System.identityHashCode(o) * 0x9E3779B9;
      return (h ^ (h >>> 15)) << 3;
    }
  }
}
