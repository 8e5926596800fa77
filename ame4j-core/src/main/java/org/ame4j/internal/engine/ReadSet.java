package org.ame4j.internal.engine;

import java.util.Arrays;

/**
 * The ownership records a transaction has read, with the word it saw (invisible reads, TL2).
 *
 * <p>An entry is a cell ({@code cell != null}, {@code index == -1}), a word of the striped
 * table ({@code cell == null}, {@code index >= 0}), an element word of an array's records
 * ({@code cell != null}, {@code index >= 0}), or the same named by its stripe
 * ({@code cell == null}, {@code index <= -2}, see {@link #addElement}).
 * Parallel arrays, no allocation per read. Duplicates are allowed: checking them costs less than
 * detecting them.
 */
final class ReadSet extends LinePadding {
  /**
   * Entries a log keeps between attempts (ReadSet, UndoLog, LockSet): a log that grew past it is
   * dropped at clear. 4,096 made every large transaction (a task merging 1,000 words into a
   * HashMap reads about 5,000 words) regrow its logs from scratch each time, copying all three
   * arrays at every doubling: 155-177 ns per merge; at 2^16 the arrays stay (at most ~1.3 MB
   * per thread) and the same transaction took 116-136 ns per merge (same minutes, JDK 17).
   */
  static final int RETAINED = 1 << 16;

  /**
   * Attempts after which a log's reference arrays are replaced by new ones (ReadSet, LockSet,
   * UndoLog; see {@link #clear} for why). Between renewals they are cleared in place. 1 renews
   * at every attempt, the policy before (measured against in DESIGN-NOTES).
   */
  static final int RENEW_EVERY = Math.max(1, Integer.getInteger("ame4j.logRenewal", 256));

  TxCell[] cells = new TxCell[64];
  int[] indexes = new int[64];
  long[] words = new long[64];
  int size;
  /**
   * Entries that fit before the arrays must grow, or 0 while the attempt reads unlogged
   * ({@code Txn#unlogged}): then every add finds the log "full" and returns without an entry.
   * The one capacity compare an add makes anyway, so a logged read pays nothing for the mode.
   */
  private int limit = 64;
  /** The descriptor whose log this is (set once), for {@link Txn#pauseInPlace}. */
  Txn owner;
  /**
   * Entries at which the attempt pauses commits in place ({@link Txn#pauseInPlace}), or 0. While
   * set, {@link #limit} is at most {@code pauseAt}, so the capacity compare every append makes
   * anyway finds the moment: a read below it pays nothing for the mode.
   */
  private int pauseAt;
  /**
   * Reads this attempt made while it kept no log (each finds the log "full", {@link #grow}),
   * plus the entries an in-place pause dropped ({@code Txn#pauseInPlace}): how long a paused
   * reader was ({@code Txn#noteLongReader}). Zeroed by {@link #logging}, at begin.
   */
  int unloggedReads;
  /** False while every entry is a table word: then {@code cells} is all null, nothing to clear. */
  private boolean hasCells;
  /** Attempts that stored references into {@code cells} since it was allocated. */
  private int cellUses;

  /** Stripes of arrays an entry can name (14 bits), and element words per stripe (15 bits). */
  static final int MAX_STRIPES = 1 << 14;
  static final int MAX_SLOTS = 1 << 15;
  /** The low 16 bits of an element entry's code: the slot. */
  private static final int SLOT_BITS = 0xFFFF;

  /**
   * A word of the striped table (plain fields, statics): {@code cells[n]} stays null.
   * The same word seen again right after itself is not logged twice (a field read twice in a
   * row): the
   * entry already there checks exactly the same thing, and the caller still extends the snapshot
   * if the word is newer.
   * Table indexes are {@code >= 0}, cell entries have {@code -1}, so the test never matches a cell.
   */
  void addWord(int index, long word) {
    int n = size;
    if (n > 0 && indexes[n - 1] == index && words[n - 1] == word) {
      return;
    }
    if (n >= limit && !grow(null, index, word)) {
      return;
    }
    indexes[n] = index;
    words[n] = word;
    size = n + 1;
  }

