package org.ame4j.internal.engine;

import java.util.Arrays;

/**
 * The ownership records a transaction has read, with the word it saw (invisible reads, TL2).
 *
 * <p>An entry is either a cell ({@code cell != null}, {@code index == -1}) or a word of the
 * striped table ({@code cell == null}, {@code index >= 0}). Parallel arrays, no allocation per
 * read. Duplicates are allowed: checking them costs less than detecting them.
 */
final class ReadSet {
  /**
   * Entries a log keeps between attempts (ReadSet, UndoLog, LockSet): a log that grew past it is
   * dropped at clear. 4,096 made every large transaction (a task merging 1,000 words into a
   * HashMap reads about 5,000 words) regrow its logs from scratch each time, copying all three
   * arrays at every doubling: 155-177 ns per merge; at 2^16 the arrays stay (at most ~1.3 MB
   * per thread) and the same transaction took 116-136 ns per merge (same minutes, JDK 17).
   */
  static final int RETAINED = 1 << 16;

  /** Largest {@code cells} array replaced rather than cleared at {@link #clear} (see there). */
  static final int YOUNG_LIMIT = 1024;

  TxCell[] cells = new TxCell[64];
  int[] indexes = new int[64];
  long[] words = new long[64];
  int size;
  /** False while every entry is a table word: then {@code cells} is all null, nothing to clear. */
  private boolean hasCells;

  /**
   * A word of the striped table (plain fields, statics, elements): {@code cells[n]} stays null.
   * The same word seen again right after itself is not logged twice (a field read twice in a
   * row; with {@code ame4j.orecs.elementShift > 0}, a scan over the elements of one block): the
   * entry already there checks exactly the same thing, and the caller still extends the snapshot
   * if the word is newer.
   * Table indexes are {@code >= 0}, cell entries have {@code -1}, so the test never matches a cell.
   */
  void addWord(int index, long word) {
    int n = size;
    if (n > 0 && indexes[n - 1] == index && words[n - 1] == word) {
      return;
    }
    if (n == words.length) {
      grow();
    }
    indexes[n] = index;
    words[n] = word;
    size = n + 1;
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
    hasCells |= cell != null;
    int n = size;
    if (n == words.length) {
      grow();
    }
    cells[n] = cell;
    indexes[n] = index;
    words[n] = word;
    size = n + 1;
  }

  private void grow() {
    int capacity = words.length * 2;
    cells = Arrays.copyOf(cells, capacity);
    indexes = Arrays.copyOf(indexes, capacity);
    words = Arrays.copyOf(words, capacity);
  }

  /** True if every entry still holds the word seen, or is now locked by {@code ownLock}. */
  boolean isValid(long ownLock) {
    for (int i = 0, n = size; i < n; i++) {
      long current = Txn.wordOf(cells[i], indexes[i]);
      if (current != words[i] && current != ownLock) {
        return false;
      }
    }
    return true;
  }

  /** True if some entry no longer holds the word seen (used by retry: wait for a change). */
  boolean anyChanged() {
    for (int i = 0, n = size; i < n; i++) {
      if (Txn.wordOf(cells[i], indexes[i]) != words[i]) {
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
    c.hasCells = hasCells;
    return c;
  }

  void clear() {
    // Drop references so that a long-lived worker does not keep dead cells reachable: by a new
    // array rather than by clearing this one. G1's post-write barrier skips a reference store into
    // a young object, but into an old one (a retained array) it costs a StoreLoad fence per store,
    // which made every logged object read (TxObject) slower than a table word's: BarrierCost
    // (CPU time, same JVM) read_objSite/read_tableSite 20.1/11.0 ns with the array retained,
    // 7.8/9.4 with a new one. -XX:+UseParallelGC (no such fence): 4.9/5.8. A large array is
    // cleared instead: allocating it anew for every transaction would cost more than it saves.
    if (hasCells) {
      if (cells.length <= YOUNG_LIMIT) {
        cells = new TxCell[cells.length];
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
}
