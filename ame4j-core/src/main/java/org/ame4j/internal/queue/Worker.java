package org.ame4j.internal.queue;

import org.ame4j.internal.engine.TxnThread;

/**
 * A worker thread of a {@link ParallelRun}, with its current batch of tasks.
 *
 * <p><b>Layout.</b> The fields this thread writes per task ({@link #next}, {@link #done}) lie at
 * the end of the thread object (after {@code Thread}'s), so the run makes {@link Padded}
 * workers, whose 128 bytes of fields nobody writes follow them: a young collection copies the
 * workers and their descriptors next to each other, and without it the next object, such as
 * the other worker's thread object whose header that worker reads on every
 * {@code Txn.active()}, could share a line pair with them. The objects this
 * worker writes per task ({@link #batch}, {@link #localAdds}) are made by the worker's own thread
 * ({@link #ownBuffers}), not by the constructor: the run constructs its workers one after another
 * on the caller's thread, which laid worker 0's {@code localAdds} (written per queued add)
 * directly before worker 1's thread object in every run (DESIGN-NOTES, "Two workers' objects
 * apart: padding both ends"). What is guaranteed: 128 bytes after these fields, whatever the
 * collector puts next. Not guaranteed: the arrays' and the list's own neighbours after a
 * collection.
 */
class Worker extends TxnThread {
  static final int BATCH = 64;

  // Owned by this thread (made by it: ownBuffers); changed by others only under the queue's lock
  // while it waits.
  Runnable[] batch;
  /** For a slot of {@link #batch} holding a {@link RangeTask}: the index that slot runs. */
  int[] indices;
  int next;
  int size;
  /** Tasks of the current batch finished since the last refill (settled under the lock). */
  int done;
  /** Ordered runs: ticket of slot 0 of the batch (slot i has ticket + i). */
  long ticket;
  /** Ordered runs: set when this worker's turn waited on a stalled predecessor (see below). */
  private boolean stalled;
  private boolean lastBatchStalled;
  /** Ordered runs: how long this worker stays out after its next stall, in milliseconds. */
  private int retireMillis;
  /**
   * Ordered runs, the wait ledger ({@link #batchStarted}): the tasks of a window, their time from
   * take to take, and the part of it spent waiting for turns; the wait of the current batch.
   */
  static final int LEDGER_TASKS = 16;
  /** {@code -Dame4j.turn.ledger=false} turns the ledger off, to measure what it does. */
  static final boolean LEDGER = Boolean.parseBoolean(System.getProperty("ame4j.turn.ledger", "true"));
  private int ledgerTasks;
  private long ledgerTotal;
  private long ledgerWaited;
  private long waited;
  /** Ordered runs: when the current batch was taken, and the time per task (see batchStarted). */
  private long batchStart;
  private int batchSize;
  private long taskNanos = 1_000_000L;
  /** Ordered runs: the ticket this worker is parked for, since when, and the commit it saw. */
  private long waitTicket = -1;
  private long waitSince;
  private long waitSeen;
  /** Tasks added by this worker's committed tasks, not yet in the shared queue (unordered). */
  java.util.ArrayList<Runnable> localAdds;
  final ParallelRun run;

  Worker(ParallelRun run, Runnable body, String name) {
    super(body, name);
    this.run = run;
    setDaemon(true);
  }

  /**
   * Makes this worker's batch arrays and add buffer; called by this worker's own thread before
   * its first task, so that they lie in its own allocation buffer (see the class comment), and
   * before anything reads them (only this thread does, in its loop).
   */
  void ownBuffers() {
    batch = new Runnable[BATCH];
    indices = new int[BATCH];
    localAdds = new java.util.ArrayList<>();
  }

  /**
   * Ordered runs, at a refill: how long this worker should stay out of the run before taking its
   * next ticket, in milliseconds; 0 to go on. Non-zero after a task whose turn stalled
   * ({@link #turnStalled}): the worker holding the turn did not run, i.e. the machine has fewer
   * free cores than workers, and then every hand-off of the turn between two threads waits for
   * a descheduled one (the ticket a stalled worker holds is the next to commit, and nothing
   * younger can commit past it). Also non-zero when the wait ledger ({@link #batchStarted})
   * found that waiting for turns off the processor took most of this worker's time: each such
   * wait is short (a yield outlasts it), so no single one is a stall, but the worker adds
   * little besides hand-offs. A worker that stays out holds no ticket, so the others commit
   * without hand-offs, as one worker would. The time doubles with consecutive stalls, up to
   * 64 ms, and halves after each task without one; on a machine with a core per worker and
   * tasks of similar length, turns come within the spin phase and no worker stays out.
   */
  int retirement() {
    retireMillis = stalled ? Math.max(1, Math.min(64, retireMillis * 2)) : retireMillis / 2;
    int out = stalled ? retireMillis : 0;
    lastBatchStalled = stalled;
    stalled = false;
    return out;
  }

