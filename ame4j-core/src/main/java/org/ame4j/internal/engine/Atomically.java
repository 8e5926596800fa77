package org.ame4j.internal.engine;

import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.ame4j.internal.diag.CommitEvent;
import org.ame4j.internal.diag.Conflicts;
import org.ame4j.internal.diag.Events;

/**
 * Runs a block as a transaction: begin, run, commit; on conflict roll back and run again.
 *
 * <p><b>Progress.</b> After {@code ame4j.maxAborts} conflict aborts (default 16) the block runs
 * as the inevitable transaction, which cannot abort, so every block finishes: no livelock, no
 * starvation. In an ordered run the oldest task already wins every conflict.
 *
 * <p><b>Long readers.</b> An unordered attempt that read at least {@code ame4j.longReader.reads}
 * records (default 256) and failed validation against a writer re-runs differently after
 * {@code ame4j.longReader.aborts} such aborts (default 2), not after {@code ame4j.maxAborts}:
 * against steady writers a long reader almost never gets through, and each try costs all its
 * reads (the corpus bank's audits, 1,024 accounts read while transfers commit, aborted about 3
 * times each and 11-13% of them reached the limit of 16). A logged attempt that read that many
 * records before writing anything pauses commits in place ({@code Txn#pauseInPlace}); one whose
 * in-place pause found a commit to what it read re-runs paused at once. That re-run pauses the
 * other writers' commits ({@link CommitPause}, {@code ame4j.longReader.pause}; inevitable with
 * the switch off and in ordered runs): it reads without locks or a
 * log, waits briefly for the short writers that hold what it reads and then kills them ({@code
 * Txn#contend}), and other workers' writers wait only at their commit. A long
 * reader that validates at an extension goes inevitable in place without aborting at all
 * ({@code Txn#holdLongReader}, {@code ame4j.longReader.hold}).
 *
 * <p><b>Exceptions.</b> A throwable from the block is trusted only if the attempt's reads are
 * still valid (opacity already guarantees it saw a consistent state; validation adds that the
 * state was current) and, in an ordered run, only once every older task has committed: the
 * same exception must happen in the sequential run. Then the attempt is rolled back and the
 * throwable rethrown, the very same object. Otherwise the attempt counts as a conflict and
 * re-runs.
 *
 * <p><b>Nesting</b> is flat: an inner block joins the outer transaction. An exception escaping
 * the inner block undoes the inner block's writes, adds and deferred actions (the locks stay),
 * so a caller that catches it continues from the state before the inner block. That includes its
 * writes to what the attempt allocated before the block began, which take no lock but log their
 * old values inside the block ({@link Txn#enterNested}).
 */
public final class Atomically {
  static final int MAX_ABORTS = Integer.getInteger("ame4j.maxAborts", 16);
  static final boolean EXACT_TIMING = Boolean.getBoolean("ame4j.stats.exactTiming");
  static final int LONG_READER_READS = Integer.getInteger("ame4j.longReader.reads", 256);
  static final int LONG_READER_ABORTS = Integer.getInteger("ame4j.longReader.aborts", 2);
  /**
   * {@code ame4j.longReader.pause} (default true): a long reader re-runs pausing commits
   * ({@link CommitPause}) after {@link #LONG_READER_ABORTS}, instead of inevitable (the A/B switch).
   */
  static final boolean LONG_READER_PAUSE =
      Boolean.parseBoolean(System.getProperty("ame4j.longReader.pause", "true"));

  private Atomically() {}

  /** {@code Ame.atomic}: a top-level transaction, or a nested block of the running one. */
  public static <T> T atomic(Supplier<T> block) {
    Txn tx = Txn.current();
    if (tx.depth > 0) {
      return nested(tx, block);
    }
    return execute(tx, block, null, Long.MAX_VALUE);
  }

  /** {@code Ame.atomic(Runnable)} without allocating an adapter per call. */
  public static void atomic(Runnable block) {
    Txn tx = Txn.current();
    RunnableBody body = tx.runnableBody;
    if (tx.depth > 0 || body.block != null) {
      atomic(() -> {
        block.run();
        return null;
      });
      return;
    }
    body.block = block;
    try {
      execute(tx, body, null, Long.MAX_VALUE);
    } finally {
      body.block = null;
    }
  }

