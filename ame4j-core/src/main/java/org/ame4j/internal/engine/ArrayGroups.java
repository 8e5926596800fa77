package org.ame4j.internal.engine;

import java.lang.reflect.Array;

/**
 * Index-grouped records (issue 14, session 16): arrays that a task accesses together at one index
 * ({@code queued[v]}, {@code visits[v]}, {@code label[v]} in a graph walk) share one stripe of
 * {@link ArrayStripes}, so that the record word of index {@code i} covers element {@code i} of
 * each of them. One record-word miss and one lock per vertex instead of one per array; a second
 * write at the same index finds its own lock.
 *
 * <p><b>How.</b> An array's stripe is its identity hash's ({@link ArrayStripes#of}) unless this
 * class holds an <em>alias</em> for it: the natural stripe's bit in {@link #ALIASED} is set and
 * {@link #ALIAS} of that stripe names the array's whole identity hash; then its stripe is the one
 * the alias names, the stripe of the group's first array. One alias per natural stripe.
 *
 * <p><b>Why it is correct, whatever is grouped.</b> Stripes already hold several arrays
 * ({@link ArrayStripes}: sharing costs false conflicts, never a lost or unseen write), so any
 * assignment of arrays to stripes is correct <em>as long as every attempt that accesses an array
 * uses the same stripe for it</em>. An alias therefore changes an array's stripe only while no
 * other attempt runs: the registering attempt becomes the serial one ({@link Txn#runAlone}: every
 * other running attempt is asked to abort and awaited, new ones wait in {@code begin}), installs
 * the aliases, and only then lets the others go; they re-read the alias after {@code begin}'s
 * volatile load of the serial owner. Nothing kept across attempts names an array's old stripe,
 * except a retry snapshot: the install bumps {@link ArrayTurns#TURNS}, which every snapshot
 * holds, so waiters wake and read again. The registering attempt itself must not have accessed
 * anything yet (its logs empty; checked), so it too sees one stripe per array. The agent only
 * decides which arrays are worth grouping ({@code EntryPrefetch}): a wrong guess costs false
 * conflicts, never correctness. Only arrays of the first array's length join (an equal length
 * gives the group's words one element of each array per word); an array replaced in its field is
 * a new array with no alias (the old one keeps its alias, which is harmless: it is only another
 * stripe for it; once it is dead the alias only moves arrays that happen to have its hash); an
 * array also used outside the group is accessed everywhere through its one stripe.
 *
 * <p><b>What it does not do.</b> An alias is never removed, only replaced by another group's
 * whose array has the same natural stripe (while that attempt runs alone: the displaced array
 * goes back to its own stripe, correct but no longer grouped), and never by an array of the same
 * group. No group is formed by an attempt that allocated arrays (they may be its own), nor by one
 * that has accessed anything. After {@link #MAX_DISPLACED} displacements no more groups are
 * formed, so that two live groups that keep taking each other's slot stop running attempts alone.
 * The same protocol runs for one worker or many: a group changes only which word covers an
 * element.
 */
final class ArrayGroups {
  /** {@code ame4j.groupedRecords} (default true): whether the agent's groups are installed. */
  static final boolean ON = Boolean.parseBoolean(System.getProperty("ame4j.groupedRecords", "true"));

  /**
   * Aliases displaced by others (two groups' arrays of one natural stripe) before this class stops
   * grouping: two live groups that took each other's slot would otherwise run an attempt alone
   * at every entry.
   */
  static final int MAX_DISPLACED = 64;

  /** One bit per natural stripe: set once {@link #ALIAS} of it holds an alias (never cleared). */
  private static final long[] ALIASED = new long[ArrayStripes.COUNT / 64];

  /**
   * Per natural stripe, its alias: the whole identity hash of the array it moves (high half) and
   * the stripe it moves it to (low half). Keyed by the hash, not the array: no reference to keep
   * alive or to clear, and a plain {@code long} load on the barriers' path. Two arrays with one
   * identity hash both move, which is correct (a stripe's sharing) and rare.
   */
  private static final long[] ALIAS = new long[ArrayStripes.COUNT];

