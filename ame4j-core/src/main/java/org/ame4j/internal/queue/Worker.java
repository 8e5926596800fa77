package org.ame4j.internal.queue;

import org.ame4j.internal.engine.TxnThread;

/** A worker thread of a {@link ParallelRun}, with its current batch of tasks. */
final class Worker extends TxnThread {
  static final int BATCH = 64;

  // Owned by this thread; changed by others only under the queue's lock while it waits.
  final Runnable[] batch = new Runnable[BATCH];
  /** For a slot of {@link #batch} holding a {@link RangeTask}: the index that slot runs. */
  final int[] indices = new int[BATCH];
  int next;
  int size;
  /** Tasks of the current batch finished since the last refill (settled under the lock). */
  int done;
  /** Ordered runs: ticket of slot 0 of the batch (slot i has ticket + i). */
  long ticket;
  /** Ordered runs: tasks per batch now (see {@link #orderedBatch}). */
  private int orderedBatch = 1;
  /** Ordered runs: set when this worker's turn waited on a stalled predecessor in this batch. */
  private boolean stalled;
  private boolean lastBatchStalled;
  /** Ordered runs: when the current batch was taken, and the mean time per task (refill to refill). */
  private long batchStart;
  private int batchSize;
  private long taskNanos = 1_000_000L;
  /** Ordered runs: the ticket this worker is parked for, since when, and the commit it saw. */
  private long waitTicket = -1;
  private long waitSince;
  private long waitSeen;
  /** Tasks added by this worker's committed tasks, not yet in the shared queue (unordered). */
  final java.util.ArrayList<Runnable> localAdds = new java.util.ArrayList<>();
  final ParallelRun run;

  Worker(ParallelRun run, Runnable body, String name) {
    super(body, name);
    this.run = run;
    setDaemon(true);
  }

  /**
   * Ordered runs: how many consecutive tickets to take at the next refill. One while commit
   * turns pass promptly (consecutive tasks then execute on different workers, in parallel);
   * doubled, up to {@link #BATCH}, after a batch in which this worker's turn stalled
   * ({@link #turnStalled}): on a loaded machine every hand-off of the turn from one thread to
   * another risks waiting for a descheduled thread, so fewer, larger hand-offs; halved after a
   * batch without a stall.
   */
  int orderedBatch() {
    orderedBatch = stalled ? Math.min(BATCH, orderedBatch * 2) : Math.max(1, orderedBatch / 2);
    lastBatchStalled = stalled;
    stalled = false;
    return orderedBatch;
  }

  /**
   * Ordered runs: a batch of {@code size} tasks was just taken. The time since the last one,
   * per task, is this worker's task time (waits for the turn included), if that batch had no
   * stall: a stall's wait says nothing about how long tasks take.
   */
  void batchStarted(int size) {
    long now = System.nanoTime();
    if (batchSize > 0 && !lastBatchStalled) {
      long perTask = (now - batchStart) / batchSize;
      taskNanos = (3 * taskNanos + perTask) / 4; // a moving mean: one odd batch moves it little
    }
    batchStart = now;
    batchSize = size;
  }

  /**
   * Ordered runs, called each time this worker parks for the turn of {@code ticket} while
   * {@code nextToCommit} is the oldest uncommitted ticket. A stall: no task at all committed for
   * longer than a millisecond and four of this worker's mean task times since it first parked
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
}
