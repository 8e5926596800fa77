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
 * fields, statics and array elements (reached through the agent's barriers) share a striped
 * table indexed by a hash of (object identity, field or element).
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

  static long freshOf(int ownerId) {
    return lockedBy(ownerId) | FRESH;
  }

  /** The striped table for plain fields, statics and array elements. */
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

    /**
     * Consecutive elements that share one word: {@code 2^ELEMENT_SHIFT} of them
     * ({@code ame4j.orecs.elementShift}, default 0: one word per element). See {@link #element}
     * for the trade-off.
     */
    static final int ELEMENT_SHIFT = elementShiftFromProperty();

    private static int elementShiftFromProperty() {
      int shift = Integer.getInteger("ame4j.orecs.elementShift", 0);
      if (shift < 0 || shift > 6) {
        throw new IllegalArgumentException("ame4j.orecs.elementShift must be 0..6, was " + shift);
      }
      return shift;
    }

    /**
     * The word guarding element {@code i} of {@code array}: a block of {@code 2^ELEMENT_SHIFT}
     * consecutive elements shares a word, and consecutive blocks get consecutive words, so a scan
     * over an array walks the table sequentially (8 words per cache line).
     *
     * <p>Blocks of several elements (TinySTM's default is one lock per 4 words, Felber, Fetzer,
     * Riegel, PPoPP 2008) make the table take fewer cache lines, which matters because the
     * table, not the data, is what misses the cache in array-heavy tasks: with 4 elements per
     * word, one worker ran the corpus's components and shortest paths in 0.82x and 0.84x of the
     * CPU time. But the default stays one element per word: neighbouring elements are exactly
     * what concurrent tasks of a data-parallel loop write ({@code a[i]} in task i, {@code a[i+1]}
     * in task i+1), and an ordered run always runs neighbouring tasks together, so blocks turned
     * them into conflicts (ordered k-means on 2 workers: 6,000 to 345,000 aborts). Sharing a
     * word never costs correctness, only false conflicts.
     */
    static int element(Object array, int i) {
      return (line(array) + (i >> ELEMENT_SHIFT)) & MASK;
    }

    private static int line(Object o) {
      int h = System.identityHashCode(o) * 0x9E3779B9;
      return (h ^ (h >>> 15)) << 3;
    }
  }
}
