package org.ame4j.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.ame4j.Ame;
import org.ame4j.TaskFailedException;
import org.ame4j.TestHooks;
import org.ame4j.TransactionQueue;

/**
 * A randomized, recorded workload: tasks generated from a seed run on a {@link Store} in one of
 * the engine's {@link Mode}s, and every attempt's reads and writes go into a {@link History} for
 * the {@link HistoryChecker}.
 *
 * <p>Task kinds (chosen per task from its seed): read-modify-write of a few registers; a hot
 * counter (register 0, which every other kind also touches now and then); long readers (half of
 * the registers in one transaction); write-skew pairs (read two, write one); bulk tasks over a
 * run of consecutive registers (array-heavy when the store is an array); publication of a fresh
 * node into a slot, and tasks that follow a slot to its node and update the node's register;
 * {@code Ame.retry} until register 0 has been written. Queue tasks may add children (nested
 * adds, part of their effects); atomic blocks may nest a block. A task may throw after all its
 * writes (it must leave no trace): queue runs are then started again until the queue is empty.
 */
public final class Workload {
  /** How the tasks run. */
  public enum Mode {
    /** {@code new TransactionQueue()}: some serial order. */
    UNORDERED,
    /** {@code TransactionQueue.ordered()}: the sequential worklist order. */
    ORDERED,
    /** {@code Ame.atomic} blocks from plain threads (one thread per worker). */
    ATOMIC
  }

  /**
   * What a failing task throws (see {@link #fails}): always after some of its writes, so the
   * failure must undo them.
   */
  public enum Fault {
    /** A RuntimeException after all its writes and adds. */
    EXCEPTION,
    /** A real {@link StackOverflowError}: recursion that writes a register at every level, so
     * the error strikes inside the engine's write path or the recorder, wherever the stack ends. */
    STACK_OVERFLOW,
    /** A real {@link OutOfMemoryError} from the JVM (an array too long) between two writes. */
    OUT_OF_MEMORY
  }

  /** Keys of node registers: {@code FRESH + node id} (slots are keys {@code keys() .. }). */
  public static final int FRESH = 1 << 30;

  final Store store;
  final History history;
  final long seed;
  final int tasks;
  final int throwPermille;
  private Fault fault = Fault.EXCEPTION;
  /** Failing tasks that started, that committed (must stay empty), and failures reported. */
  final Set<Long> failingStarted = ConcurrentHashMap.newKeySet();
  final Set<Long> failingCommitted = ConcurrentHashMap.newKeySet();
  final AtomicInteger failuresReported = new AtomicInteger();
  final Mode mode;
  final int workers;
  private final int keys;
  private final int slots;

