package org.ame4j.internal.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import org.ame4j.internal.engine.Atomically;
import org.ame4j.internal.engine.CommitGate;
import org.ame4j.internal.engine.ControlSignal;
import org.ame4j.internal.engine.RetryCondition;
import org.ame4j.internal.engine.TaskBatch;
import org.ame4j.internal.engine.TurnHandOver;

/**
 * One {@code run()} of a queue on N worker threads; returns when no task is queued or running.
 *
 * <p><b>Unordered</b>: workers take tasks from the head and run each as a transaction; the
 * result equals some serial order (the commit order). <b>Ordered</b>: tasks get consecutive
 * tickets as they are taken from the head, which is their position in the sequential worklist
 * (a task's adds are published while it holds the commit turn, so they join the tail exactly
 * where the sequential program would put them). A task executes speculatively but commits only
 * on its turn; the older task wins every conflict.
 *
 * <p><b>Failure</b>: the first task that throws stops the run: no new task starts, running ones
 * finish (unordered: commit or fail; a later failure is handed back to the queue and its
 * throwable suppressed on the first). Ordered: the failing task is the oldest running one (its
 * exception only counts on its turn), so every older task has committed; every younger one is
 * rolled back and handed back, and they return to the head of the queue in ticket order.
 *
 * <p><b>Retry</b>: an unordered task that calls {@code retry()} is rolled back and kept aside,
 * not left blocking its worker, and is queued again once something it read changes. If only
 * such tasks remain and nothing commits for a while, the run fails with an
 * {@link IllegalStateException} (the wait could never end). An ordered task blocks its worker
 * instead: it must keep its place in the commit order, and its turn always comes.
 *
 * <p><b>Interrupts</b>: interrupting the thread in {@code run()} stops the run the same way
 * (running tasks finish; tasks waiting in {@code retry()} go back to the queue) and
 * {@code run()} throws {@link CancellationException}. A worker's interrupt status is cleared
 * before each task: it belongs to the task code that caused or observes it.
 */
final class ParallelRun implements CommitGate {
  private final QueueCore queue;
  private final int workerCount;
  private final boolean ordered;
  private final java.util.concurrent.CountDownLatch startGate =
      new java.util.concurrent.CountDownLatch(1);

  // Guarded by queue.lock.
  private int executing;
  /** Guarded by queue.lock for writes; read racily by {@link #buffersAddsOf}. */
  private volatile int idleWorkers;
  private boolean stopping;
  private long nextTicket;
  private TaskFailure failure;
  private final TreeMap<Long, Runnable> handedBack = new TreeMap<>();
  private long handBackSeq = Long.MIN_VALUE; // unordered hand-backs keep their arrival order
  /** Unordered tasks that called retry(), each with what it waits for. */
  private final ArrayList<Waiting> waiting = new ArrayList<>();
  private long stuckClock = -1;
  private long stuckSince;

  private record Waiting(Runnable task, RetryCondition condition) {}

  /** How long nothing may commit, with only retrying tasks left, before the run gives up. */
  private static final long STUCK_NANOS = 100_000_000L;

  private volatile long nextToCommit;

  /**
   * Ordered runs: threads parked waiting for their commit turn, by ticket modulo the size (see
   * {@link #parkForTurn}). The tasks waiting at any time are at most the workers' current ones,
   * whose tickets are distinct and close together, so two waiters rarely share a slot; if they
   * do, the one overwritten wakes on its park timeout instead of by hand-off.
   */
  private final AtomicReferenceArray<Thread> turnWaiters = new AtomicReferenceArray<>(TURN_SLOTS);
  private static final int TURN_SLOTS = 64;
  /** Ordered runs: finished attempts left for their predecessor's committer, or null. */
  private final TurnHandOver handOver;
  private volatile long failedTicket = Long.MAX_VALUE;
  private volatile boolean stopFlag;