  /** A reusable Runnable-to-Supplier adapter, one per descriptor. */
  static final class RunnableBody implements Supplier<Object> {
    Runnable block;

    @Override
    public Object get() {
      block.run();
      return null;
    }
  }

  private static <T> T nested(Txn tx, Supplier<T> block) {
    tx.applyHeldWrites(); // before the mark: the block's rollback must not undo them
    int undoMark = tx.undo.size;
    int blindMark = tx.blind.size;
    long deferredMark = tx.deferred.mark();
    int bornMark = tx.born.size;
    long outer = tx.enterNested();
    try {
      return block.get();
    } catch (Throwable t) {
      if (t instanceof ControlSignal || tx.doomed) {
        throw t;
      }
      tx.undo.rollbackTo(undoMark);
      tx.blind.rollbackTo(blindMark, undoMark);
      tx.deferred.rollbackTo(deferredMark, t);
      throw t;
    } finally {
      tx.leaveNested(bornMark, outer);
    }
  }

  /**
   * Runs {@code block} as one top-level transaction on {@code tx}'s thread; the queue calls this
   * for each task with its run's gate and the task's ticket.
   */
  public static <T> T execute(Txn tx, Supplier<T> block, CommitGate gate, long ticket) {
    return execute(tx, block, gate, ticket, null);
  }

  /**
   * {@link #execute(Txn, Supplier, CommitGate, long)} that may run further tasks of an unordered
   * run in the same transaction ({@link TaskBatch}): only in the first attempt, after
   * {@code block} returned, while the attempt is not inevitable. {@code batch.extras()} says how
   * many committed with it.
   */
  public static <T> T execute(Txn tx, Supplier<T> block, CommitGate gate, long ticket,
      TaskBatch batch) {
    // The common case, a first attempt that commits, in a body small enough for C2 to inline
    // into its caller (the queue's worker loop, unless C2 compiled this method on its own first:
    // DESIGN-NOTES, "The per-task floor: execute split"), without the loop's state; every other
    // case runs the loop, attempts(), out of line. The first attempt is untimed either way.
    if (!SPLIT || tx.depth != 0 || tx.suspendedDepth != 0 || EXACT_TIMING
        || (gate != null && gate.isOrdered()) || (batch != null && batch.want > 0)
        || Events.transactions()) {
      return attempts(tx, block, gate, ticket, batch, null);
    }
    tx.gate = gate;
    tx.ticket = ticket;
    if (batch != null) {
      batch.begun = 0;
      batch.split = false;
    }
    try {
      tx.begin();
      T result;
      try {
        result = block.get();
        tx.commit();
      } catch (Throwable first) {
        return attempts(tx, block, gate, ticket, batch, first);
      }
      committed(tx, gate, null, ticket, batch, 0, 0);
      return result;
    } finally {
      ended(tx);
    }
  }

  /** What {@link #execute} resets when a transaction ends, whichever way. */
  private static void ended(Txn tx) {
    tx.gate = null;
    tx.order = null;
    tx.ticket = Long.MAX_VALUE;
    tx.deferred.clear();
  }

  /**
   * {@code ame4j.execute.split} (default true): {@link #execute} runs a first attempt that
   * commits in its own small body, the rest in {@link #attempts}; false: every transaction runs
   * {@link #attempts} from its start (the A/B switch).
   */
  static final boolean SPLIT =
      Boolean.parseBoolean(System.getProperty("ame4j.execute.split", "true"));

