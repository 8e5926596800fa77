package org.ame4j.internal.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The ownership records of one array (found through {@link ArrayRecordTable}): unrelated arrays
 * never share a record, and an array no transaction has written costs its readers one record for
 * the whole array instead of one per element.
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
 * <p><b>Sizing.</b> A written array gets one word per element, rounded up to a power of two and
 * at most {@link #MAX_WORDS} words (2^15, 256 KiB); elements {@code MAX_WORDS} apart in a longer array
 * share a word (a false conflict at worst, never a lost update). Neighbouring elements never
 * share, because neighbouring tasks of a data-parallel loop write exactly those.
 *
 * <p>Does not guarantee anything for code that writes the array outside transactions while
 * transactions read it (no strong atomicity, as for every other location).
 */
final class ArrayRecords extends TxCell {
  /** At most this many words per array ({@code ame4j.arrayRecords.max}, a power of two). */
  static final int MAX_WORDS = maxWordsFromProperty();

  private static final VarHandle WORDS;

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

  /** Elements of the array (fixes the size of {@link #words}). */
  private final int length;

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

  ArrayRecords(int length) {
    this.length = length;
  }

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
   * Turns the array written; the caller holds the array word's lock, so at most one thread
   * allocates. Returns the per-element words.
   */
  long[] turnWritten() {
    long[] w = words();
    if (w == null) {
      int n = length >= MAX_WORDS ? MAX_WORDS : Integer.highestOneBit(Math.max(1, length - 1)) << 1;
      w = new long[n];
      WORDS.setVolatile(this, w);
    }
    return w;
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
