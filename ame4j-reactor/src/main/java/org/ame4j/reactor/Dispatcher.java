package org.ame4j.reactor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.ame4j.Ame;
import org.ame4j.internal.engine.TxnThread;

/**
 * The worker pool: runs each event of a ready {@link Lane} as one transaction
 * ({@code Ame.atomic}), one event per turn, then puts the lane back at the tail of the ready
 * queue if it has more. So a connection's events run one at a time and in order, different
 * connections' events run in parallel, and a busy connection cannot starve the others.
 *
 * <p>Parallel mode takes lanes in FIFO order. Serial mode (one worker) takes a lane drawn from a
 * seeded random generator among the ready ones: the same seed gives the same choices for the
 * same arrivals, so a test can explore interleavings of connections one at a time.
 *
 * <p>The workers are long-lived {@link TxnThread}s (their transaction descriptor is a field, not
 * a thread-local). A transaction that conflicts is re-run by {@code Ame.atomic} before the
 * event counts as handled; the task queue's engine is used as it is, nothing of it changed.
 */
final class Dispatcher {
  private static final System.Logger LOG = System.getLogger("org.ame4j.reactor");

  private final int workerCount;
  private final SplittableRandom random; // null: FIFO
  private final Object lock = new Object();
  private final ArrayDeque<Lane> fifo = new ArrayDeque<>(); // guarded by lock
  private final ArrayList<Lane> pool = new ArrayList<>(); // serial mode, guarded by lock
  private int busyLanes; // lanes scheduled or running, guarded by lock
  private boolean shutdown; // guarded by lock
  private final List<Worker> workers = new ArrayList<>();

  /** A worker thread, with what the event it runs needs to know outside the transaction. */
  static final class Worker extends TxnThread {
    final Dispatcher owner;
    /** Wall-clock time taken before the current event's first attempt (stable over re-runs). */
    long eventTimeMillis;
    /** {@code System.nanoTime()} taken with {@link #eventTimeMillis}: timers' delays count from it. */
    long eventNanos;
    boolean dispatching;
    /** Connections written to by the current event, flushed once it has committed. */
    final ArrayList<Connection> dirty = new ArrayList<>();

    Worker(Dispatcher owner, Runnable body, String name) {
      super(body, name);
      this.owner = owner;
      setDaemon(true);
    }
  }

  Dispatcher(int workers, Long seed) {
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be at least 1, got " + workers);
    }
    this.workerCount = seed == null ? workers : 1;
    this.random = seed == null ? null : new SplittableRandom(seed);
  }

  int workers() {
    return workerCount;
  }

  void start(String name) {
    for (int i = 0; i < workerCount; i++) {
      Worker w = new Worker(this, this::workLoop, name + "-worker-" + i);
      workers.add(w);
      w.start();
    }
  }

  /** Queues {@code e} on {@code lane}; any thread. */
  void submit(Lane lane, Event e) {
    if (lane.offer(e)) {
      synchronized (lock) {
        busyLanes++;
        enqueue(lane);
      }
    }
  }

  private void enqueue(Lane lane) {
    if (random == null) {
      fifo.add(lane);
    } else {
      pool.add(lane);
    }
    lock.notify();
  }

  private Lane take() throws InterruptedException {
    synchronized (lock) {
      for (; ; ) {
        if (shutdown) {
          return null;
        }
        if (random == null) {
          Lane l = fifo.poll();
          if (l != null) {
            return l;
          }
        } else if (!pool.isEmpty()) {
          int i = random.nextInt(pool.size());
          Lane l = pool.get(i);
          pool.set(i, pool.get(pool.size() - 1));
          pool.remove(pool.size() - 1);
          return l;
        }
        lock.wait();
      }
    }
  }

  private void workLoop() {
    Worker self = (Worker) Thread.currentThread();
    for (; ; ) {
      Lane lane;
      try {
        lane = take();
      } catch (InterruptedException e) {
        return;
      }
      if (lane == null) {
        return;
      }
      Event e = lane.poll();
      if (e != null) {
        handle(self, e);
      }
      // Outside the pool's lock: a lane's lock is taken before the pool's, never after.
      boolean again = lane.finishTurn();
      synchronized (lock) {
        if (again) {
          enqueue(lane);
        } else if (--busyLanes == 0) {
          lock.notifyAll();
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
  boolean isIdle() {
    synchronized (lock) {
      return busyLanes == 0;
    }
  }

  /** Waits up to {@code nanos} for {@link #isIdle()}; returns whether it became idle. */
  boolean awaitIdle(long nanos) throws InterruptedException {
    long end = System.nanoTime() + nanos;
    synchronized (lock) {
      while (busyLanes > 0) {
        long left = end - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        lock.wait(Math.max(1, left / 1_000_000));
      }
      return true;
    }
  }

  /** Stops the workers after their current event and waits for them. */
  void shutdown() {
    synchronized (lock) {
      shutdown = true;
      lock.notifyAll();
    }
    boolean interrupted = false;
    for (Worker w : workers) {
      for (; ; ) {
        try {
          w.join();
          break;
        } catch (InterruptedException ie) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** The worker running the current thread's event for this dispatcher, or null. */
  Worker currentWorker() {
    return Thread.currentThread() instanceof Worker w && w.owner == this && w.dispatching ? w : null;
  }
}
