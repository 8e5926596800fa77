package org.ame4j.internal.engine;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The ownership records of one stripe of arrays ({@link ArrayStripes}: the arrays whose identity
 * hashes fall in it, usually one or none of the arrays a program touches): an array no
 * transaction has written costs its readers nothing but the load that finds it read-only.
 *
 * <p><b>Two modes.</b> An array starts <em>read-only</em>: {@link #words} is null, and a
 * transaction reads its elements with no check and no log at all. The first transaction that
 * writes the array turns it <em>written</em> ({@link ArrayTurns}: lock the stripe word,
 * publish the per-element words, wait a grace period until every attempt that might have read
 * the array unchecked has ended, mark it {@link #ready}); from then on every access uses the word
 * of its element ({@code words[i & (words.length - 1)]}), with the seqlock check of every read.
 * Nothing that read an element unchecked is running when the first element store happens, so
 * such a read always serializes before every write to the array (opacity without validation).
 * When no transaction runs (the end of a queue run) a written stripe may turn read-only again
 * ({@link StripeCooling}: {@link #ready} cleared, then the published bit), keeping its words.
 *
 * <p><b>Why dynamic.</b> Whether an array is ever written by a task is a whole-program question
 * the agent cannot answer class by class (the same {@code int[]} type holds the graph's adjacency
 * and the distances), but the array itself knows: graph structure, inputs, lookup tables and the
 * bank's account table are filled before the queue runs and only read by tasks.
 *
 * <p><b>Sizing.</b> The array that turns its stripe written gets one word per element, rounded up
 * to a power of two, at least {@link #MIN_WORDS} and at most {@link #MAX_WORDS} (2^15, 256 KiB);
 * elements {@code words.length} apart share a word (a false conflict at worst, never a lost
 * update). Neighbouring elements never share, because neighbouring tasks of a data-parallel loop
 * write exactly those. Stripes live as long as the JVM, so their words are bounded in total:
 * once {@link #BUDGET} words are handed out, a stripe turned written later gets
 * {@link #MIN_WORDS}.
 *
 * <p>Does not guarantee anything for code that writes the array outside transactions while
 * transactions read it (no strong atomicity, as for every other location).
 */
final class ArrayRecords extends TxCell {
  /** At most this many words per array ({@code ame4j.arrayRecords.max}, a power of two). */
  static final int MAX_WORDS = maxWordsFromProperty();

  /** Words of a stripe turned written by a short array, or after the {@link #BUDGET}. */
  static final int MIN_WORDS = 64;
  /** Words all stripes may take together beyond {@link #MIN_WORDS} each (32 MiB). */
  static final long BUDGET = 1L << 22;

  private static final AtomicLong GRANTED = new AtomicLong();

  private static int maxWordsFromProperty() {
    int max = Integer.getInteger("ame4j.arrayRecords.max", ReadSet.MAX_SLOTS);
    if (max < 1 || max > ReadSet.MAX_SLOTS || Integer.bitCount(max) != 1) {
      throw new IllegalArgumentException(
          "ame4j.arrayRecords.max must be a power of two from 1 to " + ReadSet.MAX_SLOTS + ", was " + max);
    }
    return max;
  }

  /**
   * The per-element words once a transaction has written the array, else null. Published with
   * a volatile store after its words are zero (version 0, unlocked), and never replaced (a stripe
   * that cools keeps them).
   */
  private volatile long[] words;

  /**
   * True once a grace period has passed since {@link #words} was published ({@link ArrayTurns}):
   * from then on (and only then) writers may store to elements of the stripe. Cleared again
   * by {@link StripeCooling}: the next writer turns the stripe again.
   */
  volatile boolean ready;

  ArrayRecords() {}

  /**
   * The per-element words, or null while the array is read-only. A volatile load: it is the
   * reader's half of the Dekker pattern with the turner's status scan ({@link ArrayTurns}), after
   * the attempt's volatile status store (a plain load on x86).
   */
  long[] words() {
    return words;
  }

  /**
   * Publishes the stripe's element words (if no earlier turner did), sized for an array of
   * {@code length} elements; the caller holds the stripe word's lock, so at most one thread
   * allocates. Returns the words; writers must still wait for {@link #ready}.
   */
  long[] publish(int length) {
    long[] w = words();
    if (w == null) {
      w = new long[size(length)];
      words = w; // volatile store: the turner's half of the Dekker pattern
    }
    return w;
  }

  /** Words for an array of {@code length} elements, within the {@link #BUDGET}. */
  private static int size(int length) {
    int n = length >= MAX_WORDS ? MAX_WORDS : Integer.highestOneBit(Math.max(1, length - 1)) << 1;
    if (n <= MIN_WORDS) {
      return Math.min(MIN_WORDS, MAX_WORDS);
    }
    return GRANTED.addAndGet(n) <= BUDGET ? n : MIN_WORDS;
  }

  /** The word of element {@code i} in {@code words}: its slot, whatever the index's sign. */
  static int slot(long[] words, int i) {
    return i & (words.length - 1);
  }

  @Override
  void restore(Object oldRef, long oldBits) {
    throw new AssertionError("array records are never in an undo log");
  }
}