  /**
   * The bookkeeping of a committed transaction of {@code 1 + extras} tasks after {@code aborts}
   * aborts: the counts, the adds it buffered, its after-commit actions and, in an ordered run,
   * the turn. In an ordered run the actions run before the turn passes on: if one throws, no
   * younger task has committed, exactly as in the sequential program.
   */
  private static void committed(Txn tx, CommitGate gate, CommitGate order, long ticket,
      TaskBatch batch, int extras, int aborts) {
    TxnStats stats = tx.stats;
    stats.commits += 1 + extras;
    stats.transactions++;
    if (batch != null) {
      batch.extras = extras;
      batch.aborts = aborts;
    }
    tx.deferred.publishAdds();
    if (gate == null) {
      tx.deferred.runAfterCommit();
    } else {
      try {
        tx.deferred.runAfterCommit();
      } catch (Throwable t) {
        throw new AfterCommitFailure(t,
            extras == 0 ? 0 : batch.taskOfAction(tx.deferred.failedAction()));
      }
      if (order != null) {
        order.committed(ticket);
        TurnHandOver handOver = order.handOver();
        if (handOver != null) {
          handOver.commitOffered(order, ticket + 1); // successors that finished and wait for it
        }
      }
    }
  }

  /**
   * The bookkeeping of an ordered attempt that the committer of its predecessor committed
   * ({@link TurnHandOver}): that thread published its adds and moved the turn on; only the
   * counts are left (it had no after-commit actions, or it would not have been offered).
   */
  private static void committedByPredecessor(Txn tx, TaskBatch batch, int aborts) {
    TxnStats stats = tx.stats;
    stats.commits++;
    stats.transactions++;
    stats.turnHandOvers++;
    if (batch != null) {
      batch.extras = 0;
      batch.aborts = aborts;
    }
  }