  ParallelRun(QueueCore queue, int workerCount) {
    this.queue = queue;
    this.workerCount = workerCount;
    this.ordered = queue.ordered;
    this.handOver = ordered && TurnHandOver.ON ? new TurnHandOver() : null;
  }

  void run() {
    queue.claim(this, false);
    List<Worker> workers = new ArrayList<>(workerCount);
    boolean interrupted = false;
    try {
      try {
        for (int i = 0; i < workerCount; i++) {
          Worker w = new Worker.Padded(this, this::workLoop, "ame4j-worker-" + i);
          workers.add(w);
          w.start();
        }
      } finally {
        startGate.countDown(); // all workers start taking tasks together: no head start
      }
      for (Worker w : workers) {
        for (; ; ) {
          try {
            w.join();
            break;
          } catch (InterruptedException e) {
            interrupted = true;
            stop();
          }
        }
      }
    } finally {
      List<Runnable> back;
      synchronized (queue.lock) {
        back = new ArrayList<>(handedBack.values());
        for (Waiting w : waiting) {
          back.add(w.task()); // a stopped run leaves its retrying tasks queued
        }
        waiting.clear();
      }
      queue.release(back);
    }
    if (failure != null) {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      throw failure;
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
      throw new CancellationException(
          "TransactionQueue.run() interrupted; " + queue.size() + " tasks remain queued");
    }
  }

  private void stop() {
    synchronized (queue.lock) {
      stopping = true;
      stopFlag = true;
      queue.lock.notifyAll();
    }
    wakeTurnWaiters();
  }

  /**
   * True if tasks that {@code w}'s committed task adds to {@code q} may stay in the worker's own
   * buffer until its next refill, instead of taking the queue's lock for every commit: an
   * unordered run of that queue with no worker idle (an idle one must get work now; a racy
   * read only delays it until this worker's next refill, a batch later).
   */
  boolean buffersAddsOf(QueueCore q) {
    return q == queue && !ordered && idleWorkers == 0 && !stopFlag;
  }

  /** The queue this run runs. */
  QueueCore queue() {
    return queue;
  }

  /** Called under queue.lock when tasks are appended: wakes as many idle workers as useful. */
  void tasksArrived(int count) {
    if (idleWorkers > 0) {
      if (count == 1) {
        queue.lock.notify();
      } else {
        queue.lock.notifyAll();
      }
    }
  }

