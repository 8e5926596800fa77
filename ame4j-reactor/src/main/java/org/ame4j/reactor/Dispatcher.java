package org.ame4j.reactor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.SplittableRandom;
import org.ame4j.Ame;
import org.ame4j.internal.engine.TxnThread;

/**
 * One event loop's run queue: the {@link Lane}s of its connections (and, on the first loop, the
 * timers) that have events, run by the loop's own thread between two {@code select}s, each
 * event as one transaction ({@code Ame.atomic}), one event per lane per round, a lane with more
 * events going back to the tail. So a connection's events run one at a time and in order (its
 * lane is run by one thread only), different loops run in parallel, and a busy connection cannot
 * starve the others of its loop. There is no hand-off between threads on the way from a read to
 * its handler (Netty's event-loop model): the loop that read the bytes runs the transaction and
 * writes the replies.
 *
 * <p>Parallel mode takes lanes in FIFO order. Serial mode (one loop) takes a lane drawn from a
 * seeded random generator among the ready ones: the same seed gives the same choices for the
 * same arrivals, so a test can explore interleavings of connections one at a time.
 *
 * <p>Loop threads are long-lived {@link TxnThread}s (their transaction descriptor is a field,
 * not a thread-local). A transaction that conflicts is re-run by {@code Ame.atomic} before the
 * event counts as handled; the task queue's engine is used as it is, nothing of it changed.
 * Other threads may {@link #submit} (a close, a timer, a failed connect): the loop is then woken.
 */
final class Dispatcher {
  private static final System.Logger LOG = System.getLogger("org.ame4j.reactor");

  private final SplittableRandom random; // null: FIFO
  private final Runnable wakeup; // wakes the loop's selector
  private final ArrayDeque<Lane> fifo = new ArrayDeque<>(); // guarded by this
  private final ArrayList<Lane> pool = new ArrayList<>(); // serial mode, guarded by this
  private int busyLanes; // lanes scheduled or running, guarded by this
  volatile Thread owner; // the loop's thread, once it runs

  /** A loop thread, with what the event it runs needs to know outside the transaction. */
  static final class Worker extends TxnThread {
    /** The reactor whose loop this thread runs. */
    final Object reactor;
    /** Wall-clock time taken before the current event's first attempt (stable over re-runs). */
    long eventTimeMillis;
    /** {@code System.nanoTime()} taken with {@link #eventTimeMillis}: timers' delays count from it. */
    long eventNanos;
    boolean dispatching;
    /** Connections written to by the current event, flushed once it has committed. */
    final ArrayList<Connection> dirty = new ArrayList<>();

    Worker(Object reactor, Runnable body, String name) {
      super(body, name);
      this.reactor = reactor;
      setDaemon(true);
    }

    /** The worker running the current thread's event for {@code reactor}, or null. */
    static Worker current(Object reactor) {
      return Thread.currentThread() instanceof Worker w && w.reactor == reactor && w.dispatching
          ? w : null;
    }
  }

  Dispatcher(Long seed, Runnable wakeup) {
    this.random = seed == null ? null : new SplittableRandom(seed);
    this.wakeup = wakeup;
  }

  /** Queues {@code e} on {@code lane}; any thread (another than the loop's wakes the loop). */
  void submit(Lane lane, Event e) {
    if (lane.offer(e)) {
      synchronized (this) {
        busyLanes++;
        enqueue(lane);
      }
      if (Thread.currentThread() != owner) {
        wakeup.run();
      }
    }
  }

  private void enqueue(Lane lane) {
    if (random == null) {
      fifo.add(lane);
    } else {
      pool.add(lane);
    }
  }

  private synchronized Lane take() {
    if (random == null) {
      return fifo.poll();
    }
    if (pool.isEmpty()) {
      return null;
    }
    int i = random.nextInt(pool.size());
    Lane l = pool.get(i);
    pool.set(i, pool.get(pool.size() - 1));
    pool.remove(pool.size() - 1);
    return l;
  }

  /** True if lanes wait to be run. */
  synchronized boolean hasReady() {
    return !fifo.isEmpty() || !pool.isEmpty();
  }

  /**
   * One round (the loop's thread): one event of each lane that was ready when it began. Lanes
   * that become ready meanwhile wait for the next round, after the next {@code select}.
   */
  void runRound(Worker self) {
    int n;
    synchronized (this) {
      n = random == null ? fifo.size() : pool.size();
    }
    for (int i = 0; i < n; i++) {
      Lane lane = take();
      if (lane == null) {
        return;
      }
      Event e = lane.poll();
      if (e != null) {
        handle(self, e);
      }
      // Outside this lock: a lane's lock is taken before the queue's, never after.
      boolean again = lane.finishTurn();
      synchronized (this) {
        if (again) {
          enqueue(lane);
        } else {
          busyLanes--;
        }
      }
    }
  }

  private static void handle(Worker self, Event e) {
    if (!e.begin()) {
      return;
    }
    self.eventTimeMillis = System.currentTimeMillis();
    self.eventNanos = System.nanoTime();
    self.dispatching = true;
    Throwable failure = null;
    try {
      Thread.interrupted(); // an interrupt belongs to the handler that caused it
      Ame.atomic(e);
    } catch (Throwable t) {
      failure = t;
    } finally {
      self.dispatching = false;
      flushDirty(self);
    }
    try {
      if (failure == null) {
        e.committed();
      } else {
        e.failed(failure);
      }
    } catch (RuntimeException | Error bug) {
      LOG.log(System.Logger.Level.ERROR, "reactor bookkeeping failed after an event", bug);
    }
  }

  /** Sends what the committed event wrote: one flush per connection, not one per write. */
  private static void flushDirty(Worker self) {
    ArrayList<Connection> dirty = self.dirty;
    for (int i = 0; i < dirty.size(); i++) {
      dirty.get(i).flushAfterEvent();
    }
    dirty.clear();
  }

  /** True if no lane is scheduled or running. */
  synchronized boolean isIdle() {
    return busyLanes == 0;
  }
}