  /**
   * Element word {@code slot} (below {@link #MAX_SLOTS}) of array stripe {@code stripe}
   * ({@link ArrayStripes}; a stripe's own word is never logged: read-only stripes are read
   * unchecked, see {@link ArrayTurns}): an int instead of a reference, because
   * a reference stored into a long-lived array costs a garbage-collector card mark (G1's
   * post-write barrier: measured about 2.5 ns of a 13 ns element read) and an int does not.
   */
  void addElement(int stripe, int slot, long word) {
    int n = size;
    int code = -2 - (stripe << 16 | slot);
    if (n >= limit && !grow(null, code, word)) {
      return;
    }
    indexes[n] = code;
    words[n] = word;
    size = n + 1;
  }

  private long current(int i) {
    return Txn.wordOf(recordAt(i), slotAt(i));
  }

  /** {@link #current(int)} of an entry {@code (cell, index)} not appended yet. */
  static long wordNow(TxCell cell, int index) {
    return Txn.wordOf(recordOf(cell, index), slotOf(index));
  }

  /** The record entry {@code i} logged: its cell (null for a table word), see {@link #slotAt}. */
  TxCell recordAt(int i) {
    return recordOf(cells[i], indexes[i]);
  }

  /**
   * With {@link #recordAt}, the word of entry {@code i} as {@link Txn#wordOf} takes it: a table
   * index, -1 for a cell's own word, or an element slot.
   */
  int slotAt(int i) {
    return slotOf(indexes[i]);
  }

  /** {@link #recordAt} of an entry {@code (cell, index)} as the add methods take it. */
  static TxCell recordOf(TxCell cell, int index) {
    return index <= -2 ? ArrayStripes.records((-2 - index) >>> 16) : cell;
  }

  /** {@link #slotAt} of an entry's {@code index} as the add methods take it. */
  static int slotOf(int index) {
    return index <= -2 ? (-2 - index) & SLOT_BITS : index;
  }

  /**
   * A cell's or an object's own word ({@link TxObject}); the same cell seen again right after
   * itself at the same word is not logged twice (several fields of one object read in a row).
   */
  void addCell(TxCell cell, long word) {
    int n = size;
    if (n > 0 && cells[n - 1] == cell && words[n - 1] == word) {
      return;
    }
    add(cell, -1, word);
  }

  void add(TxCell cell, int index, long word) {
    int n = size;
    if (n >= limit && !grow(cell, index, word)) {
      return;
    }
    hasCells |= cell != null;
    cells[n] = cell;
    indexes[n] = index;
    words[n] = word;
    size = n + 1;
  }

  /**
   * Makes room for one more entry, the pending one {@code (cell, index, word)}; false (nothing
   * logged) while the attempt reads unlogged, or once it paused commits in place at this entry.
   */
  private boolean grow(TxCell cell, int index, long word) {
    if (limit == 0) {
      unloggedReads++;
      return false;
    }
    if (pauseAt != 0 && size >= pauseAt) {
      pauseAt = 0;
      if (owner.pauseInPlace(this, cell, index, word)) {
        return false; // the log is cleared and off: nothing read from here on can change
      }
      if (size < words.length) {
        limit = words.length;
        return true;
      }
    }
    int capacity = words.length * 2;
    cells = Arrays.copyOf(cells, capacity);
    indexes = Arrays.copyOf(indexes, capacity);
    words = Arrays.copyOf(words, capacity);
    limit = pauseAt != 0 ? Math.min(capacity, pauseAt) : capacity;
    return true;
  }

  /** Whether this attempt logs its reads (see {@link #limit}); set at begin, the log empty. */
  void logging(boolean on) {
    limit = on ? words.length : 0;
    pauseAt = 0;
    unloggedReads = 0;
  }

  /**
   * This logged attempt asks to pause commits in place ({@link Txn#pauseInPlace}) when its log
   * reaches {@code entries} (set at begin, after {@link #logging}, the log empty). An int, not
   * the descriptor: a reference stored per attempt into this long-lived object could cost the
   * collector's fence (see {@link #clear}).
   */
  void pauseAt(int entries) {
    pauseAt = entries;
    limit = Math.min(limit, entries);
  }

