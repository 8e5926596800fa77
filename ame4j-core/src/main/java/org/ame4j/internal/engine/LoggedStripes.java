package org.ame4j.internal.engine;

/**
 * The read-only stripe words ({@link ArrayStripes}) the running attempt has logged lately, so
 * that a loop reading a few read-only arrays logs each one's word once per attempt instead of
 * once per element: direct-mapped over the stripe number ({@value #ENTRIES} entries, no loop, so
 * the element barrier stays small enough for the JIT to inline). Forgetting an entry (two stripes
 * of one entry used in turn) only logs the word again: a duplicate read-set entry, never a
 * missing one.
 *
 * <p>An entry holds for one attempt only: its key carries the attempt number ({@link #epoch}, a
 * long that never wraps), so ending an attempt clears nothing.
 */
final class LoggedStripes {
  private static final int ENTRIES = 64;
  private static final int STRIPE_BITS = Integer.numberOfTrailingZeros(ArrayStripes.COUNT);

  /** Per entry: {@code epoch << STRIPE_BITS | stripe} of the attempt that logged it. */
  private final long[] keys = new long[ENTRIES];
  /** Per entry: the stripe word logged. */
  private final long[] words = new long[ENTRIES];
  /** The running attempt; starts at 1 so that no entry is valid before it is filled. */
  private long epoch = 1;

  /** True if this attempt logged stripe {@code s} at {@code word}. */
  boolean has(int s, long word) {
    int e = s & (ENTRIES - 1);
    return keys[e] == (epoch << STRIPE_BITS | s) && words[e] == word;
  }

  void put(int s, long word) {
    int e = s & (ENTRIES - 1);
    keys[e] = epoch << STRIPE_BITS | s;
    words[e] = word;
  }

  /** The attempt ended: what it logged is no longer in any read set. */
  void endAttempt() {
    epoch++;
  }
}
