package org.ame4j.internal.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ownership records of one stripe of arrays ({@link ArrayStripes}: the arrays whose identity
 * hashes fall in it, usually one or none of the arrays a program touches): an array no
 * transaction has written costs its readers one record for the whole array instead of one per
 * element.
 *
 * <p><b>Two modes.</b> An array starts <em>read-only</em>: {@link #words} is null and the cell's
 * own word ({@link TxCell#META}, encoded as in {@link Orecs}) guards every element at once. A
 * reader checks that word before and after loading the element (the seqlock pattern of every
 * read here) and logs it once per attempt, however many elements it reads. The first
 * transaction that writes the array locks that word, allocates the per-element words and so
 * turns the array <em>written</em> for good; from then on every access uses the word of its
 * element ({@code words[i & (words.length - 1)]}). A transaction that read the array in
 * read-only mode has the array word in its read set; the turning writer changes it (locked,
 * then released with the writer's commit stamp), so that reader's next check, extension or
 * commit validation fails: the first transactional write to a read-only array is always seen
 * (opacity), however late it comes.
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

  private static final VarHandle WORDS;
  private static final AtomicLong GRANTED = new AtomicLong();

  static {
    try {
      WORDS = MethodHandles.lookup().findVarHandle(ArrayRecords.class, "words", long[].class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

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
   * a volatile store after its words are zero (version 0, unlocked), and never replaced.
   */
  @SuppressWarnings("unused")
  private volatile long[] words;

  /** An inevitable attempt that reads this array while it is read-only ({@link #markRead}). */
  record ReadMark(Txn owner, long status) {}

  /**
   * The last inevitable attempt that read this array read-only, or null. The inevitable
   * transaction does not lock the array word to read (that would stop every reader of the array,
   * the bank's account table among them, for as long as it runs): it leaves this mark, and a
   * writer about to turn the array written waits for that attempt to end. Dekker: the reader
   * stores the mark then loads the array word, the writer compare-and-sets the word then loads
   * the mark (all volatile), so one of them sees the other.
   */
  private volatile ReadMark inevitableRead;

  ArrayRecords() {}

  void markRead(ReadMark mark) {
    if (inevitableRead != mark) {
      inevitableRead = mark;
    }
  }

  /** The mark of an inevitable attempt other than {@code tx}'s current one that still runs, or null. */
  ReadMark readByOtherInevitable(Txn tx) {
    ReadMark m = inevitableRead;
    return m != null && m.owner() != tx && m.owner().isRunning(m.status()) ? m : null;
  }

  /** The per-element words, or null while the array is read-only (acquire load). */
  long[] words() {
    return (long[]) WORDS.getAcquire(this);
  }

  /**
   * Turns the stripe written, sizing its words for an array of {@code length} elements; the
   * caller holds the stripe word's lock, so at most one thread allocates. Returns the words.
   */
  long[] turnWritten(int length) {
    long[] w = words();
    if (w == null) {
      w = new long[size(length)];
      WORDS.setVolatile(this, w);
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
