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

  Worker(Runnable body, String name) {
    super(body, name);
    setDaemon(true);
  }
}