  private static final Object LOCK = new Object();

  private static int displaced;
  private static int installed;

  private ArrayGroups() {}

  /** True if natural stripe {@code s} carries an alias (a plain load: see the class comment). */
  static boolean aliased(int s) {
    return (ALIASED[s >>> 6] & (1L << s)) != 0;
  }

  /**
   * The stripe of an array of identity hash {@code hash}, whose natural stripe {@code s} carries
   * an alias.
   */
  static int stripeOf(int hash, int s) {
    long e = ALIAS[s];
    return (int) (e >>> 32) == hash ? (int) e & (ArrayStripes.COUNT - 1) : s;
  }

  /**
   * True if every non-null array of {@code b}, {@code c}, {@code d} of {@code a}'s length is in
   * {@code a}'s stripe: the group is in place (or {@code a} is null, or nothing is left to try).
   * The check every entry of a grouping twin pays: three hashes and length compares.
   */
  static boolean inPlace(Object a, Object b, Object c, Object d) {
    if (a == null || displaced >= MAX_DISPLACED) {
      return true;
    }
    int n = Array.getLength(a);
    int s = ArrayStripes.of(a);
    return joined(b, n, s) && joined(c, n, s) && joined(d, n, s);
  }

  private static boolean joined(Object x, int n, int s) {
    return x == null || Array.getLength(x) != n || ArrayStripes.of(x) == s;
  }

  /**
   * Installs the group of {@code a} (its stripe) for {@code b}, {@code c}, {@code d} (null: none)
   * if {@code tx} has done nothing yet and allocated no array; else does nothing (a later entry
   * tries again). Runs {@code tx} alone first ({@link Txn#runAlone}), which may restart it.
   */
  static void register(Object a, Object b, Object c, Object d, Txn tx) {
    if (tx.freshArrays || !tx.untouched()) {
      return;
    }
    if (Txn.othersInevitable(tx)) {
      return; // another worker forms it (or runs alone): ours would restart inevitable for nothing
    }
    tx.runAlone("ame4j: grouping array records", "array records grouped");
    synchronized (LOCK) { // one installer at a time (the serial attempt is one already)
      if (inPlace(a, b, c, d)) {
        return;
      }
      int n = Array.getLength(a);
      int g = ArrayStripes.of(a);
      for (Object x : new Object[] {b, c, d}) {
        if (x == null || Array.getLength(x) != n || ArrayStripes.of(x) == g) {
          continue;
        }
        int h = System.identityHashCode(x);
        int s = h & (ArrayStripes.COUNT - 1);
        int taken = (int) (ALIAS[s] >>> 32);
        if (aliased(s) && taken != h) {
          displaced++; // another array's alias: it goes back to its own stripe (we run alone)
          if (hashOf(a) == taken || hashOf(b) == taken || hashOf(c) == taken || hashOf(d) == taken) {
            continue; // the alias of an array of this very group: keep it
          }
        }
        ALIAS[s] = (long) h << 32 | g;
        ALIASED[s >>> 6] |= 1L << s;
        installed++;
      }
    }
    // Retry waiters logged words of the old stripes: wake them to read again (ArrayTurns).
    for (long t; !TxCell.META.compareAndSet(ArrayTurns.TURNS, t = Txn.wordOf(ArrayTurns.TURNS, -1),
        Orecs.unlocked(Orecs.version(t) + 1)); ) {
      Thread.onSpinWait();
    }
    RetryWaiters.commitHappened();
  }

  private static int hashOf(Object x) {
    return x == null ? 0 : System.identityHashCode(x);
  }

  /** Aliases installed so far (tests, stats). */
  static int installed() {
    synchronized (LOCK) {
      return installed;
    }
  }
}
