package org.ame4j.reactor;

import java.util.ArrayDeque;

/**
 * A FIFO of events that are handled one at a time, in order: one per connection (so its
 * handlers never overlap and see its bytes in order), one for all timers (so they fire in
 * deadline order). A lane is in the dispatcher's ready queue at most once: {@link #offer}
 * reports when it must be scheduled, {@link #finishTurn} when it must be scheduled again.
 */
class Lane {
  private final ArrayDeque<Event> events = new ArrayDeque<>();
  private boolean scheduled;

  /** Appends {@code e}; true if the lane was idle and must now be put in the ready queue. */
  final synchronized boolean offer(Event e) {
    events.add(e);
    if (scheduled) {
      return false;
    }
    scheduled = true;
    return true;
  }

  /** The next event (called only by the worker that holds the lane's turn). */
  synchronized Event poll() {
    return events.poll();
  }

  /** Ends a turn: true if more events wait and the lane must be scheduled again. */
  final synchronized boolean finishTurn() {
    if (events.isEmpty()) {
      scheduled = false;
      return false;
    }
    return true;
  }

  /** For subclasses that merge events in {@link #poll()}: the queue, under this lane's lock. */
  final ArrayDeque<Event> queue() {
    return events;
  }
}