  /** True if every entry still holds the word seen, or is now locked by {@code ownLock}. */
  boolean isValid(long ownLock) {
    return BrokenForTesting.SKIP_READ_VALIDATION || firstInvalid(ownLock) < 0;
  }

  /** The first entry that no longer holds the word seen (nor {@code ownLock}), or -1. */
  int firstInvalid(long ownLock) {
    for (int i = 0, n = size; i < n; i++) {
      long current = current(i);
      if (current != words[i] && current != ownLock) {
        return i;
      }
    }
    return -1;
  }

  /** True if some entry no longer holds the word seen (used by retry: wait for a change). */
  boolean anyChanged() {
    for (int i = 0, n = size; i < n; i++) {
      if (current(i) != words[i]) {
        return true;
      }
    }
    return false;
  }

  ReadSet copy() {
    ReadSet c = new ReadSet();
    c.cells = Arrays.copyOf(cells, Math.max(size, 1));
    c.indexes = Arrays.copyOf(indexes, Math.max(size, 1));
    c.words = Arrays.copyOf(words, Math.max(size, 1));
    c.size = size;
    c.limit = c.words.length;
    c.hasCells = hasCells;
    return c;
  }

  /**
   * A copy for {@code retry()} to wait on, taken before the rollback. An entry whose record this
   * attempt has locked since reading it holds {@code ownLock} instead of the word seen, until
   * {@link #ownLocksReleased} puts the word of the rollback's release there: otherwise the
   * rollback's own new stamp would look like a change, and a task that wrote something before
   * retrying would wake itself at once, forever (found by FaultInjectionTest). Nobody else can
   * have changed such a record between the read and the rollback: locking it validated the read.
   */
  ReadSet copyForRetry(long ownLock) {
    ReadSet c = copy();
    for (int i = 0; i < c.size; i++) {
      if (c.current(i) == ownLock) {
        c.words[i] = ownLock;
      }
    }
    return c;
  }

  /** See {@link #copyForRetry}: our locks were released as {@code releasedWord}. */
  void ownLocksReleased(long ownLock, long releasedWord) {
    for (int i = 0; i < size; i++) {
      if (words[i] == ownLock) {
        words[i] = releasedWord;
      }
    }
  }

  void clear() {
    // Drop references so that a long-lived worker does not keep dead cells reachable, and keep
    // the array young. G1's post-write barrier skips a reference store into a young object, but
    // into an old one (a retained array) it costs a StoreLoad fence per store whenever the
    // referenced object lies in another region, which made every logged object read (TxObject)
    // slower than a table word's: BarrierCost (CPU time, same JVM) read_objSite/read_tableSite
    // 20.1/11.0 ns with the array retained, 7.8/9.4 with a new one (-XX:+UseParallelGC, no
    // such fence: 4.9/5.8). A new array per attempt made 270 bytes of garbage per transaction
    // (its GC was a tenth of the bank's CPU) and was skipped above 1,024 entries, so one audit
    // left an array that every later transfer stored into old. Now the array is cleared in
    // place and replaced every RENEW_EVERY attempts (the same length): it lives microseconds to
    // milliseconds, far from the 15 young collections that would promote it.
    if (hasCells) {
      if (++cellUses >= RENEW_EVERY) {
        cells = new TxCell[cells.length];
        cellUses = 0;
      } else {
        Arrays.fill(cells, 0, size, null);
      }
      hasCells = false;
    }
    size = 0;
    if (words.length > RETAINED) {
      cells = new TxCell[64];
      indexes = new int[64];
      words = new long[64];
    }
  }

  // ---- trailing padding: declared last (LinePadding, "The other end") ----------------------
  @SuppressWarnings("unused") private Object t00, t01, t02, t03, t04, t05, t06, t07;
  @SuppressWarnings("unused") private Object t08, t09, t10, t11, t12, t13, t14, t15;
  @SuppressWarnings("unused") private Object t16, t17, t18, t19, t20, t21, t22, t23;
  @SuppressWarnings("unused") private Object t24, t25, t26, t27, t28, t29, t30, t31;
}
