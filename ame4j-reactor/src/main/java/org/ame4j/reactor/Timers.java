package org.ame4j.reactor;

import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The calls scheduled with {@link Reactor#callLater}, by deadline (ties: the order they were
 * scheduled in). Owned by the first loop's thread, which fires the due ones into the timer
 * {@link Lane}: so timers run one at a time, in deadline order.
 */
final class Timers {
  private final PriorityQueue<Call> queue = new PriorityQueue<>((a, b) ->
      a.deadline != b.deadline ? Long.compare(a.deadline - b.deadline, 0) : Long.compare(a.seq, b.seq));
  private long seq;

  /** One scheduled call. */
  static final class Call extends Event implements DelayedCall {
    private static final int PENDING = 0;
    private static final int STARTED = 1;
    private static final int CANCELLED = 2;

    /** {@code System.nanoTime()} at which the call is due, fixed when it is made. */
    final long deadline;
    final Runnable action;
    long seq;
    private final AtomicInteger state = new AtomicInteger(PENDING);

    Call(long deadline, Runnable action) {
      this.deadline = deadline;
      this.action = action;
    }

    @Override
    public void cancel() {
      effectAfterCommit(() -> state.compareAndSet(PENDING, CANCELLED));
    }

    @Override
    public boolean isActive() {
      return state.get() == PENDING;
    }

    boolean isCancelled() {
      return state.get() == CANCELLED;
    }

    @Override
    boolean begin() {
      return state.compareAndSet(PENDING, STARTED);
    }

    @Override
    public void run() {
      action.run();
    }

    @Override
    void failed(Throwable t) {
      System.getLogger("org.ame4j.reactor").log(System.Logger.Level.WARNING,
          "a callLater action threw; it was rolled back", t);
    }
  }

  private static void effectAfterCommit(Runnable r) {
    org.ame4j.Ame.afterCommit(r);
  }

  /** Adds {@code c} (its deadline was fixed when the call was made). */
  void add(Call c) {
    c.seq = seq++;
    queue.add(c);
  }

  /** Milliseconds until the next deadline (at least 1 when one is pending), or -1 if none. */
  long millisToNext(long now) {
    Call c;
    while ((c = queue.peek()) != null && c.isCancelled()) {
      queue.poll();
    }
    if (c == null) {
      return -1;
    }
    long d = c.deadline - now;
    return d <= 0 ? 0 : Math.max(1, (d + 999_999) / 1_000_000);
  }

  /** Removes and returns the next due call, or null. */
  Call pollDue(long now) {
    Call c = queue.peek();
    if (c == null || c.deadline - now > 0) {
      return null;
    }
    return queue.poll();
  }

  void clear() {
    queue.clear();
  }
}