  /** Thrown by the tasks that fail on purpose. */
  static final class Boom extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Boom(long id) {
      super("boom " + id, null, false, false);
    }
  }

  public Workload(Store store, History history, Mode mode, int workers, long seed, int tasks, int throwPermille) {
    if (store.keys() < 4) {
      throw new IllegalArgumentException("a workload needs at least 4 registers, the store has " + store.keys());
    }
    this.store = store;
    this.history = history;
    this.mode = mode;
    this.workers = workers;
    this.seed = seed;
    this.tasks = tasks;
    this.throwPermille = throwPermille;
    this.keys = store.keys();
    this.slots = store.slots();
  }

  /** Makes the failing tasks throw {@code f} instead of an exception; returns this. */
  public Workload fault(Fault f) {
    this.fault = f;
    return this;
  }

  /** Runs every task to completion (tasks that throw are dropped) and returns the check. */
  public HistoryChecker.Result runAndCheck() throws InterruptedException {
    run();
    return HistoryChecker.check(history.attempts(), finalState());
  }

  /** Each register's and slot's value now (call after the run, outside transactions). */
  public Map<Integer, Long> finalState() {
    Map<Integer, Long> state = new HashMap<>();
    Ame.atomic(() -> {
      for (int k = 0; k < keys; k++) {
        state.put(k, store.get(k));
      }
      for (int s = 0; s < slots; s++) {
        state.put(keys + s, store.node(s));
      }
    });
    return state;
  }

  public void run() throws InterruptedException {
    if (mode == Mode.ATOMIC) {
      runThreads();
      return;
    }
    TransactionQueue q = mode == Mode.ORDERED ? TransactionQueue.ordered() : new TransactionQueue();
    for (int i = 0; i < tasks; i++) {
      long id = mix(seed, i);
      int depth = 0;
      q.add(() -> queueTask(q, id, depth));
    }
    while (q.size() > 0) {
      try {
        q.run(workers);
      } catch (TaskFailedException e) {
        expectedFailure(e.getCause(), e);
      }
    }
  }

  private void queueTask(TransactionQueue q, long id, int depth) {
    SplittableRandom r = new SplittableRandom(id);
    History.Attempt a = history.begin("task " + Long.toHexString(id));
    body(a, r, id);
    if (depth < 2 && r.nextInt(8) == 0) {
      for (int c = 1 + r.nextInt(2); c > 0; c--) {
        long child = mix(id, c);
        q.add(() -> queueTask(q, child, depth + 1));
      }
    }
    maybeFail(a, r, id);
  }

  /** A failure that a failing task reports; anything else is rethrown (a real failure). */
  private void expectedFailure(Throwable cause, RuntimeException carrier) {
    boolean expected = switch (fault) {
      case EXCEPTION -> cause instanceof Boom;
      case STACK_OVERFLOW -> cause instanceof StackOverflowError;
      case OUT_OF_MEMORY -> cause instanceof OutOfMemoryError;
    };
    if (!expected) {
      throw carrier;
    }
    failuresReported.incrementAndGet();
  }

  /** Failing tasks that started (each reported once) and that committed (none may). */
  public int failingTasksStarted() {
    return failingStarted.size();
  }

  public int failingTasksCommitted() {
    return failingCommitted.size();
  }

  public int failuresReported() {
    return failuresReported.get();
  }

  private void runThreads() throws InterruptedException {
    CountDownLatch start = new CountDownLatch(1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < workers; t++) {
      int thread = t;
      Thread th = new Thread(() -> {
        try {
          start.await();
          for (int i = thread; i < tasks; i += workers) {
            long id = mix(seed, i);
            try {
              Ame.atomic(() -> atomicBlock(thread, id));
            } catch (RuntimeException | Error e) {
              expectedFailure(e, new IllegalStateException("an atomic block failed", e));
            }
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      }, "history-" + t);
      threads.add(th);
      th.start();
    }
    start.countDown();
    for (Thread th : threads) {
      th.join(TimeUnit.MINUTES.toMillis(10));
      if (th.isAlive()) {
        throw new IllegalStateException(th.getName() + " still runs after 10 minutes: a hang");
      }
    }
    if (failure.get() != null) {
      throw new IllegalStateException("an atomic-block thread failed", failure.get());
    }
  }

  private void atomicBlock(int thread, long id) {
    SplittableRandom r = new SplittableRandom(id);
    History.Attempt a = history.begin("thread " + thread + " block " + Long.toHexString(id));
    body(a, r, id);
    if (r.nextInt(8) == 0) {
      Ame.atomic(() -> body(a, new SplittableRandom(mix(id, 1)), mix(id, 1))); // flat nesting
    }
    maybeFail(a, r, id);
  }

  /**
   * True for the tasks that fail ({@code throwPermille} of them, chosen by id alone, so every
   * attempt of a task agrees), never for the two that write register 0 first (retry waits on
   * them).
   */
  boolean fails(long id) {
    return throwPermille > 0 && Math.floorMod(mix(id, 0x5EED), 1000) < throwPermille && !writesRegisterZeroFirst(id);
  }

  private static volatile Object sink;

  private void maybeFail(History.Attempt a, SplittableRandom r, long id) {
    if (!fails(id)) {
      return;
    }
    failingStarted.add(id);
    Ame.afterCommit(() -> failingCommitted.add(id));
    switch (fault) {
      case EXCEPTION -> throw new Boom(id);
      case STACK_OVERFLOW -> recurse(a, r.nextInt(keys));
      case OUT_OF_MEMORY -> {
        rmw(a, r.nextInt(keys));
        // Longer than any long[] HotSpot can make: the JVM throws OutOfMemoryError ("Requested
        // array size exceeds VM limit") at once, without the full collections that a merely
        // too large request costs first (0.4 s each on the test machine).
        sink = new long[Integer.MAX_VALUE];
        rmw(a, r.nextInt(keys));
      }
    }
    throw new IllegalStateException("the injected " + fault + " did not happen");
  }

  /** Writes {@code k} at every level until the stack overflows. */
  private void recurse(History.Attempt a, int k) {
    rmw(a, k);
    recurse(a, k);
  }

  private boolean writesRegisterZeroFirst(long id) {
    return id == mix(seed, 0) || id == mix(seed, 1);
  }

  /** The one definition of what a task does. */
  void body(History.Attempt a, SplittableRandom r, long id) {
    if (writesRegisterZeroFirst(id)) {
      rmw(a, 0); // register 0 is written early: retry tasks wait for it, and it is the hot one
      return;
    }
    int kind = r.nextInt(16);
    switch (kind) {
      case 0, 1, 2, 3 -> { // read-modify-write of a few registers
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) {
          rmw(a, r.nextInt(keys));
        }
      }
      case 4, 5 -> rmw(a, r.nextInt(2)); // hot counters
      case 6 -> { // long reader, sometimes writing what it summed
        long h = 0;
        for (int k = 0; k < keys; k += 2) {
          h += read(a, k);
        }
        if (r.nextInt(4) == 0) {
          rmw(a, r.nextInt(keys));
        }
      }
      case 7, 8 -> { // write skew: read two, write one of them
        int x = r.nextInt(keys);
        int y = r.nextInt(keys);
        long vx = read(a, x);
        long vy = read(a, y);
        write(a, ((vx + vy) & 1) == 0 ? x : y);
      }
      case 9, 10 -> { // bulk: a run of consecutive registers, every fourth rewritten
        int from = r.nextInt(keys);
        int len = Math.min(16, keys);
        for (int i = 0; i < len; i++) {
          int k = (from + i) % keys;
          read(a, k);
          if (i % 4 == 0) {
            write(a, k);
          }
        }
      }
      case 11 -> { // a fresh node escapes into shared state
        if (slots > 0) {
          int s = r.nextInt(slots);
          read(a, keys + s, store.node(s));
          long node = history.uniqueValue();
          store.publish(s, node);
          a.write(keys + s, node);
          int k = freshKey(node);
          a.read(k, store.nodeValue(s));
          long v = history.uniqueValue();
          store.setNodeValue(s, v);
          a.write(k, v);
        }
      }
      case 12, 13 -> { // follow a slot to its node, update the node's register
        if (slots > 0) {
          int s = r.nextInt(slots);
          long node = read(a, keys + s, store.node(s));
          if (node != 0) {
            int k = freshKey(node);
            a.read(k, store.nodeValue(s));
            if (r.nextBoolean()) {
              long v = history.uniqueValue();
              store.setNodeValue(s, v);
              a.write(k, v);
            }
          }
        }
      }
      case 14 -> { // block until register 0 has been written once
        if (read(a, 0) == 0) {
          Ame.retry();
        }
        rmw(a, 1 + r.nextInt(keys - 1));
      }
      default -> { // read a register twice (a repeatable read), then another
        int k = r.nextInt(keys);
        read(a, k);
        read(a, k);
        rmw(a, r.nextInt(keys));
      }
    }
  }

  private static int freshKey(long node) {
    if (node >= Integer.MAX_VALUE - FRESH) {
      throw new IllegalStateException("too many nodes for the key space: " + node);
    }
    return FRESH + (int) node;
  }

  private long read(History.Attempt a, int k) {
    return a.read(k, store.get(k));
  }

  private static long read(History.Attempt a, int k, long value) {
    return a.read(k, value);
  }

  /** Writes a fresh unique value to {@code k} (read first if this attempt has not read it). */
  private void write(History.Attempt a, int k) {
    long v = history.uniqueValue();
    store.set(k, v);
    a.write(k, v);
  }

  private void rmw(History.Attempt a, int k) {
    read(a, k);
    write(a, k);
  }

  static long mix(long a, long b) {
    return TestHooks.mix(a, b);
  }
}
