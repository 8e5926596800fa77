package org.ame4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.ame4j.TaskProgram.Step;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Unordered mode: the final state equals the serial replay of the committed tasks in commit
 * order.
 *
 * <p>Two ways to get the commit order. (1) A log cell every task appends to inside its
 * transaction: simple, but it makes every pair of tasks conflict. (2) Without serializing
 * anything: every cell carries a version number next to its value; each committed task reports
 * (through {@code afterCommit}) which version of each cell it read and which it wrote. From that
 * we rebuild the precedence graph (write-after-write, read-after-write, write-after-read,
 * parent-before-child), check it is acyclic (conflict serializability), replay the tasks in a
 * topological order on plain memory, and check that every task read exactly the values it read
 * under the engine, and that the final states agree. A lost update shows as two commits of the
 * same version; a dirty read as a version no committed task wrote; a non-repeatable read inside
 * one attempt (even an attempt that later aborts) is counted on the spot.
 */
class UnorderedModeTest {

  private static final int SEEDS = TestUtil.scale(60, 1000);

  @ParameterizedTest(name = "{0} workers")
  @ValueSource(ints = {1, 2, 4, 8})
  void finalStateEqualsReplayInLogOrder(int workers) {
    for (int i = 0; i < SEEDS; i++) {
      TaskProgram p = new TaskProgram(9000 + i, 0);
      TaskProgram.StmWorld w = p.new StmWorld(new TransactionQueue(), true);
      assertTrue(!w.queue.isOrdered());
      w.addInitial();
      w.queue.run(workers);
      List<Step> order = w.log.get();
      String where = "seed " + p.seed + ", " + workers + " workers";
      assertEquals(w.commits.get(), order.size(), where + ": log vs commits");
      assertEquals(p.replay(order), w.snapshot(), where + ": replay in commit order");
      // Every logged task is an initial task or a child of an earlier logged task.
      Set<Long> known = new HashSet<>();
      p.initial.forEach(s -> known.add(s.id()));
      TaskProgram.PlainMem m = new TaskProgram.PlainMem();
      for (Step s : order) {
        assertTrue(known.remove(s.id()), where + ": task ran that was never added (or ran twice): " + s);
        m.added = new ArrayList<>();
        p.exec(s, m);
        m.added.forEach(c -> known.add(c.id()));
      }
      assertTrue(known.isEmpty(), where + ": tasks added but never run: " + known);
    }
  }

  @ParameterizedTest(name = "{0} workers")
  @ValueSource(ints = {1, 2, 4, 8})
  void finalStateEqualsReplayInPrecedenceOrder(int workers) {
    for (int i = 0; i < SEEDS; i++) {
      check(new TaskProgram(20_000 + i, 0), workers);
    }
  }