  /**
   * The attempts of {@link #execute} from the first, or (with {@code first} non-null) from the
   * end of a first attempt that {@link #execute} began and that threw {@code first} out of the
   * block or its commit: handled here exactly as if this loop had run that attempt.
   */
  private static <T> T attempts(Txn tx, Supplier<T> block, CommitGate gate, long ticket,
      TaskBatch batch, Throwable first) {
    if (first == null) {
      if (tx.depth > 0) {
        throw new IllegalStateException("a transaction is already running on this thread");
      }
      Txn.checkNotSuspended("a transaction started");
    }
    Throwable pending = first;
    CommitGate order = gate != null && gate.isOrdered() ? gate : null;
    tx.gate = gate;
    tx.order = order;
    tx.ticket = ticket;
    TxnStats stats = tx.stats;
    int aborts = 0;
    int longReaderAborts = 0;
    boolean asInevitable = false;
    boolean asPaused = false; // a long reader's re-run that pauses commits (CommitPause)
    // System.nanoTime() costs about as much as a small transaction, so first attempts are not
    // timed (unless ame4j.stats.exactTiming): the loss of an untimed attempt is estimated by
    // the duration of its re-run, which is always timed.
    boolean untimedLoss = false;
    long start = 0;
    // A JFR recording times every attempt (checked once per transaction). The conflict report
    // does as the counters do: an untimed first attempt's loss is estimated by its re-run.
    boolean jfr = Events.transactions();
    boolean timed = EXACT_TIMING || jfr;
    CommitEvent commitEvent = jfr ? Events.commitEvent() : null; // begun per attempt: its duration
    Conflicts.Key untimedConflict = null;
    Conflicts.Key lastConflict = null; // with the report on: where the last abort happened
    try {
      for (; ; ) {
        if (batch != null) {
          batch.begun = 0;
          batch.split = false;
        }
        if (pending == null) {
          start = (aborts > 0 || untimedLoss || timed) ? System.nanoTime() : 0L;
          if (commitEvent != null) {
            commitEvent.begin(); // JFR's own clock: a threshold on the event then keeps slow commits
          }
          if (asInevitable) {
            if (order != null) {
              awaitTurnBeforeStart(order, ticket);
            }
            tx.beginInevitable();
          } else if (asPaused) {
            tx.beginPaused();
          } else {
            tx.begin();
          }
        }
        T result;
        int reads = 0;
        int writes = 0;
        int extras = 0;
        boolean handedOver = false; // committed by the predecessor's committer (TurnHandOver)
        try {
          if (pending != null) { // execute's first attempt ended so (start is 0: untimed)
            Throwable t = pending;
            pending = null;
            throw sneakyThrow(t);
          }
          result = block.get();
          if (batch != null && batch.want > 0 && aborts == 0 && !asInevitable) {
            extras = runExtras(tx, batch, gate);
          }
          if (order != null) {
            handedOver = awaitTurn(tx, order, ticket, !jfr && extras == 0);
          }
          if (jfr) {
            reads = tx.reads.size;
            writes = tx.locks.size;
          }
          if (!handedOver) {
            tx.commit();
          }
        } catch (Throwable t) {
          if (t == ControlSignal.RESTART_INEVITABLE) {
            rollBackAttempt(tx);
            asInevitable = true;
            continue;
          }
          if (t == ControlSignal.RESTART_OPTIMISTIC) {
            rollBackAttempt(tx);
            asInevitable = false; // the abort limit counts again from here
            asPaused = false;
            aborts = 0;
            longReaderAborts = 0;
            if (batch != null) {
              batch.want = 0; // further tasks join only a first attempt (TaskBatch)
            }
            continue;
          }
          if (t == ControlSignal.RESTART_LOGGED) {
            rollBackAttempt(tx); // nothing written, nothing to wait for: run again at once, logging
            continue;
          }
          if (t == ControlSignal.HAND_BACK) {
            rollBackAttempt(tx);
            throw t;
          }
          if (t == ControlSignal.RETRY) {
            ReadSet snapshot = tx.reads.copyForRetry(tx.lockWord);
            // Read-only arrays are read unlogged: wake up on any array turn as well.
            snapshot.add(ArrayTurns.TURNS, -1, Txn.wordOf(ArrayTurns.TURNS, -1));
            if (order != null && order.isTurn(ticket) && !snapshot.anyChanged()) {
              // The oldest task of an ordered run: nothing can change what it read any more,
              // exactly as in the sequential program, where this retry would block forever.
              IllegalStateException never = new IllegalStateException(
                  "Ame.retry() in an ordered queue would wait forever: every older task has"
                      + " committed and nothing this task read can change");
              tx.rollback();
              stats.failures++;
              tx.deferred.runAfterAbort(never);
              throw never;
            }
            tx.rollback();
            snapshot.ownLocksReleased(tx.lockWord, tx.releasedWord);
            stats.aborts[AbortKind.EXPLICIT.ordinal()]++;
            untimedLoss = recordLoss(stats, start, untimedLoss);
            tx.deferred.runAfterAbort(null);
            if (gate != null && gate.handBackOnRetry()) {
              tx.retryCondition = new RetryCondition(snapshot);
              throw ControlSignal.HAND_BACK;
            }
            try {
              RetryWaiters.await(snapshot, gate, ticket);
            } catch (RuntimeException wouldBlockForever) {
              stats.failures++;
              throw wouldBlockForever;
            }
            continue;
          }
          AbortKind conflict;
          try {
            conflict = conflictOf(tx, t, order, ticket);
          } catch (ControlSignal handBack) {
            rollBackAttempt(tx);
            throw handBack;
          }
          if (conflict == null) {
            tx.rollback();
            stats.failures++;
            tx.deferred.runAfterAbort(t);
            throw t;
          }
          boolean longReader = conflict == AbortKind.READ_WRITE && order == null
              && tx.reads.size >= LONG_READER_READS;
          if (Diagnostics.ON || jfr) {
            long lost = start != 0L ? System.nanoTime() - start : 0L;
            // An unlogged attempt's exception after the clock moved names no record (it kept no
            // log): the report leaves it to the logged re-run (Diagnostics.UNLOGGED_READS).
            boolean named = !tx.unlogged || t instanceof ControlSignal;
            Conflicts.Key key = recordConflict(tx, conflict, lost, jfr, named);
            if (untimedConflict != null) {
              Conflicts.addTime(untimedConflict, lost);
            }
            untimedConflict = start == 0L ? key : null;
            lastConflict = key != null ? key : lastConflict;
          }
          tx.rollback();
          // Per task: each task of a batch that rolls back is an aborted attempt of its own.
          stats.aborts[conflict.ordinal()] += batch == null ? 1 : 1 + batch.begun;
          untimedLoss = recordLoss(stats, start, untimedLoss);
          tx.deferred.runAfterAbort(null);
          aborts++;
          // A long reader whose in-place pause found a commit (Txn#pauseInPlace) re-runs paused.
          // (An early pause, Txn#earlyPause, is lost with fewer than LONG_READER_READS entries.)
          longReaderAborts += tx.pauseLost ? LONG_READER_ABORTS : longReader ? 1 : 0;
          if (aborts < MAX_ABORTS && longReaderAborts >= LONG_READER_ABORTS && LONG_READER_PAUSE
              && order == null) {
            // Not inevitable: a re-run that pauses other writers' commits reads without locks
            // or a log, and cannot lose to them (CommitPause). No back-off: it waits for no one.
            asPaused = true;
            stats.pausedReaders++;
          } else if (aborts >= MAX_ABORTS || longReaderAborts >= LONG_READER_ABORTS) {
            asInevitable = true;
            stats.inevitableAfterAborts++;
            if (Diagnostics.ON || jfr) {
              Diagnostics.forcedInevitable(tx, lastConflict, longReaderAborts >= LONG_READER_ABORTS);
            }
          } else if (order == null) {
            Backoff.afterAbort(aborts);
          } else {
            awaitProgress(order, ticket);
          }
          continue;
        }
        if (untimedLoss) {
          stats.abortedNanos += System.nanoTime() - start;
        }
        if (commitEvent != null) {
          Events.commit(commitEvent, System.nanoTime() - start, reads, writes, aborts + 1, tx.inevitable);
        }
        if (untimedConflict != null) {
          Conflicts.addTime(untimedConflict, System.nanoTime() - start);
        }
        if (handedOver) {
          committedByPredecessor(tx, batch, aborts);
          return result;
        }
        committed(tx, gate, order, ticket, batch, extras, aborts);
        return result;
      }
    } finally {
      ended(tx);
    }
  }