  /**
   * A worker takes tasks in batches (unordered runs) so that the queue's lock is taken once per
   * batch, not once per task: with small tasks the lock would otherwise be the bottleneck.
   * Batches are small next to the queue (at most 1/(2N) of it, at most 64), so the last tasks
   * still spread over all workers. An ordered run takes one task at a time, since a batch of
   * consecutive tickets on one thread would run them one after another; a worker whose turn
   * stalled stays out for a while instead ({@link Worker#retirement}).
   */
  private void workLoop() {
    Worker self = (Worker) Thread.currentThread();
    self.ownBuffers(); // on this thread, in its own buffer (Worker's class comment)
    awaitStart();
    TaskBody body = new TaskBody();
    Joined joined = new Joined(self);
    Coalescing coalescing = new Coalescing();
    // Without the agent's rule (and without ame4j.batch.untracked) no task can join: the loop
    // is then exactly the one of -Dame4j.batch=1.
    boolean coalesce = !ordered && TaskEntries.anyMayJoin();
    for (; ; ) {
      if (!refill(self)) {
        return;
      }
      int slot = self.next++;
      long ticket = ordered ? self.ticket + slot : Long.MAX_VALUE;
      // Unordered runs: up to k-1 further tasks of this worker's batch may join the task's
      // transaction (Coalescing, TaskBatch); a task that left a batch runs alone next.
      int planned = !coalesce || joined.alone ? 1 : coalescing.next(self.size - slot);
      if (planned > 1 && !joined.mayJoinSlot(slot + 1)) {
        planned = 1; // the next task cannot join: no batch to time (a clock read costs a task)
      }
      joined.start(slot, planned - 1);
      long start = planned > 1 ? System.nanoTime() : -1L;
      boolean committed = false;
      Thread.interrupted();
      try {
        body.set(self.batch[slot], self.indices[slot]);
        Atomically.execute(self.txn(), body, this, ticket, joined);
        committed = true;
      } catch (ControlSignal handBack) {
        RetryCondition retry = self.txn().takeRetryCondition();
        Runnable task = TaskList.task(self.batch, self.indices, slot);
        synchronized (queue.lock) {
          if (retry != null) {
            waiting.add(new Waiting(task, retry));
          } else {
            handedBack.put(ordered ? ticket : handBackSeq++, task);
          }
        }
      } catch (Throwable t) {
        // An after-commit action's failure belongs to the task of the batch that deferred it.
        int at = t instanceof Atomically.AfterCommitFailure f ? slot + f.task() : slot;
        failed(TaskList.task(self.batch, self.indices, at), ticket, t);
      } finally {
        body.set(null, 0);
        int ran = 1 + joined.extras();
        for (int i = 0; i < ran; i++) {
          self.batch[slot + i] = null;
        }
        self.next += ran - 1;
        self.done += ran;
        // A task rolled back out of its batch (it threw, retried or must be inevitable) runs
        // alone next: exactly as it would without coalescing.
        joined.alone = joined.split();
        if (coalesce) {
          coalescing.ran(ran);
        }
      }
      if (committed) { // a single task (planned 1, no extras) is never timed: start is -1
        coalescing.committed(planned, 1 + joined.extras(), joined.aborts(),
            start < 0 ? -1L : System.nanoTime() - start);
      }
    }
  }

  /** The worker's further tasks that may join a task's transaction ({@link TaskBatch}). */
  private static final class Joined extends TaskBatch {
    private final Worker self;
    private final TaskBody body = new TaskBody();
    private int first;
    /** The next task left a batch: it runs alone, once. */
    boolean alone;
    /** The entry class {@link #mayJoin} last looked at (a range's body's) and its answer. */
    private Class<?> lastClass;
    private boolean lastJoins;

    Joined(Worker self) {
      this.self = self;
    }

    void start(int slot, int want) {
      first = slot;
      prepare(want);
    }

    @Override
    protected boolean mayJoin(int i) {
      return mayJoinSlot(first + i);
    }

    /** {@link #mayJoin} for the task in the worker's batch slot {@code slot}. */
    boolean mayJoinSlot(int slot) {
      Runnable task = self.batch[slot];
      Class<?> c = (task instanceof RangeTask r ? r.body : task).getClass();
      if (c != lastClass) { // most runs queue one kind of task: one look per worker
        lastJoins = TaskEntries.mayJoin(c);
        lastClass = c;
      }
      return lastJoins;
    }

    @Override
    protected void runExtra(int i) {
      int slot = first + i;
      Thread.interrupted(); // per task, as before every task
      body.set(self.batch[slot], self.indices[slot]);
      try {
        body.get();
      } finally {
        body.set(null, 0);
      }
    }
  }

