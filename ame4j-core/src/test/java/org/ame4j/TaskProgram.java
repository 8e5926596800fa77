package org.ame4j;

import static org.ame4j.TestUtil.mix;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A randomized task program, generated from a seed, that can run on the engine or on a plain
 * sequential reference interpreter ({@link #reference()}: arrays plus an {@link ArrayDeque}).
 *
 * <p>The semantics of a task are written exactly once, in {@link #exec}, against the small
 * {@link Mem} interface; only the memory differs between the engine run and the reference. A
 * task reads cells, writes cells (ints, one long, strings), reads back its own writes, and adds
 * 0..2 children whose identity depends on the values it read, half of them through
 * {@link TransactionQueue#add} and half through {@link Ame#add}. A task may throw (a
 * {@link RuntimeException}, an {@link Error} or a checked exception), after having written and
 * added: whether it throws depends on what it read, so a speculative attempt on a stale state
 * may throw where the serial execution does not. Every state difference is amplified by hashing,
 * so a lost, duplicated or misordered task changes the final state.
 */
final class TaskProgram {
  static final int INTS = 12;
  static final int STRS = 3;
  static final int MAX_STR = 12;

  /** A task: its identity (also the seed of its behaviour) and its depth in the add-tree. */
  record Step(long id, int depth) {}

  /** The memory a task runs against. */
  interface Mem {
    int getInt(int i);

    void setInt(int i, int v);

    long getLong();

    void setLong(long v);

    String getStr(int i);

    void setStr(int i, String v);

    /** Adds a child task; {@code viaAme} chooses {@code Ame.add} over {@code queue.add}. */
    void add(Step child, boolean viaAme);

    /** Called just before a task throws {@code t} (engine runs record it for identity checks). */
    default void onThrow(long id, Throwable t) {}
  }

  static final class Boom extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Boom(long id) {
      super("boom " + id);
    }
  }

  static final class BoomError extends Error {
    private static final long serialVersionUID = 1L;

    BoomError(long id) {
      super("boom error " + id);
    }
  }

  static final class BoomChecked extends Exception {
    private static final long serialVersionUID = 1L;

    BoomChecked(long id) {
      super("boom checked " + id);
    }
  }

  final long seed;
  final List<Step> initial;
  final int maxDepth;
  /** Probability (per mille) that a task throws; 0 disables exceptions. */
  final int throwPermille;

  /** Only tasks that read some cells and write others (write-skew prone), and more of them. */
  final boolean skewProne;

  TaskProgram(long seed, int throwPermille) {
    this(seed, throwPermille, false);
  }

  TaskProgram(long seed, int throwPermille, boolean skewProne) {
    this.seed = seed;
    this.throwPermille = throwPermille;
    this.skewProne = skewProne;
    SplittableRandom r = new SplittableRandom(seed);
    int n = skewProne ? 40 + r.nextInt(40) : 6 + r.nextInt(20);
    List<Step> steps = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      steps.add(new Step(mix(seed, i), 0));
    }
    this.initial = Collections.unmodifiableList(steps);
    this.maxDepth = 1 + r.nextInt(3);
  }

  /** The one definition of what a task does. */
  void exec(Step s, Mem m) {
    SplittableRandom r = new SplittableRandom(s.id());
    long h = s.id();
    int kind = r.nextInt(10);
    if (skewProne) {
      kind = kind < 5 ? 0 : 8;
    }
    switch (kind) {
      case 0: // read several cells, write a hash of them
        {
          int n = 1 + r.nextInt(4);
          for (int k = 0; k < n; k++) {
            h = mix(h, m.getInt(r.nextInt(INTS)));
          }
          m.setInt(r.nextInt(INTS), (int) h);
          break;
        }
      case 1: // increment (a lost or duplicated update shows)
        {
          int i = r.nextInt(INTS);
          int v = m.getInt(i);
          m.setInt(i, v + 1 + r.nextInt(5));
          h = mix(h, v);
          break;
        }
      case 2: // blind writes
        m.setInt(r.nextInt(INTS), (int) r.nextLong());
        if (r.nextBoolean()) {
          m.setInt(r.nextInt(INTS), r.nextInt());
        }
        break;
      case 3: // read-only, many reads: only its children depend on what it saw
        {
          int n = 2 + r.nextInt(INTS);
          for (int k = 0; k < n; k++) {
            h = mix(h, m.getInt(r.nextInt(INTS)));
          }
          break;
        }
      case 4: // order-sensitive trace in the long cell
        {
          long t = m.getLong();
          h = mix(h, t);
          m.setLong(t * 31 + s.id());
          break;
        }
      case 5: // swap two cells
        {
          int a = r.nextInt(INTS);
          int b = r.nextInt(INTS);
          int va = m.getInt(a);
          int vb = m.getInt(b);
          m.setInt(a, vb);
          m.setInt(b, va);
          h = mix(mix(h, va), vb);
          break;
        }
      case 6: // string append, bounded length
        {
          int i = r.nextInt(STRS);
          String str = m.getStr(i);
          h = mix(h, str.hashCode());
          String next = str + (char) ('a' + Math.floorMod(s.id(), 26));
          if (next.length() > MAX_STR) {
            next = next.substring(next.length() - MAX_STR);
          }
          m.setStr(i, next);
          break;
        }
      case 7: // write, read own write back, write again
        {
          int i = r.nextInt(INTS);
          m.setInt(i, (int) h);
          int back = m.getInt(i);
          if (back != (int) h) {
            throw new AssertionError("read-your-own-write broken: wrote " + (int) h + " read " + back);
          }
          m.setInt(i, back ^ 0x5bd1e995);
          h = mix(h, back);
          break;
        }
      case 8: // conditional update
        {
          int a = r.nextInt(INTS);
          int b = r.nextInt(INTS);
          int va = m.getInt(a);
          int vb = m.getInt(b);
          if (va > vb) {
            m.setInt(a, va - 1);
          } else {
            m.setInt(b, vb + 2);
          }
          h = mix(mix(h, va), vb);
          break;
        }
      default: // the hot cell: every such task conflicts with every other
        {
          int v = m.getInt(0);
          m.setInt(0, v * 3 + 1);
          h = mix(h, v);
          break;
        }
    }
    if (s.depth() < maxDepth) {
      int n = (int) Long.remainderUnsigned(mix(h, 0x9E37L), 3);
      for (int c = 0; c < n; c++) {
        m.add(new Step(mix(mix(s.id(), c + 1), h), s.depth() + 1), ((h >>> c) & 1) == 0);
      }
    }
    if (throwPermille > 0 && Long.remainderUnsigned(mix(h, 0xBADL), 1000) < throwPermille) {
      Throwable t;
      switch (Math.floorMod(s.id(), 3)) {
        case 0:
          t = new Boom(s.id());
          break;
        case 1:
          t = new BoomError(s.id());
          break;
        default:
          t = new BoomChecked(s.id());
          break;
      }
      m.onThrow(s.id(), t);
      throw TestUtil.sneakyThrow(t);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // State snapshots

  /** A comparable copy of the whole program state. */
  static final class Snapshot {
    final int[] ints;
    final long lng;
    final String[] strs;

    Snapshot(int[] ints, long lng, String[] strs) {
      this.ints = ints.clone();
      this.lng = lng;
      this.strs = strs.clone();
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Snapshot)) {
        return false;
      }
      Snapshot s = (Snapshot) o;
      return Arrays.equals(ints, s.ints) && lng == s.lng && Arrays.equals(strs, s.strs);
    }

    @Override
    public int hashCode() {
      return Objects.hash(Arrays.hashCode(ints), lng, Arrays.hashCode(strs));
    }

    @Override
    public String toString() {
      return "ints=" + Arrays.toString(ints) + " long=" + lng + " strs=" + Arrays.toString(strs);
    }
  }

  static String initialStr(int i) {
    return "s" + i;
  }

  // ---------------------------------------------------------------------------------------------
  // The plain sequential reference

  /** Plain memory: arrays and fields, with a buffer for the adds of the running task. */
  static final class PlainMem implements Mem {
    final int[] ints = new int[INTS];
    long lng;
    final String[] strs = new String[STRS];
    List<Step> added = new ArrayList<>();
    /** Values returned by reads, in order (for replay checks). */
    List<Object> observed = new ArrayList<>();

    PlainMem() {
      for (int i = 0; i < STRS; i++) {
        strs[i] = initialStr(i);
      }
    }

    @Override
    public int getInt(int i) {
      observed.add(ints[i]);
      return ints[i];
    }

    @Override
    public void setInt(int i, int v) {
      ints[i] = v;
    }

    @Override
    public long getLong() {
      observed.add(lng);
      return lng;
    }

    @Override
    public void setLong(long v) {
      lng = v;
    }

    @Override
    public String getStr(int i) {
      observed.add(strs[i]);
      return strs[i];
    }

    @Override
    public void setStr(int i, String v) {
      strs[i] = v;
    }

    @Override
    public void add(Step child, boolean viaAme) {
      added.add(child);
    }

    Snapshot snapshot() {
      return new Snapshot(ints, lng, strs);
    }

    void restore(Snapshot s) {
      System.arraycopy(s.ints, 0, ints, 0, INTS);
      lng = s.lng;
      System.arraycopy(s.strs, 0, strs, 0, STRS);
    }
  }

  /** A task that threw in the reference run, with the state and the queue right after it. */
  static final class Failure {
    final Step thrower;
    final Class<?> causeType;
    final Snapshot state;
    final List<Step> pending;
    /** Tasks committed before this failure (since the start). */
    final int committedBefore;

    Failure(Step thrower, Class<?> causeType, Snapshot state, List<Step> pending, int committedBefore) {
      this.thrower = thrower;
      this.causeType = causeType;
      this.state = state;
      this.pending = pending;
      this.committedBefore = committedBefore;
    }
  }

  static final class Outcome {
    final List<Failure> failures = new ArrayList<>();
    final List<Step> committed = new ArrayList<>();
    Snapshot end;
  }

  /**
   * {@code while (!q.isEmpty()) q.poll().run();} with a failed task rolled back and dropped,
   * recording the state and the queue at each failure (what {@code run()} must leave behind).
   */
  Outcome reference() {
    Outcome out = new Outcome();
    PlainMem m = new PlainMem();
    ArrayDeque<Step> q = new ArrayDeque<>(initial);
    while (!q.isEmpty()) {
      Step s = q.poll();
      Snapshot before = m.snapshot();
      m.added = new ArrayList<>();
      try {
        exec(s, m);
        q.addAll(m.added);
        out.committed.add(s);
      } catch (Boom | BoomError e) {
        m.restore(before);
        out.failures.add(new Failure(s, e.getClass(), m.snapshot(), new ArrayList<>(q), out.committed.size()));
      } catch (Exception e) {
        if (!(e instanceof BoomChecked)) {
          throw e;
        }
        m.restore(before);
        out.failures.add(new Failure(s, e.getClass(), m.snapshot(), new ArrayList<>(q), out.committed.size()));
      }
    }
    out.end = m.snapshot();
    return out;
  }

  /** Replays the given tasks sequentially, in the given order, ignoring their adds. */
  Snapshot replay(List<Step> order) {
    PlainMem m = new PlainMem();
    for (Step s : order) {
      m.added = new ArrayList<>();
      exec(s, m);
    }
    return m.snapshot();
  }

  // ---------------------------------------------------------------------------------------------
  // The engine run

  /** The same program on explicit cells, driven by a {@link TransactionQueue}. */
  final class StmWorld implements Mem {
    final TransactionQueue queue;
    final IntRef[] ints = new IntRef[INTS];
    final LongRef lng = new LongRef(0);
    final List<Ref<String>> strs = new ArrayList<>();
    /** Every throwable any attempt of a task threw, by task id. */
    final ConcurrentHashMap<Long, Set<Throwable>> thrown = new ConcurrentHashMap<>();
    /** Committed tasks, counted by afterCommit. */
    final AtomicInteger commits = new AtomicInteger();
    /** Optional commit-order log: every task appends its step inside the transaction. */
    final Ref<List<Step>> log;

    StmWorld(TransactionQueue queue, boolean withLog) {
      this.queue = queue;
      for (int i = 0; i < INTS; i++) {
        ints[i] = new IntRef(0);
      }
      for (int i = 0; i < STRS; i++) {
        strs.add(new Ref<>(initialStr(i)));
      }
      this.log = withLog ? new Ref<>(List.of()) : null;
    }

    /** Adds the program's initial tasks; returns them in order (for identity checks). */
    List<Task> addInitial() {
      List<Task> tasks = new ArrayList<>();
      for (Step s : initial) {
        Task t = new Task(s);
        tasks.add(t);
        queue.add(t);
      }
      return tasks;
    }

    /** One task of the program; {@code equals} is identity on purpose. */
    final class Task implements Runnable {
      final Step step;

      Task(Step step) {
        this.step = step;
      }

      @Override
      public void run() {
        if (log != null) {
          List<Step> l = new ArrayList<>(log.get());
          l.add(step);
          log.set(Collections.unmodifiableList(l));
        }
        exec(step, StmWorld.this);
        Ame.afterCommit(commits::incrementAndGet);
      }

      @Override
      public String toString() {
        return "Task" + step;
      }
    }

    @Override
    public int getInt(int i) {
      return ints[i].get();
    }

    @Override
    public void setInt(int i, int v) {
      TestUtil.spin(2_000); // widen the window between the reads and the writes
      ints[i].set(v);
    }

    @Override
    public long getLong() {
      return lng.get();
    }

    @Override
    public void setLong(long v) {
      lng.set(v);
    }

    @Override
    public String getStr(int i) {
      return strs.get(i).get();
    }

    @Override
    public void setStr(int i, String v) {
      strs.get(i).set(v);
    }

    @Override
    public void add(Step child, boolean viaAme) {
      Task t = new Task(child);
      if (viaAme) {
        Ame.add(t);
      } else {
        queue.add(t);
      }
    }

    @Override
    public void onThrow(long id, Throwable t) {
      thrown.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(t);
    }

    /** The whole state, read in one transaction. */
    Snapshot snapshot() {
      return Ame.atomic(
          () -> {
            int[] iv = new int[INTS];
            for (int i = 0; i < INTS; i++) {
              iv[i] = ints[i].get();
            }
            String[] sv = new String[STRS];
            for (int i = 0; i < STRS; i++) {
              sv[i] = strs.get(i).get();
            }
            return new Snapshot(iv, lng.get(), sv);
          });
    }

    /** The steps of the queue's pending tasks, in queue order. */
    List<Step> pendingSteps() {
      List<Step> steps = new ArrayList<>();
      for (Runnable r : queue.pendingTasks()) {
        steps.add(r instanceof Task ? ((Task) r).step : null);
      }
      return steps;
    }
  }
}
