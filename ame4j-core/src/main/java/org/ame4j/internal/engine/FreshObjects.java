package org.ame4j.internal.engine;

import java.util.Arrays;

/**
 * Objects allocated by the running attempt (capture analysis, Dragojević et al. 2009; Deuce's
 * "LICM" measured 2.6–7× on STAMP). Nobody else can reach them before the attempt commits, so
 * their fields need neither locking nor logging; if the attempt aborts they are garbage.
 *
 * <p>The first {@link #LINEAR} objects an attempt records live in a plain array searched
 * linearly, for the whole attempt; later ones go to an identity hash set with linear probing. The
 * array is there because a typical task allocates a handful of objects, and hashing them is not
 * free: {@code System.identityHashCode} of an object that has no hash yet, which is every new
 * object, leaves the JIT's fast path for the VM's (about 100 ns measured here, more than the
 * barriers it saves for a small task). Objects in the array are never hashed, so one that dies
 * with the attempt never gets a hash at all. The array stays small because every lookup searches
 * it: with 8 entries, chunked tasks that allocate a few arrays ran 12-20 % slower than with the
 * hash set alone. Bounded: past {@link #MAX} objects it stops recording, which only means later
 * objects are tracked like any other (never unsafe).
 *
 * <p><b>Why the first objects stay in the array</b> (issue 14, session 12; until then the fifth
 * object moved them all to the hash set): the barriers ask about the same few arrays again and
 * again, once per twin invocation (a hoisted element check lives one invocation), and those are
 * usually the first an attempt allocates, the working arrays of the structure it builds first: a
 * JSON parser's character buffer, state stack and path arrays, asked about some 4,000 times per
 * document, each time an identity hash and a probe once the task had allocated a fifth array.
 * In front of the hash set, <b>the last two objects the hash set answered</b> ({@link #hot},
 * {@link #warm}) are two reference compares. Both answer what a search of the set would: the
 * memo holds only objects of the set with their levels, and nothing leaves the set before
 * {@link #clear}, which empties the memo too.
 *
 * <p>Each object is recorded with the nesting level that allocated it ({@link Txn#level}): a
 * nested block's write to an object of an earlier level must log its old value, as one that may
 * fail alone ({@link #bornBefore}).
 */
final class FreshObjects {
  private static final int LINEAR = 4;
  private static final int MAX = 1 << 15;
  /** What the memo holds when it holds nothing: never an argument, so {@code null} is never found. */
  private static final Object NOTHING = new Object();

  /**
   * {@code -Dame4j.freshFront=true}: the first four objects stay in the linear front for the whole
   * attempt and the set remembers its last two finds; false (the default): the fifth object moves
   * the first four to the hash set and there is no memo. Off because it did not pay: json's found
   * searches fell 30-fold, but its CPU rose 3-5 % (a loaded and a quiet A/B, the agent's
   * DESIGN-NOTES, "json's born arrays: the capture set's front and memo").
   */
  static final boolean FRONT = Boolean.getBoolean("ame4j.freshFront");

  private final Object[] recent = new Object[LINEAR];
  private final long[] recentLevels = new long[LINEAR];
  /** Objects in {@link #recent}; with {@link #FRONT} off, 0 once they moved to the hash set. */
  private int recentCount;
  private Object[] table = new Object[0];
  private long[] levels = new long[0];
  /** Objects in the hash set. */
  private int count;
  /** The object the hash set last answered for (its level in {@link #hotLevel}), or NOTHING. */
  private Object hot = NOTHING;
  /** The one {@link #hot} held before, or NOTHING. */
  private Object warm = NOTHING;
  private long hotLevel;
  private long warmLevel;

  /** True if no object was added since the last {@link #clear}. */
  boolean isEmpty() {
    return count == 0 && recentCount == 0;
  }

  /** Records {@code o}, allocated at nesting level {@code level}; a second add changes nothing. */
  void add(Object o, long level) {
    int n = recentCount;
    for (int i = 0; i < n; i++) {
      if (recent[i] == o) {
        return; // a constructor chain records its object once per constructor
      }
    }
    if (count == 0 && n < LINEAR) {
      recent[n] = o;
      recentLevels[n] = level;
      recentCount = n + 1;
      return;
    }
    addToSet(o, level);
  }

