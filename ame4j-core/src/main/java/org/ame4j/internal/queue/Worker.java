package org.ame4j.internal.queue;

import org.ame4j.internal.engine.TxnThread;

/** A worker thread of a {@link ParallelRun}, with its current batch of tasks. */
final class Worker extends TxnThread {
  static final int BATCH = 64;

  // Owned by this thread; changed by others only under the queue's lock while it waits.
  final Runnable[] batch = new Runnable[BATCH];
  int next;
  int size;
  /** Tasks of the current batch finished since the last refill (settled under the lock). */
  int done;
  /** Ticket of the current task (ordered runs take one task per batch). */
  long ticket;
  /** Tasks added by this worker's committed tasks, not yet in the shared queue (unordered). */
  final java.util.ArrayList<Runnable> localAdds = new java.util.ArrayList<>();
  final ParallelRun run;

  Worker(ParallelRun run, Runnable body, String name) {
    super(body, name);
    this.run = run;
    setDaemon(true);
  }
}
