package org.ame4j.internal.engine;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Ordered runs: a finished attempt whose turn has not come is committed by the thread that
 * commits its predecessor, instead of waiting for its own thread to be scheduled again
 * ({@code ame4j.ordered.handOver}, default false since the quiet A/B below).
 *
 * <p><b>Why.</b> Without it every commit of a 2-worker ordered run is a hand-off between
 * threads: the predecessor's commit moves the turn, and the waiter, which gave up its core
 * after the spin phase (a yield or a park), commits only when the scheduler runs it again. On
 * a loaded machine that is a scheduler round trip per task (ordered components, 1.49 M
 * commits: 184 s of wall time against 6.4 s unordered, session 16). Here the waiter offers its
 * finished attempt after the spins ({@link #offer}); the committer of the predecessor claims
 * it, commits it on its own thread, publishes its adds and moves the turn on, then wakes the
 * waiter, which only has to return. The chain goes on while offered successors follow.
 *
 * <p><b>What is guaranteed.</b> An offered attempt is committed by exactly one thread: the
 * committer claims it with one compare-and-set of its slot, the owner takes it back
 * ({@link #withdraw}) with the same compare-and-set, and whichever fails leaves the attempt to
 * the other; the owner does not touch its descriptor until {@link Txn#handOver} says the
 * claimed commit ended. The commit is the attempt's own {@link Txn#commit} (validation at the
 * turn, the stamp, the release), on its turn, so the result is the sequential order's exactly
 * as when the owner commits. A claimed commit that fails (killed, or invalid) is handed back to
 * the owner unrolled ({@link Txn#HANDED_BACK}), which rolls it back and re-runs as after its own
 * failed commit. Only plain attempts are offered ({@link #mayOffer}): no held element writes,
 * no after-commit actions (those run on the task's own thread), not inevitable or paused, no
 * conflict report or JFR recording. Blind updates are flushed by the commit itself, under the
 * attempt's own descriptor, whichever thread runs it.
 *
 * <p><b>What it does not do.</b> The owner still waits (parked or yielding) until its attempt
 * committed before it takes its next task: one uncommitted attempt per worker. The same
 * concurrency control runs with one worker as with two: with one worker every turn has come
 * when the attempt finishes, so nothing is offered.
 */
public final class TurnHandOver {
  /**
   * {@code ame4j.ordered.handOver} (default false): the A/B switch. Off by default after the
   * lead's quiet A/B (session 16; ordered, 2 workers, bench size, probes 1.95-1.98, medians of 5):
   * wall with it on / off components 1.30, sssp 1.64, kmeans 1.05. It pays where a waiter loses
   * its core (the helper's loaded runs: about 5x faster); on a machine with a core per worker the
   * offers' cost and the turn's extra hand-offs outweigh it. Tested in ame4j-core's
   * {@code ordered-hand-over} surefire execution.
   */
  public static final boolean ON =
      Boolean.parseBoolean(System.getProperty("ame4j.ordered.handOver", "false"));

  private static final int SLOTS = 64;
  private final AtomicReferenceArray<Txn> offered = new AtomicReferenceArray<>(SLOTS);

  private static int slot(long ticket) {
    return (int) ticket & (SLOTS - 1);
  }

  /** True if {@code tx}'s finished attempt may be committed by another thread. */
  static boolean mayOffer(Txn tx) {
    return !tx.inevitable && !tx.paused && tx.depth == 1 && tx.heldWrites.size == 0
        && tx.deferred.commitActions() == 0 && !Diagnostics.ON;
  }

  /**
   * The owner's thread: offers {@code tx}'s finished attempt, ticket {@code ticket}, to the
   * committer of its predecessor. False if the slot is taken (it then waits as without this).
   */
  boolean offer(Txn tx, long ticket) {
    tx.handOverThread = Thread.currentThread();
    tx.handOverFailure = null;
    tx.handOver = Txn.OFFERED; // volatile, before the slot: a claimer sees it
    return offered.compareAndSet(slot(ticket), null, tx);
  }

  /** The owner's thread: takes the offer back; false if a committer claimed it first. */
  boolean withdraw(Txn tx, long ticket) {
    if (!offered.compareAndSet(slot(ticket), tx, null)) {
      return false;
    }
    tx.handOver = 0;
    return true;
  }

  /** True while {@code tx}'s offer is in its slot (not claimed, not withdrawn). */
  boolean isOffered(Txn tx, long ticket) {
    return offered.get(slot(ticket)) == tx;
  }

  /**
   * The committer's thread, right after the task before {@code next} committed and moved the
   * turn to {@code next} ({@link CommitGate#committed}): commits the offered attempts of
   * {@code next}, {@code next + 1}, ... in order until one is not offered or fails.
   */
  void commitOffered(CommitGate order, long next) {
    for (; ; next++) {
      int s = slot(next);
      Txn tx = offered.get(s);
      if (tx == null || tx.ticket != next || !order.isTurn(next) || order.handBack(next)
          || !offered.compareAndSet(s, tx, null)) {
        return;
      }
      if (tx.ticket != next) { // the owner withdrew and offered a later ticket meanwhile
        offered.set(s, tx); // its owner waits for the slot or the turn, never for this
        return;
      }
      Thread owner = tx.handOverThread;
      try {
        tx.commit();
      } catch (Throwable t) {
        tx.handOverFailure = t; // the attempt is as the failed commit left it: the owner rolls back
        tx.handOver = Txn.HANDED_BACK;
        LockSupport.unpark(owner);
        return;
      }
      tx.deferred.publishAdds(); // holding the turn: the adds join the tail in sequential order
      order.committed(next);
      tx.handOver = Txn.COMMITTED; // after this the owner may reuse tx: not touched again here
      LockSupport.unpark(owner);
    }
  }
}