  /** Rolls the attempt back and runs its after-abort actions (it re-runs or is handed back). */
  private static void rollBackAttempt(Txn tx) {
    tx.rollback();
    tx.deferred.runAfterAbort(null);
  }

  /**
   * Runs the batch's further tasks in the running attempt (see {@link TaskBatch}); returns how
   * many ran to the end. Each starts at marks of the undo log, the blind updates and the
   * deferred work; one that ends abnormally is rolled back to them (its after-abort actions
   * run: that attempt of it rolled back) and ends the batch (it runs alone next; a retry counts
   * as an explicit abort, as the rollback of any retry does). A conflict signal aborts the whole
   * attempt. If an after-abort action of the rolled-back task throws, the whole attempt fails
   * with it, reported as the first task's failure (the others are rolled back and go back to the
   * queue): the one case where a failure is reported for another task of the batch.
   */
  private static int runExtras(Txn tx, TaskBatch batch, CommitGate gate) {
    int ran = 0;
    // A batch stops taking tasks once it has read half of what makes a long reader: it must
    // not turn into one by accident (held in place, it would lock all it read, Txn#extend).
    // A task whose start could block outside the engine never starts holding the batch's locks
    // (TaskBatch#mayJoin): the inevitable transaction could be waiting for them.
    while (ran < batch.want && !tx.inevitable && !tx.paused && tx.reads.size < LONG_READER_READS / 2
        && !gate.handBack(Long.MAX_VALUE) && batch.mayJoin(ran + 1)) {
      tx.applyHeldWrites(); // before the mark: this task's rollback must not undo them
      int undoMark = tx.undo.size;
      int blindMark = tx.blind.size;
      long deferredMark = tx.deferred.mark();
      batch.markCommitActions(ran + 1, tx.deferred.commitActions());
      batch.begun = ran + 1;
      // Objects allocated by the tasks before this one are written without undo entries (they
      // are the attempt's own): rolling back this task alone could not restore them.
      boolean ownObjectsBefore = tx.born.size > 0 || !tx.fresh.isEmpty() || tx.freshArrays;
      tx.joined = true;
      try {
        batch.runExtra(ran + 1);
      } catch (Throwable t) {
        if (t == ControlSignal.ABORT) {
          throw t;
        }
        if (ownObjectsBefore) {
          // The whole attempt rolls back instead (counted as an abort of each task begun); its
          // first task re-runs alone, so the next batch starts one task further on.
          tx.abortKind = AbortKind.READ_WRITE;
          tx.doomed = true;
          throw ControlSignal.ABORT;
        }
        batch.begun = ran; // this one's rollback is counted here, not with the attempt's
        batch.split = true;
        if (t == ControlSignal.RETRY) {
          tx.stats.aborts[AbortKind.EXPLICIT.ordinal()]++;
        }
        // Its reads stay in the read set (validated at commit, which only makes it stricter)
        // and its locks stay held until the commit releases them over the restored values.
        tx.undo.rollbackTo(undoMark);
        tx.blind.rollbackTo(blindMark, undoMark);
        tx.deferred.rollbackTo(deferredMark, null);
        tx.doomed = false; // set by this task's own signal; a kill is still seen by the commit
        return ran;
      } finally {
        tx.joined = false;
      }
      if (tx.doomed) {
        throw ControlSignal.ABORT; // the task swallowed an abort signal
      }
      ran++;
    }
    return ran;
  }