  /**
   * Waits until every worker has been started, so that the first one does not drain a queue of
   * small tasks before the others exist (run(n) then really runs on n threads).
   */
  private void awaitStart() {
    boolean interrupted = false;
    for (; ; ) {
      try {
        startGate.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt(); // cleared before the first task anyway
    }
  }

  /** Makes the worker's batch non-empty; false when the worker should exit. */
  private boolean refill(Worker self) {
    if (self.next < self.size && !stopFlag) {
      return true;
    }
    synchronized (queue.lock) {
      // Publish buffered adds before settling the finished tasks: while they sit in the
      // buffer, executing > 0 keeps every other worker from concluding the run is over.
      if (!self.localAdds.isEmpty()) {
        queue.pending.addAll(self.localAdds);
        self.localAdds.clear();
        wakeIdle();
      }
      executing -= self.done;
      self.done = 0;
      if (self.next < self.size) { // stopping: the untouched rest goes back to the queue
        giveBack(self);
      }
      if (ordered) {
        stayOut(self.retirement());
      }
      for (; ; ) {
        if (stopping) {
          wakeIdle();
          return false;
        }
        requeueWoken();
        if (!queue.pending.isEmpty()) {
          break;
        }
        if (executing == 0) {
          if (waiting.isEmpty()) {
            wakeIdle();
            return false;
          }
          if (stuckForGood()) {
            return false;
          }
        }
        idleWorkers++;
        try {
          // With retrying tasks aside, poll their conditions (a commit from outside the run
          // may wake them); otherwise sleep until a task arrives or the run ends.
          queue.lock.wait(waiting.isEmpty() ? 0L : 1L);
        } catch (InterruptedException ignored) {
          // A worker's interrupt is not a request to stop the run: interrupt the caller of
          // run() for that. The status is cleared before the next task anyway.
        } finally {
          idleWorkers--;
        }
      }
      int take = ordered ? 1 : Math.max(1, Math.min(Worker.BATCH,
          queue.pending.size() / (2 * workerCount)));
      take = queue.pending.poll(self.batch, self.indices, take);
      self.size = take;
      self.next = 0;
      executing += take;
      if (ordered) {
        self.ticket = nextTicket; // consecutive tickets, one per slot
        nextTicket += take;
        self.batchStarted(take);
      }
      return true;
    }
  }

  /**
   * Under queue.lock, ordered runs: lets the other workers run without this one for up to
   * {@code millis} ({@link Worker#retirement}), if another worker is running a task (so the run
   * goes on) and the run is not stopping. A stop wakes it early, as does any notify of the lock.
   */
  private void stayOut(int millis) {
    if (millis == 0 || executing == 0 || stopping) {
      return;
    }
    try {
      queue.lock.wait(millis);
    } catch (InterruptedException ignored) {
      // As in the idle wait below: a worker's interrupt is not a request to stop the run.
    }
  }

  /** Under queue.lock: queues again the retrying tasks whose condition holds. */
  private void requeueWoken() {
    if (waiting.isEmpty()) {
      return;
    }
    for (int i = 0; i < waiting.size(); ) {
      Waiting w = waiting.get(i);
      if (w.condition().changed()) {
        waiting.remove(i);
        queue.pending.addLast(w.task());
      } else {
        i++;
      }
    }
  }

  /**
   * Under queue.lock, nothing queued or running, only retrying tasks left: true (and the run
   * fails) once the global clock has not moved for {@link #STUCK_NANOS}, i.e. nothing anywhere
   * commits that could wake them. Until then a commit from outside the run may still do so.
   */
  private boolean stuckForGood() {
    long now = System.nanoTime();
    long clock = RetryCondition.clock();
    if (clock != stuckClock) {
      stuckClock = clock;
      stuckSince = now;
      return false;
    }
    if (now - stuckSince < STUCK_NANOS) {
      return false;
    }
    Waiting first = waiting.remove(0);
    failure = new TaskFailure(first.task(), new IllegalStateException(
        "Ame.retry() would wait forever: every remaining task of this queue is waiting in"
            + " retry() and nothing commits that could change what they read"));
    stopping = true;
    stopFlag = true;
    wakeIdle();
    return true;
  }

  /**
   * Under queue.lock: returns the worker's untouched tasks to the head of the queue (ordered:
   * to the hand-backs, by ticket, since other workers' younger tasks may be handed back first).
   */
  private void giveBack(Worker self) {
    for (int i = self.size - 1; i >= self.next; i--) {
      Runnable task = TaskList.task(self.batch, self.indices, i);
      if (ordered) {
        handedBack.put(self.ticket + i, task);
      } else {
        queue.pending.addFirst(task);
      }
      self.batch[i] = null;
    }
    executing -= self.size - self.next;
    self.size = self.next = 0;
  }

  private void wakeIdle() {
    if (idleWorkers > 0) {
      queue.lock.notifyAll();
    }
  }

  private void failed(Runnable task, long ticket, Throwable t) {
    boolean committed = t instanceof Atomically.AfterCommitFailure;
    Throwable cause = committed ? t.getCause() : t;
    synchronized (queue.lock) {
      if (failure == null) {
        failure = new TaskFailure(task, cause, committed);
        if (ordered) {
          failedTicket = ticket;
        }
        stopping = true;
        stopFlag = true;
        queue.lock.notifyAll();
        wakeTurnWaiters();
      } else {
        // Unordered only (ordered tasks younger than the failed one never get their turn).
        failure.addSuppressed(cause);
        if (!committed) {
          handedBack.put(handBackSeq++, task);
        }
      }
    }
  }

  // ---- CommitGate -------------------------------------------------------------------------

  @Override
  public org.ame4j.internal.engine.TaskSink sink() {
    return queue;
  }

  @Override
  public boolean isOrdered() {
    return ordered;
  }

  @Override
  public boolean isTurn(long ticket) {
    return nextToCommit == ticket;
  }

  @Override
  public long nextToCommit() {
    return nextToCommit;
  }

  @Override
  public void committed(long ticket) {
    nextToCommit = ticket + 1; // volatile write: publishes the commit and the adds to the next
    // Hand the turn to its task if it parked (volatile write above, volatile read here, against
    // the waiter's volatile slot write then volatile read of nextToCommit: one of the two sees
    // the other, so a wake-up is never lost).
    Thread next = turnWaiters.get((int) (ticket + 1) & (TURN_SLOTS - 1));
    if (next != null) {
      LockSupport.unpark(next);
    }
  }

  /**
   * Parks until the hand-off wakes this waiter (or {@code maxNanos}). Also tells the waiting
   * worker when its wait is a stall ({@link Worker#turnStalled}).
   */
  @Override
  public void parkForTurn(long ticket, long maxNanos) {
    int slot = (int) ticket & (TURN_SLOTS - 1);
    Thread self = Thread.currentThread();
    turnWaiters.set(slot, self);
    if (!isTurn(ticket) && !handBack(ticket)) {
      if (self instanceof Worker w) {
        w.turnStalled(ticket, nextToCommit);
      }
      LockSupport.parkNanos(this, maxNanos);
    }
    turnWaiters.compareAndSet(slot, self, null);
  }

  /** Tells the waiting worker how long its turn kept it off the processor ({@link Worker#waitedForTurn}). */
  @Override
  public void waitedForTurn(long nanos) {
    if (Thread.currentThread() instanceof Worker w && w.run == this) {
      w.waitedForTurn(nanos);
    }
  }

  @Override
  public TurnHandOver handOver() {
    return handOver;
  }

  /** Wakes every thread parked for its turn: the run stopped, and they must hand their tasks back. */
  private void wakeTurnWaiters() {
    for (int i = 0; i < TURN_SLOTS; i++) {
      Thread t = turnWaiters.get(i);
      if (t != null) {
        LockSupport.unpark(t);
      }
    }
  }

  @Override
  public boolean handBack(long ticket) {
    return ordered ? ticket > failedTicket : stopFlag;
  }

  @Override
  public boolean handBackOnRetry() {
    return !ordered;
  }

  /**
   * A reusable adapter, so running a task allocates nothing: a plain task, or one index of a
   * {@link RangeTask}.
   */
  private static final class TaskBody implements java.util.function.Supplier<Object> {
    private Runnable task;
    private java.util.function.IntConsumer range;
    private int index;

    void set(Runnable task, int index) {
      if (task instanceof RangeTask r) {
        this.task = null;
        this.range = r.body;
      } else {
        this.task = task;
        this.range = null;
      }
      this.index = index;
    }

    @Override
    public Object get() {
      if (range != null) {
        range.accept(index);
      } else {
        task.run();
      }
      return null;
    }
  }
}