  /**
   * {@link #add} past the front: into the hash set (made, filled from the front, grown as needed).
   * A method of its own so that the part of {@link #add} that C2 inlines into every allocation
   * site of a twin is the front's few compares (issue 14, session 16).
   */
  private void addToSet(Object o, long level) {
    int n = recentCount;
    if (table.length == 0) {
      table = new Object[256];
      levels = new long[256];
    }
    if (!FRONT && n > 0) { // the set before: the fifth object moves the first four
      for (int i = 0; i < n; i++) {
        insert(table, levels, recent[i], recentLevels[i]);
        recent[i] = null;
      }
      count = n;
      recentCount = 0;
    }
    if (count * 2 >= table.length) {
      if (table.length >= MAX * 2) {
        return;
      }
      rehash(table.length * 2);
    }
    if (insert(table, levels, o, level)) {
      count++;
    }
  }

  boolean contains(Object o) {
    return levelOf(o) >= 0;
  }

  /**
   * True if {@code o} is here and was recorded before nesting level {@code level} began (a
   * smaller number): a write to it in that level must log its old value. Level 0, the top level,
   * has no level before it, and the barriers ask only about objects they found here.
   */
  boolean bornBefore(Object o, long level) {
    return level != 0 && levelOf(o) < level;
  }

  /** True if {@code o} is in the linear front: objects there were never hashed for the set. */
  boolean inFront(Object o) {
    Object[] r = recent;
    for (int i = 0, n = recentCount; i < n; i++) {
      if (r[i] == o) {
        return true;
      }
    }
    return false;
  }

  /** True if {@code o} is in the hash set ({@link #contains} without the front). */
  boolean inSet(Object o) {
    return count != 0 && setLevelOf(o) >= 0;
  }

  /** The nesting level that allocated {@code o} ({@link Txn#level}), or -1 if it is not here. */
  long levelOf(Object o) {
    Object[] r = recent;
    for (int i = 0, n = recentCount; i < n; i++) {
      if (r[i] == o) {
        return recentLevels[i];
      }
    }
    if (count == 0) {
      return -1;
    }
    return setLevelOf(o);
  }

  /** {@link #levelOf} in the hash set, which holds something. */
  private long setLevelOf(Object o) {
    if (o == hot) {
      return hotLevel;
    }
    if (o == warm) {
      return warmLevel;
    }
    return search(o);
  }

  /**
   * The level of {@code o} in the hash set, or -1; a found object goes in front of the memo
   * ({@link #hot}), the one there moves behind it.
   */
  private long search(Object o) {
    Object[] t = table;
    int mask = t.length - 1;
    for (int i = spread(o) & mask; ; i = (i + 1) & mask) {
      Object e = t[i];
      if (e == null) {
        return -1; // first, so that null is never found in an empty slot
      }
      if (e == o) {
        long level = levels[i];
        if (FRONT) {
          warm = hot;
          warmLevel = hotLevel;
          hot = o;
          hotLevel = level;
        }
        return level;
      }
    }
  }

  void clear() {
    hot = NOTHING;
    warm = NOTHING;
    if (recentCount > 0) {
      Arrays.fill(recent, 0, recentCount, null);
      recentCount = 0;
    }
    if (count > 0) {
      if (table.length > 4096) {
        table = new Object[0];
        levels = new long[0];
      } else {
        Arrays.fill(table, null);
      }
      count = 0;
    }
  }

  private void rehash(int capacity) {
    Object[] next = new Object[capacity];
    long[] nextLevels = new long[capacity];
    Object[] t = table;
    for (int i = 0; i < t.length; i++) {
      if (t[i] != null) {
        insert(next, nextLevels, t[i], levels[i]);
      }
    }
    table = next;
    levels = nextLevels;
  }

  /** False if {@code o} was there already (a constructor chain records its object once per constructor). */
  private static boolean insert(Object[] t, long[] l, Object o, long level) {
    int mask = t.length - 1;
    int i = spread(o) & mask;
    while (t[i] != null) {
      if (t[i] == o) {
        return false;
      }
      i = (i + 1) & mask;
    }
    t[i] = o;
    l[i] = level;
    return true;
  }

  private static int spread(Object o) {
    int h = System.identityHashCode(o) * 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}