  /**
   * Adds the duration of an aborted attempt (and, if the attempt before it was not timed, the
   * same duration again as the estimate of that one). Returns true if this attempt was untimed.
   */
  private static boolean recordLoss(TxnStats stats, long start, boolean previousUntimed) {
    if (start == 0L) {
      return true;
    }
    long d = System.nanoTime() - start;
    stats.abortedNanos += previousUntimed ? 2 * d : d;
    return false;
  }

  /** The report's record and the JFR abort event of a conflict (before the rollback). */
  private static Conflicts.Key recordConflict(Txn tx, AbortKind kind, long lost, boolean jfr,
      boolean named) {
    Conflicts.Key key = Diagnostics.ON && named ? Diagnostics.aborted(tx, kind, lost) : null;
    if (jfr) {
      Events.abort(Diagnostics.kindName(kind), key, lost);
    }
    return key;
  }

  /**
   * Classifies a throwable that ended an attempt: the abort kind if it was a conflict (the
   * attempt must re-run), or null if it is a genuine failure of the block.
   */
  private static AbortKind conflictOf(Txn tx, Throwable t, CommitGate order, long ticket) {
    if (t == ControlSignal.ABORT) {
      return tx.abortKind;
    }
    if (t instanceof ControlSignal || !tx.isConsistentNow()) {
      return AbortKind.READ_WRITE;
    }
    if (order != null && !tx.inevitable) {
      try {
        awaitTurn(tx, order, ticket, false);
      } catch (ControlSignal signal) {
        if (signal == ControlSignal.HAND_BACK) {
          throw signal;
        }
        return tx.abortKind;
      }
      if (!tx.isConsistentNow()) {
        return AbortKind.READ_WRITE;
      }
    }
    return null;
  }