  /** Only read-some-write-another tasks, many at once: the write-skew shape, many times over. */
  @ParameterizedTest(name = "{0} workers")
  @ValueSource(ints = {2, 4, 8})
  void skewProneProgramsAreSerializable(int workers) {
    for (int i = 0; i < SEEDS; i++) {
      check(new TaskProgram(40_000 + i, 0, true), workers);
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** An immutable cell content: the value and how many committed writes produced it. */
  static final class Versioned {
    final Object value;
    final int version;

    Versioned(Object value, int version) {
      this.value = value;
      this.version = version;
    }
  }

  /** One access of one cell by one attempt: the version first seen, and whether it wrote. */
  static final class Access {
    final int version;
    boolean wrote;

    Access(int version) {
      this.version = version;
    }
  }

  /** What a committed task did. */
  static final class Record {
    final Step step;
    final Map<Integer, Access> accesses;
    final List<Object> observed;
    final List<Step> children;

    Record(Step step, Map<Integer, Access> accesses, List<Object> observed, List<Step> children) {
      this.step = step;
      this.accesses = accesses;
      this.observed = observed;
      this.children = children;
    }
  }

  static final int LONG_CELL = TaskProgram.INTS;
  static final int STR_BASE = TaskProgram.INTS + 1;
  static final int CELLS = TaskProgram.INTS + 1 + TaskProgram.STRS;

  static final class VersionedWorld {
    final TaskProgram program;
    final TransactionQueue queue = new TransactionQueue();
    final List<Ref<Versioned>> cells = new ArrayList<>();
    final ConcurrentHashMap<Long, Record> records = new ConcurrentHashMap<>();
    final AtomicInteger duplicateCommits = new AtomicInteger();
    final AtomicInteger inconsistentReads = new AtomicInteger();
    final List<String> inconsistencies = java.util.Collections.synchronizedList(new ArrayList<>());

    VersionedWorld(TaskProgram program) {
      this.program = program;
      for (int i = 0; i < CELLS; i++) {
        Object init = i < TaskProgram.INTS ? (Object) 0 : i == LONG_CELL ? (Object) 0L : TaskProgram.initialStr(i - STR_BASE);
        cells.add(new Ref<>(new Versioned(init, 0)));
      }
    }

    final class Task implements Runnable {
      final Step step;

      Task(Step step) {
        this.step = step;
      }

      @Override
      public void run() {
        Attempt a = new Attempt(step);
        program.exec(step, a);
        Record rec = new Record(step, a.accesses, a.observed, a.children);
        Ame.afterCommit(
            () -> {
              if (records.putIfAbsent(step.id(), rec) != null) {
                duplicateCommits.incrementAndGet();
              }
            });
      }

      @Override
      public String toString() {
        return "VTask" + step;
      }
    }

    /** The memory of one attempt: records versions and checks repeatable reads on the spot. */
    final class Attempt implements TaskProgram.Mem {
      final Map<Integer, Access> accesses = new LinkedHashMap<>();
      final List<Object> observed = new ArrayList<>();
      final List<Step> children = new ArrayList<>();
      final Step step;

      Attempt(Step step) {
        this.step = step;
      }

      private Object read(int c) {
        Versioned v = cells.get(c).get();
        Access a = accesses.get(c);
        if (a == null) {
          accesses.put(c, new Access(v.version));
        } else {
          int expected = a.wrote ? a.version + 1 : a.version;
          if (v.version != expected) {
            inconsistent("cell " + c + " read version " + v.version + ", expected " + expected);
          }
        }
        observed.add(v.value);
        return v.value;
      }

      private void write(int c, Object value) {
        TestUtil.spin(3_000); // widen the window between the reads and the writes
        Versioned cur = cells.get(c).get();
        Access a = accesses.get(c);
        if (a == null) {
          a = new Access(cur.version);
          accesses.put(c, a);
        } else {
          int expected = a.wrote ? a.version + 1 : a.version;
          if (cur.version != expected) {
            inconsistent("cell " + c + " saw version " + cur.version + " before writing, expected " + expected);
          }
        }
        a.wrote = true;
        cells.get(c).set(new Versioned(value, a.version + 1));
      }

      private void inconsistent(String what) {
        inconsistentReads.incrementAndGet();
        if (inconsistencies.size() < 10) {
          inconsistencies.add(step + ": " + what);
        }
      }

      @Override
      public int getInt(int i) {
        return (Integer) read(i);
      }

      @Override
      public void setInt(int i, int v) {
        write(i, v);
      }

      @Override
      public long getLong() {
        return (Long) read(LONG_CELL);
      }

      @Override
      public void setLong(long v) {
        write(LONG_CELL, v);
      }

      @Override
      public String getStr(int i) {
        return (String) read(STR_BASE + i);
      }

      @Override
      public void setStr(int i, String v) {
        write(STR_BASE + i, v);
      }

      @Override
      public void add(Step child, boolean viaAme) {
        children.add(child);
        Task t = new Task(child);
        if (viaAme) {
          Ame.add(t);
        } else {
          queue.add(t);
        }
      }
    }
  }

  static void check(TaskProgram p, int workers) {
    String where = "seed " + p.seed + ", " + workers + " workers";
    VersionedWorld w = new VersionedWorld(p);
    for (Step s : p.initial) {
      w.queue.add(w.new Task(s));
    }
    w.queue.run(workers);
    assertEquals(0, w.queue.size(), where);
    assertEquals(0, w.inconsistentReads.get(), () -> where + ": inconsistent reads " + w.inconsistencies);
    assertEquals(0, w.duplicateCommits.get(), where + ": a task committed twice");

    // No lost task, no phantom task.
    Map<Long, Record> recs = w.records;
    Set<Long> expectedIds = new HashSet<>();
    Map<Long, Long> parentOf = new HashMap<>();
    p.initial.forEach(s -> expectedIds.add(s.id()));
    for (Record r : recs.values()) {
      for (Step c : r.children) {
        assertTrue(expectedIds.add(c.id()), where + ": duplicate child id (test generator collision)");
        parentOf.put(c.id(), r.step.id());
      }
    }
    assertEquals(expectedIds, recs.keySet(), where + ": committed tasks vs added tasks");

    // Writers of each version of each cell: exactly one per version, versions contiguous.
    List<Map<Integer, Long>> writerOf = new ArrayList<>();
    for (int c = 0; c < CELLS; c++) {
      writerOf.add(new HashMap<>());
    }
    for (Record r : recs.values()) {
      for (Map.Entry<Integer, Access> e : r.accesses.entrySet()) {
        if (e.getValue().wrote) {
          Long prev = writerOf.get(e.getKey()).put(e.getValue().version + 1, r.step.id());
          assertNull(prev, () -> where + ": lost update: two commits wrote version " + (e.getValue().version + 1) + " of cell " + e.getKey());
        }
      }
    }
    for (int c = 0; c < CELLS; c++) {
      int finalVersion = w.cells.get(c).get().version;
      assertEquals(finalVersion, writerOf.get(c).size(), where + ": versions of cell " + c);
      for (int v = 1; v <= finalVersion; v++) {
        assertNotNull(writerOf.get(c).get(v), where + ": no committed writer of version " + v + " of cell " + c);
      }
    }

    // Precedence graph.
    Map<Long, Set<Long>> succ = new HashMap<>();
    Map<Long, Integer> indeg = new HashMap<>();
    for (Long id : recs.keySet()) {
      succ.put(id, new HashSet<>());
      indeg.put(id, 0);
    }
    java.util.function.BiConsumer<Long, Long> edge =
        (a, b) -> {
          if (!a.equals(b) && succ.get(a).add(b)) {
            indeg.merge(b, 1, Integer::sum);
          }
        };
    for (Record r : recs.values()) {
      long id = r.step.id();
      for (Map.Entry<Integer, Access> e : r.accesses.entrySet()) {
        int c = e.getKey();
        int v = e.getValue().version;
        if (v > 0) {
          Long w0 = writerOf.get(c).get(v);
          assertNotNull(w0, where + ": read a version no committed task wrote (dirty read)");
          edge.accept(w0, id);
        }
        Long next = writerOf.get(c).get(v + 1);
        if (next != null) {
          edge.accept(id, next); // the next writer comes after whoever read or wrote v
        }
      }
      Long parent = parentOf.get(id);
      if (parent != null) {
        edge.accept(parent, id);
      }
    }
    ArrayDeque<Long> ready = new ArrayDeque<>();
    indeg.forEach((id, d) -> {
      if (d == 0) {
        ready.add(id);
      }
    });
    List<Record> order = new ArrayList<>();
    while (!ready.isEmpty()) {
      long id = ready.poll();
      order.add(recs.get(id));
      for (long s : succ.get(id)) {
        if (indeg.merge(s, -1, Integer::sum) == 0) {
          ready.add(s);
        }
      }
    }
    if (order.size() != recs.size()) {
      fail(where + ": precedence graph has a cycle: the execution is not serializable");
    }

    // Replay serially in that order: same reads, same children, same final state.
    TaskProgram.PlainMem m = new TaskProgram.PlainMem();
    for (Record r : order) {
      m.added = new ArrayList<>();
      m.observed = new ArrayList<>();
      p.exec(r.step, m);
      assertEquals(r.observed, m.observed, () -> where + ": task " + r.step + " read different values than in the replay");
      assertEquals(r.children, m.added, where + ": children of " + r.step);
    }
    TaskProgram.Snapshot engine =
        Ame.atomic(
            () -> {
              int[] iv = new int[TaskProgram.INTS];
              for (int i = 0; i < TaskProgram.INTS; i++) {
                iv[i] = (Integer) w.cells.get(i).get().value;
              }
              String[] sv = new String[TaskProgram.STRS];
              for (int i = 0; i < TaskProgram.STRS; i++) {
                sv[i] = (String) w.cells.get(STR_BASE + i).get().value;
              }
              return new TaskProgram.Snapshot(iv, (Long) w.cells.get(LONG_CELL).get().value, sv);
            });
    assertEquals(m.snapshot(), engine, where + ": final state vs replay");
  }
}