  /**
   * Ordered runs: a batch of {@code size} tasks was just taken. The time since the last one,
   * per task, is a sample of this worker's task time (waits for the turn included), if that
   * batch had no stall. The estimate follows a shorter sample at once and a longer one by a
   * quarter at most per batch: on a loaded machine many samples include time this worker
   * itself spent descheduled, and an estimate that followed them would grow until no stall
   * counted; tasks that really take longer still raise it within a few batches.
   *
   * <p>The same samples feed the wait ledger: over a window of {@link #LEDGER_TASKS} tasks, if
   * more than half of the time from take to take went to waiting for turns beyond the spin
   * phase ({@link #waitedForTurn}), the batch counts as stalled. Measured on 2 loaded cores,
   * nearly every turn of a 2-worker ordered run waited through a yield (the stall rule, which
   * looks only at parks, never fired), and 2 workers burned 4-6x the CPU of 1 (DESIGN-NOTES,
   * "Ordered runs on two workers: the wait ledger"). A batch taken after a stay-out is no
   * sample (its time includes the stay-out) and starts a new window.
   */
  void batchStarted(int size) {
    long now = System.nanoTime();
    if (batchSize > 0 && !lastBatchStalled) {
      long perTask = (now - batchStart) / batchSize;
      taskNanos = perTask <= taskNanos ? perTask : Math.min(perTask, taskNanos + taskNanos / 4 + 1);
      ledgerTasks += batchSize;
      ledgerTotal += now - batchStart;
      ledgerWaited += waited;
      if (ledgerTasks >= LEDGER_TASKS && LEDGER) {
        if (2 * ledgerWaited > ledgerTotal) {
          stalled = true; // waiting for turns was most of this worker's time
        }
        ledgerTasks = 0;
        ledgerTotal = ledgerWaited = 0;
      }
    } else {
      ledgerTasks = 0;
      ledgerTotal = ledgerWaited = 0;
    }
    waited = 0;
    batchStart = now;
    batchSize = size;
  }

  /**
   * Ordered runs: {@code nanos} this worker's current task waited for its turn beyond the spin
   * phase ({@code Atomically.awaitTurn}: yielding or parked), for the wait ledger of
   * {@link #batchStarted}.
   */
  void waitedForTurn(long nanos) {
    waited += nanos;
  }

  /**
   * Ordered runs, called each time this worker parks for the turn of {@code ticket} while
   * {@code nextToCommit} is the oldest uncommitted ticket. A stall: no task at all committed for
   * longer than a millisecond and four of this worker's task times since it first parked
   * for this ticket, i.e. the worker holding the turn did not run (a long task of its own only
   * stalls if it is much longer than this worker's).
   */
  void turnStalled(long ticket, long nextToCommit) {
    long now = System.nanoTime();
    if (ticket != waitTicket || nextToCommit != waitSeen) {
      waitTicket = ticket;
      waitSeen = nextToCommit;
      waitSince = now;
    } else if (now - waitSince > Math.max(1_000_000L, 4 * taskNanos)) {
      stalled = true;
    }
  }

  /**
   * The worker the run makes: 128 bytes of fields after all of {@link Worker}'s (HotSpot lays a
   * subclass's fields after its superclass's; a {@code long} fills no gap smaller than 8 bytes).
   * A subclass, not trailing fields of {@code Worker} itself: where a class's own fields go
   * depends on its superclass's layout ({@code Thread} ends with references on JDK 25, and the
   * subclass's references then come first and its primitives last).
   */
  static final class Padded extends Worker {
    @SuppressWarnings("unused") private long p01, p02, p03, p04, p05, p06, p07, p08;
    @SuppressWarnings("unused") private long p09, p10, p11, p12, p13, p14, p15, p16;

    Padded(ParallelRun run, Runnable body, String name) {
      super(run, body, name);
    }
  }
}
