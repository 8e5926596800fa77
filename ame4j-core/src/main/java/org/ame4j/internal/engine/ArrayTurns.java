package org.ame4j.internal.engine;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turning a read-only stripe of arrays written ({@link ArrayRecords}): the grace period that lets
 * readers of read-only arrays read them with no check and no log at all.
 *
 * <p><b>The protocol</b> (privatization by quiescence: Spear, Marathe, Dalessandro, Scott,
 * "Privatization techniques for software transactional memory", PODC 2007; an RCU grace period).
 * A reader of a stripe not yet published ({@link ArrayStripes#published}) loads the element and
 * nothing else, once its descriptor has published bit {@code stripe & 63} of its
 * {@link Txn#uncheckedStripes} (a volatile store the first time, then the stripe is checked
 * again; the bits are kept across attempts, a superset that spares the store's fence, see
 * {@code Txn.finish}). The first writer of the stripe:
 *
 * <ol>
 *   <li>locks the stripe word (one turner at a time) and keeps it until its attempt ends;
 *   <li>publishes the per-element words, then the stripe's bit (volatile stores);
 *   <li>reads the status of every other descriptor ({@link TxnRegistry#live}) and waits until
 *       each attempt that was running then with the stripe's bit set has ended;
 *   <li>marks the stripe {@link ArrayRecords#ready ready}; only then may anybody store to an
 *       element of the stripe.
 * </ol>
 *
 * <p><b>Why it is serializable.</b> A reader's attempt stores its status and its stripe bit
 * (volatile) before it checks the stripe's published bit (volatile); the turner publishes before
 * it loads the statuses and bits. So either the turner sees the attempt running with the bit and
 * waits for its end, or the attempt sees the stripe published and reads element by element under
 * the element words, like any written array (Dekker). An attempt that read elements with no check therefore ended before the first element
 * store: it saw the values before every write and serializes before all of them. The turner's
 * own unchecked reads (an attempt that read the array, then writes it: k-means' sums) are
 * covered by the stripe word it holds: writers wait while another transaction holds it
 * ({@link ElementBarriers#lock}), so nobody else stores to the stripe until the turner ends.
 * A turner that aborts during the grace period leaves the stripe published but not ready: the
 * next writer locks the stripe word and waits a grace period of its own (over whoever runs
 * then, which includes every earlier reader still running).
 *
 * <p><b>Why it cannot deadlock.</b> The turner waits with its own status checked every round,
 * so a transaction with priority over it (the inevitable one, an older task of an ordered run)
 * that needs one of its locks kills it as usual. After {@link #KILL_AFTER_NANOS}, or at once if
 * the straggler must serialize after it anyway (a younger task of the same ordered run, which
 * may be parked waiting for the turner's commit) or is itself a turner waiting for a later
 * grace period, the turner asks the straggler to abort ({@link Txn#requestAbort}); the straggler
 * sees the request at its next lock, extension, writing commit or turn wait and ends. Only the
 * inevitable transaction is never asked: it waits for nothing the turner holds without killing
 * the turner first. Attempts between two of a task's attempts, in {@code retry()} or waiting for
 * the inevitability token are idle and not waited for.
 *
 * <p><b>What it costs.</b> A turn happens once per stripe until the end of a queue run cools it
 * back to read-only ({@link StripeCooling}), then again at its next write. With one
 * worker it is a scan of the descriptors; with several, the turner waits up to one task of each
 * other worker (the heat stencil's first two sweeps turn a row per task).
 *
 * <p>{@code Ame.retry()}: an attempt's unchecked reads are in no read set, so a waiter could miss
 * the write that a turn lets through; every completed grace period therefore changes the word of
 * {@link #TURNS}, which every retry snapshot holds.
 */
final class ArrayTurns {
  /**
   * How long a turner waits for a straggler before asking it to abort ({@code
   * ame4j.turn.waitMicros}, default 1,000: longer than most tasks, so that a turn seldom costs
   * the other worker its attempt).
   */
  static final long KILL_AFTER_NANOS = Long.getLong("ame4j.turn.waitMicros", 1_000L) * 1_000L;

  /** A record whose word changes at the end of every grace period (see the class comment). */
  static final LongCell TURNS = new LongCell(0);

  /** Grace periods started, so that of two turners waiting for each other the later yields. */
  private static final AtomicLong GRACE = new AtomicLong();

  private ArrayTurns() {}

  /**
   * Grace periods started so far: an attempt that ends and finds this changed since its
   * descriptor last cleared its sticky stripe bits clears them ({@link Txn#STICKY_STRIPES}). A
   * plain read of a word written once per turn: it stays in every core's cache.
   */
  static long started() {
    return GRACE.getPlain();
  }

  /**
   * Turns the stripe {@code r} of {@code array} written for {@code tx}, or waits for the turn in
   * progress; returns the element words once the stripe is ready. Aborts {@code tx} if it is
   * killed meanwhile.
   */
  static long[] turn(ArrayRecords r, int stripe, Object array, Txn tx) {
    tx.acquire(r, -1, true); // held until tx ends: see the class comment
    long[] w = r.publish(Array.getLength(array));
    ArrayStripes.markPublished(stripe); // after the words, before the grace period's scan
    if (!r.ready) {
      if (Diagnostics.ON) {
        Diagnostics.turning(tx, stripe); // a straggler asked to abort names this stripe
      }
      awaitQuiescence(tx, stripe);
      StripeCooling.turned(stripe, array);
      r.ready = true;
      for (long t; !TxCell.META.compareAndSet(TURNS, t = Txn.wordOf(TURNS, -1),
          Orecs.unlocked(Orecs.version(t) + 1)); ) {
        Thread.onSpinWait(); // another stripe's turner bumped it: again
      }
      RetryWaiters.commitHappened();
    }
    return w;
  }

  /**
   * The grace period: waits until every attempt of another descriptor running now that may have
   * read {@code stripe} unchecked ({@link Txn#mayHaveReadStripe}) has ended.
   */
  static void awaitQuiescence(Txn tx, int stripe) {
    long grace = GRACE.incrementAndGet();
    if (!anyOtherMayHaveRead(tx, stripe)) {
      return; // the common case with one worker: a scan, no lists, no boxed statuses
    }
    tx.grace = grace;
    try {
      List<Txn> others = new ArrayList<>();
      List<Long> statuses = new ArrayList<>();
      for (Txn other : TxnRegistry.live()) {
        long s = other.statusWord();
        if (other != tx && Txn.isRunning(s)) {
          others.add(other);
          statuses.add(s & ~3L);
        }
      }
      long start = System.nanoTime();
      for (int round = 0; ; round++) {
        int waitingFor = -1;
        boolean late = System.nanoTime() - start > KILL_AFTER_NANOS;
        for (int j = 0; j < others.size(); j++) {
          Txn other = others.get(j);
          if (!other.isInAttempt(statuses.get(j)) || !other.mayHaveReadStripe(stripe)) {
            continue;
          }
          waitingFor = j;
          if (late || mustYield(other, tx, grace)) {
            other.requestAbort(tx);
          }
        }
        if (waitingFor < 0) {
          return;
        }
        tx.checkAlive();
        // A straggler off the processor may take a time slice to end, even once asked to
        // abort: park, and let its end wake us.
        Backoff.await(round, tx, others.get(waitingFor), statuses.get(waitingFor));
      }
    } finally {
      tx.grace = 0;
    }
  }

  /**
   * True if a running attempt of another descriptor may have read {@code stripe}
   * unchecked. Called after the publication (volatile), like the full scan: false means no
   * attempt running now has the bit, and one that starts later sees the stripe published.
   */
  private static boolean anyOtherMayHaveRead(Txn tx, int stripe) {
    for (int id = 0, n = TxnRegistry.idBound(); id < n; id++) {
      Txn other = TxnRegistry.lookup(id);
      if (other != null && other != tx && Txn.isRunning(other.statusWord())
          && other.mayHaveReadStripe(stripe)) {
        return true;
      }
    }
    return false;
  }

  /**
   * True if {@code other} should be asked to abort at once rather than after the bound: it must
   * serialize after {@code tx} anyway (a younger task of the same ordered run, possibly parked for
   * {@code tx}'s commit), or it is a turner itself that started its grace period later (two
   * turners waiting for each other: the earlier one goes on), or {@code tx} is inevitable and
   * {@code other} is a turner (it could never make {@code tx} yield).
   */
  private static boolean mustYield(Txn other, Txn tx, long grace) {
    if (tx.order != null && other.order == tx.order && other.ticket > tx.ticket) {
      return true;
    }
    long g = other.grace;
    return g != 0 && (g > grace || tx.inevitable);
  }
}
