package org.ame4j.internal.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * Turning written stripes of arrays back to read-only when no transaction runs (the end of a
 * queue run): the reverse of {@link ArrayTurns}, so that an array that a step of a data-parallel
 * loop wrote is read with no check and no log by the next step, which only reads it.
 *
 * <p><b>Why.</b> A stripe used to stay written for the life of the JVM. The heat stencil writes
 * every row of {@code next}, then swaps the grids: from the second step on, every row it reads was
 * written once, so each of its five loads per cell paid the element word's check and a read-set
 * entry (about two thirds of a 1-worker profile, JFR). Cooled at the end of each step, the rows
 * of {@code cur} are read-only again; the next step's writer of a row turns it written with a
 * grace period, as the first step did.
 *
 * <p><b>The protocol</b>, one cooler at a time, outside any transaction:
 *
 * <ol>
 *   <li>mark every written stripe ({@link ArrayRecords#ready}) not ready: a writer that finds it so
 *       turns it again ({@link ArrayTurns#turn}: stripe word, grace period, ready);
 *   <li>wait until every attempt running now has ended (a writer that found the stripe ready
 *       before step 1 may still store to it), then once more: an attempt that began before
 *       such a writer's commit and still runs would otherwise read the new value unchecked at its
 *       older snapshot (opacity). After the second wait every running attempt began after every
 *       commit to the stripe except a turner's;
 *   <li>for each stripe, under its stripe word (locked with an owner id no descriptor has, for a
 *       few instructions): if it is still not ready (no turner came in between, and none holds
 *       the word), clear its published bit; readers read it unchecked from then on, and its next
 *       writer's grace period waits for them.
 * </ol>
 *
 * <p>The words stay (versions included), so an attempt that logged a checked read of the stripe
 * before it cooled still validates against them. If an attempt is still running after
 * {@link #WAIT_NANOS} (another thread's transaction), the cooling gives up and marks the stripes
 * ready again: they stay written, as before, which is always safe while the published bit is set.
 *
 * <p><b>Arrays written run after run stay written.</b> A stripe that the previous cooling cooled
 * and that the same array turned written again since (its identity hash, {@link #turned}) is
 * written by every run, not read-only between runs: cooling it again would only cost its next
 * run a turn, and that run's writers of the array (two tasks that read, then write one element)
 * a conflict on the whole array while one of them turns it. By default it is left written while
 * every cooling finds it written. With a bound ({@link #KEEP_FOR}, off by default: it measured
 * slower) it is left written for at most {@code KEEP_FOR} coolings in a row; then it is cooled
 * like any other, and an array still written run after run turns it again at its next run and
 * is kept again from the cooling after (one turn per {@code KEEP_FOR + 1} coolings). What the
 * bound is for: a kept stripe is never turned again, so nothing tells the cooler whether its
 * array is still written, or still alive. Kept for good, the stripes of every dead array that was
 * written run after run stay written for the life of the JVM: a corpus JVM that ran k-means 30
 * times kept 300 stripes written, and the point and centroid rows that share them were read
 * checked (a third of a one-worker profile). A data-parallel loop's grids alternate (heat writes one grid per
 * step and only reads it in the next), so their rows still cool at every step; a stripe that two
 * arrays turn in turn (rows of both grids in one stripe) cools too, since no array turned it at
 * two coolings in a row.
 *
 * <p>What it costs: two scans of the descriptors and one of the published bitmap per queue run
 * that turned a stripe, and one turn per cooled stripe that is written again (with one worker, a
 * scan of the descriptors). On by default ({@code ame4j.coolStripes=false} turns it off): see
 * {@link #ON}.
 */
public final class StripeCooling {
  /**
   * {@code ame4j.coolStripes} (default true): whether queue runs cool the stripes they wrote.
   * False: a stripe once written stays written for the life of the JVM (before issue 14's
   * session 11; heat then reads every row checked, about 3x the CPU on one worker).
   */
  public static final boolean ON =
      Boolean.parseBoolean(System.getProperty("ame4j.coolStripes", "true"));

  /**
   * {@code ame4j.coolStripes.keepFor} (default 0): how many coolings in a row a stripe written run
   * after run by the same array stays written without a new turn before a cooling cools it anyway
   * (see the class comment). 0: no bound, a kept stripe stays written while every cooling finds it
   * written. Off by default: the quiet A/B of session 15 ({@code run-option-ab.sh --a
   * -Dame4j.coolStripes.keepFor=0 --b -Dame4j.coolStripes.keepFor=4 --programs kmeans-local
   * --warmup 5}) read 2.1x the wall time and 3.5x the CPU with the bound: a corpus JVM's few runs
   * re-turn the stripes that k-means writes in every run, and the turns cost more than the checked
   * reads they save; the bound pays only in a JVM that runs many short-lived programs.
   */
  static final int KEEP_FOR = keepForFromProperty();

  private static int keepForFromProperty() {
    int n = Integer.getInteger("ame4j.coolStripes.keepFor", 0);
    if (n < 0) {
      throw new IllegalArgumentException("ame4j.coolStripes.keepFor must be >= 0, was " + n);
    }
    return n;
  }

  /** How long the cooling waits for running attempts before it gives up (1 ms). */
  static final long WAIT_NANOS = 1_000_000L;

  /** The cooler's lock word: an owner id no descriptor has ({@link TxnRegistry#lookup} misses). */
  private static final long COOLER = Orecs.lockedBy(Integer.MAX_VALUE);

  /** {@link ArrayTurns#started} at the last cooling: no grace period since means nothing to do. */
  private static long lastGrace = -1;

  private static long cooledTotal;

  /** Coolings that got past the waits: the number of the last one. */
  private static int coolings;

  /**
   * Per stripe, the identity hash of the array that last turned it written ({@link #turned}): a
   * plain store by the turner, read by the cooler (a stale value only decides whether a stripe
   * cools now or at the next run's end).
   */
  private static final int[] TURNED_BY = new int[ArrayStripes.COUNT];

  /**
   * Per stripe, the number of the last cooling that found it written ({@link #coolings}) and the
   * array that had turned it then: a stripe found written again at the next cooling, turned by
   * the same array, is written run after run and stays written (see the class comment).
   */
  private static final int[] SEEN_AT = new int[ArrayStripes.COUNT];

  private static final int[] SEEN_BY = new int[ArrayStripes.COUNT];

  /** Per stripe, the coolings in a row that kept it written without a new turn ({@link #KEEP_FOR}). */
  private static final int[] KEPT_FOR = new int[ArrayStripes.COUNT];

  /** Test-only: runs after the two waits, before any published bit is cleared. */
  static volatile Runnable beforeClearForTesting;

  private StripeCooling() {}

  /** {@code array} turned stripe {@code s} written ({@link ArrayTurns#turn}). */
  static void turned(int s, Object array) {
    TURNED_BY[s] = System.identityHashCode(array);
  }

  /**
   * Called by a queue when its run has ended (no task of it runs): cools the stripes turned
   * written since the last cooling, if {@link #ON} and no other attempt keeps running. Returns
   * how many stripes turned read-only.
   */
  public static int afterRun() {
    return ON ? cool() : 0;
  }

  /** Cools every written stripe now (see the class comment); returns how many turned read-only. */
  static synchronized int cool() {
    long grace = ArrayTurns.started();
    if (grace == lastGrace) {
      return 0; // no stripe turned written since the last cooling
    }
    int n = coolings + 1;
    List<Integer> marked = new ArrayList<>();
    List<Integer> kept = new ArrayList<>();
    for (int j = 0; j < ArrayStripes.COUNT / 64; j++) {
      for (long bits = ArrayStripes.publishedWord(j); bits != 0; bits &= bits - 1) {
        int s = j * 64 + Long.numberOfTrailingZeros(bits);
        ArrayRecords r = ArrayStripes.records(s);
        if (!r.ready) {
          continue;
        }
        if (n > 1 && SEEN_AT[s] == n - 1 && SEEN_BY[s] == TURNED_BY[s]
            && (KEEP_FOR == 0 || KEPT_FOR[s] < KEEP_FOR)) {
          kept.add(s); // written by the same array at the last cooling too: stays written
        } else {
          r.ready = false; // step 1: later writers turn it again
          marked.add(s);
        }
      }
    }
    if (!awaitRunningAttempts() || !awaitRunningAttempts()) {
      for (int s : marked) {
        ArrayStripes.records(s).ready = true; // still published: written, as before
      }
      return 0;
    }
    coolings = n;
    for (int s : kept) {
      SEEN_AT[s] = n;
      KEPT_FOR[s]++;
    }
    for (int s : marked) {
      SEEN_AT[s] = n;
      SEEN_BY[s] = TURNED_BY[s];
      KEPT_FOR[s] = 0;
    }
    Runnable hook = beforeClearForTesting;
    if (hook != null) {
      hook.run();
    }
    int cooled = 0;
    for (int s : marked) {
      ArrayRecords r = ArrayStripes.records(s);
      long m = Txn.wordOf(r, -1);
      if (Orecs.isLocked(m) || !TxCell.META.compareAndSet(r, m, COOLER)) {
        continue; // a turner holds it: it stays written (not ready until the turner marks it)
      }
      try {
        if (!r.ready) {
          ArrayStripes.markUnpublished(s); // step 3
          cooled++;
        }
      } finally {
        TxCell.META.setVolatile(r, m);
      }
    }
    lastGrace = grace;
    cooledTotal += cooled;
    return cooled;
  }

  /**
   * Waits until every attempt of any descriptor running now has ended; false if one is still
   * running after {@link #WAIT_NANOS}.
   */
  private static boolean awaitRunningAttempts() {
    List<Txn> running = new ArrayList<>();
    List<Long> statuses = new ArrayList<>();
    for (Txn t : TxnRegistry.live()) {
      long s = t.statusWord();
      if (Txn.isRunning(s)) {
        running.add(t);
        statuses.add(s & ~3L);
      }
    }
    long start = System.nanoTime();
    for (int j = 0, round = 0; j < running.size(); ) {
      if (!running.get(j).isInAttempt(statuses.get(j))) {
        j++;
      } else if (System.nanoTime() - start > WAIT_NANOS) {
        return false;
      } else {
        Backoff.pause(round++);
      }
    }
    return true;
  }

  /** Stripes turned read-only by coolings so far (for tests). */
  static synchronized long cooledTotal() {
    return cooledTotal;
  }
}