  /**
   * Waits, holding the attempt's locks, until every older task committed; aborts if killed.
   * Spins, then yields for {@link Backoff#TURN_YIELD_NANOS}, then parks until the predecessor's
   * commit hands the turn over ({@link CommitGate#parkForTurn}) or a killer wakes it
   * ({@link Txn#parkForTurn}).
   *
   * <p>With {@code mayOffer} (a finished attempt) and the gate's {@link TurnHandOver}, the
   * attempt is offered after the spins to the committer of its predecessor, which commits it on
   * its own thread: then this returns true and the caller must not commit. While the offer
   * stands the descriptor is not written here (a claimer may be committing it): a kill, a stop
   * or the turn's arrival first takes the offer back, and if that fails (claimed) this waits for
   * the claimed commit's end ({@link #claimedResult}).
   */
  private static boolean awaitTurn(Txn tx, CommitGate order, long ticket, boolean mayOffer) {
    TurnHandOver handOver = null; // non-null while this attempt is offered
    long since = 0;
    long parkAfter = 0;
    int i = 0;
    for (; !order.isTurn(ticket); i++) {
      if (handOver != null) {
        if (tx.handOver != Txn.OFFERED) {
          return turnWaitEnded(order, since, claimedResult(tx)); // claimed, and its commit ended
        }
        if (!handOver.isOffered(tx, ticket)) {
          LockSupport.parkNanos(tx, CLAIMED_PARK_NANOS); // claimed: the committer wakes us
          continue;
        }
        if (order.handBack(ticket) || !tx.alive()) {
          if (!handOver.withdraw(tx, ticket)) {
            continue; // claimed meanwhile
          }
          handOver = null; // ours again: hand back or abort below
        }
      }
      if (order.handBack(ticket)) {
        throw ControlSignal.HAND_BACK;
      }
      if (handOver == null) {
        tx.checkAlive();
      }
      if (i < Backoff.TURN_SPINS) {
        Thread.onSpinWait();
        continue;
      }
      if (i == Backoff.TURN_SPINS) {
        since = System.nanoTime();
        parkAfter = since + Backoff.TURN_YIELD_NANOS;
        if (mayOffer && TurnHandOver.ON && (handOver = order.handOver()) != null
            && !(TurnHandOver.mayOffer(tx) && handOver.offer(tx, ticket))) {
          handOver = null;
        }
      }
      if (System.nanoTime() - parkAfter < 0) {
        Thread.yield();
      } else {
        tx.parkForTurn(order, ticket);
      }
    }
    // The turn came while offered: take the offer back, or (claimed) wait for the claimed commit.
    // A claimer that finds a later ticket's offer in the slot puts it back (TurnHandOver), so the
    // withdrawal is tried again until the state says a claimed commit ended.
    while (handOver != null && !handOver.withdraw(tx, ticket)) {
      if (tx.handOver != Txn.OFFERED) {
        return turnWaitEnded(order, since, claimedResult(tx));
      }
      LockSupport.parkNanos(tx, CLAIMED_PARK_NANOS); // the claimer wakes us
    }
    return turnWaitEnded(order, since, false);
  }

  /** How long an owner whose offer was claimed parks between looks (the claimer wakes it). */
  private static final long CLAIMED_PARK_NANOS = 100_000L;

  /** {@link #awaitTurn}'s end: reports a wait that outlasted the spins; returns {@code result}. */
  private static boolean turnWaitEnded(CommitGate order, long since, boolean result) {
    if (since != 0) {
      order.waitedForTurn(System.nanoTime() - since);
    }
    return result;
  }

  /**
   * Waits until the claimed commit of {@code tx}'s offered attempt ended: true if it committed;
   * rethrows what the commit threw otherwise (the attempt as that failure left it, to roll back).
   */
  private static boolean claimedResult(Txn tx) {
    int state;
    while ((state = tx.handOver) == Txn.OFFERED) {
      LockSupport.parkNanos(tx, CLAIMED_PARK_NANOS);
    }
    tx.handOver = 0;
    if (state == Txn.COMMITTED) {
      return true;
    }
    Throwable failure = tx.handOverFailure;
    tx.handOverFailure = null;
    throw sneakyThrow(failure);
  }

  /**
   * Ordered runs, after a conflict: an older task beat this one, and re-running at once would
   * most likely collide with it again (and be killed again). Wait until some task commits or
   * this one's turn comes.
   */
  private static void awaitProgress(CommitGate order, long ticket) {
    long seen = order.nextToCommit();
    for (int i = 0; order.nextToCommit() == seen && !order.isTurn(ticket); i++) {
      if (order.handBack(ticket)) {
        throw ControlSignal.HAND_BACK;
      }
      Backoff.pause(i);
    }
  }

  private static void awaitTurnBeforeStart(CommitGate order, long ticket) {
    for (int i = 0; !order.isTurn(ticket); i++) {
      if (order.handBack(ticket)) {
        throw ControlSignal.HAND_BACK;
      }
      Backoff.pause(i);
    }
  }

  /**
   * Thrown to a queue when a task committed but an after-commit action it deferred threw: the
   * queue must report the failure without claiming the task was rolled back.
   */
  public static final class AfterCommitFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int task;

    AfterCommitFailure(Throwable cause, int task) {
      super(cause);
      this.task = task;
    }

    /** Which task of the transaction (0 = the first, see {@link TaskBatch}) deferred the action. */
    public int task() {
      return task;
    }
  }

  /** Rethrows any throwable without declaring it (the block's own exception, unchanged). */
  @SuppressWarnings("unchecked")
  static <E extends Throwable> RuntimeException sneakyThrow(Throwable t) throws E {
    throw (E) t;
  }
}
