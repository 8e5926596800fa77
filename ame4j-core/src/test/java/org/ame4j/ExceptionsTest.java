package org.ame4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Exceptions of every kind (checked through a sneaky throw, unchecked, {@link Error}, a real
 * {@link StackOverflowError}) roll the task or block back (writes, adds, deferred actions) and
 * surface as the very same throwable; nothing else is lost.
 */
class ExceptionsTest {

  static final class CustomError extends Error {
    private static final long serialVersionUID = 1L;

    CustomError(String m) {
      super(m);
    }
  }

  /** A way for a task to throw; {@code thrown} receives the throwable object it threw. */
  interface Thrower {
    void fail(AtomicReference<Throwable> thrown, IntRef cell);
  }

  static Stream<Object[]> kinds() {
    return Stream.of(
        new Object[] {"checked", (Thrower) (t, c) -> {
          IOException e = new IOException("checked");
          t.set(e);
          throw TestUtil.sneakyThrow(e);
        }},
        new Object[] {"unchecked", (Thrower) (t, c) -> {
          IllegalStateException e = new IllegalStateException("unchecked");
          t.set(e);
          throw e;
        }},
        new Object[] {"error", (Thrower) (t, c) -> {
          CustomError e = new CustomError("error");
          t.set(e);
          throw e;
        }},
        new Object[] {"jvm exception", (Thrower) (t, c) -> {
          try {
            Object o = null;
            o.hashCode();
          } catch (NullPointerException e) {
            t.set(e);
            throw e;
          }
        }},
        new Object[] {"stack overflow", (Thrower) (t, c) -> {
          try {
            TestUtil.recurse(0);
          } catch (StackOverflowError e) {
            t.set(e);
            throw e;
          }
        }},
        new Object[] {"stack overflow through barriers", (Thrower) (t, c) -> {
          try {
            TestUtil.recurseThroughBarriers(c, 0);
          } catch (StackOverflowError e) {
            t.set(e);
            throw e;
          }
        }});
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void taskFailureRollsBackWritesAddsAndActions(String kind, Thrower thrower) {
    for (int workers : new int[] {1, 4}) {
      IntRef cell = new IntRef(0);
      IntRef other = new IntRef(0);
      AtomicInteger childRan = new AtomicInteger();
      AtomicInteger afterCommit = new AtomicInteger();
      AtomicInteger afterAbort = new AtomicInteger();
      AtomicReference<Throwable> thrown = new AtomicReference<>();
      TransactionQueue q = new TransactionQueue();
      Runnable bad =
          () -> {
            cell.set(100);
            other.set(other.get() + 1);
            q.add(childRan::incrementAndGet);
            Ame.add(childRan::incrementAndGet);
            Ame.afterCommit(afterCommit::incrementAndGet);
            Ame.afterAbort(afterAbort::incrementAndGet);
            thrower.fail(thrown, cell);
          };
      q.add(bad);
      TaskFailedException ex = assertThrows(TaskFailedException.class, () -> q.run(workers));
      assertNotNull(thrown.get(), kind);
      assertSame(thrown.get(), ex.getCause(), kind + ": cause is not the thrown object");
      assertSame(bad, ex.task(), kind);
      assertEquals(0, cell.get(), kind + ": write survived");
      assertEquals(0, other.get(), kind + ": write survived");
      assertEquals(0, q.size(), kind + ": an add of the failed task survived");
      assertEquals(0, afterCommit.get(), kind);
      assertEquals(1, afterAbort.get(), kind);
      q.run(workers);
      assertEquals(0, childRan.get(), kind + ": a child of the failed task ran");
      // The engine is healthy afterwards, on this and on other threads.
      q.add(() -> cell.set(cell.get() + 1));
      q.add(() -> cell.set(cell.get() + 1));
      q.run(workers);
      assertEquals(2, cell.get(), kind);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void atomicBlockFailureRollsBackAndRethrowsTheSameObject(String kind, Thrower thrower) {
    IntRef cell = new IntRef(7);
    AtomicInteger afterCommit = new AtomicInteger();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Throwable caught = null;
    try {
      Ame.atomic(
          () -> {
            cell.set(8);
            Ame.afterCommit(afterCommit::incrementAndGet);
            thrower.fail(thrown, cell);
          });
    } catch (Throwable t) {
      caught = t;
    }
    assertNotNull(caught, kind + ": nothing thrown");
    assertSame(thrown.get(), caught, kind + ": not the same object");
    assertEquals(7, cell.get(), kind);
    assertEquals(0, afterCommit.get(), kind);
    assertFalse(Ame.isAtomic(), kind + ": still inside a transaction after the failure");
    // This thread's transactions still work.
    Ame.atomic(() -> cell.set(cell.get() + 1));
    assertEquals(8, cell.get(), kind);
    int v = Ame.atomic((Supplier<Integer>) cell::get);
    assertEquals(8, v);
  }

  /** Stack overflow in many tasks at once, on several workers: the engine survives. */
  @Test
  void manyStackOverflowsInParallel() {
    IntRef counter = new IntRef(0);
    TransactionQueue q = new TransactionQueue();
    int tasks = 40;
    for (int i = 0; i < tasks; i++) {
      int k = i;
      q.add(
          () -> {
            counter.set(counter.get() + 1);
            if (k % 2 == 0) {
              IntRef local = new IntRef(0);
              TestUtil.recurseThroughBarriers(k % 4 == 0 ? local : counter, 0);
            }
          });
    }
    int failures = 0;
    while (q.size() > 0) {
      try {
        q.run(4);
      } catch (TaskFailedException e) {
        assertTrue(e.getCause() instanceof StackOverflowError, e.toString());
        failures++;
        for (Throwable s : e.getSuppressed()) {
          assertTrue(s instanceof StackOverflowError, s.toString());
        }
      }
    }
    assertEquals(tasks / 2, failures, "each failing task reported exactly once");
    assertEquals(tasks / 2, counter.get(), "only the tasks that did not overflow committed");
  }

  /**
   * Unordered mode, all tasks failing concurrently: one is the cause, the others are rolled
   * back and put back in the queue (their throwables suppressed); nothing is lost.
   */
  @ParameterizedTest(name = "{0} workers")
  @ValueSource(ints = {1, 2, 4, 8})
  void concurrentFailuresLoseNothing(int workers) {
    int n = 64;
    IntRef cell = new IntRef(0);
    List<Runnable> tasks = new ArrayList<>();
    Map<Runnable, Set<Throwable>> thrownBy = new ConcurrentHashMap<>();
    AtomicBoolean[] thrownOnce = new AtomicBoolean[n];
    Map<Runnable, Integer> index = new IdentityHashMap<>();
    AtomicInteger commits = new AtomicInteger();
    TransactionQueue q = new TransactionQueue();
    for (int i = 0; i < n; i++) {
      int k = i;
      thrownOnce[i] = new AtomicBoolean();
      Runnable[] self = new Runnable[1];
      self[0] =
          () -> {
            cell.set(cell.get() + 1);
            TestUtil.spin(500);
            if (k % 3 != 0 && thrownOnce[k].compareAndSet(false, true)) {
              RuntimeException e = new RuntimeException("task " + k);
              thrownBy.computeIfAbsent(self[0], r -> ConcurrentHashMap.newKeySet()).add(e);
              throw e;
            }
            Ame.afterCommit(commits::incrementAndGet);
          };
      tasks.add(self[0]);
      index.put(self[0], i);
      q.add(self[0]);
    }
    Set<Runnable> failed = new HashSet<>();
    int rounds = 0;
    while (q.size() > 0) {
      assertTrue(++rounds <= 2 * n, "no progress");
      int sizeBefore = q.size();
      int commitsBefore = commits.get();
      try {
        q.run(workers);
      } catch (TaskFailedException ex) {
        Runnable t = ex.task();
        assertTrue(index.containsKey(t), "task() is not one of ours");
        assertTrue(failed.add(t), "the same task reported failed twice");
        assertTrue(thrownBy.get(t).contains(ex.getCause()), "cause was not thrown by task()");
        assertFalse(q.pendingTasks().contains(t), "failed task left in the queue");
        for (Throwable s : ex.getSuppressed()) {
          Runnable owner = null;
          for (Map.Entry<Runnable, Set<Throwable>> e : thrownBy.entrySet()) {
            if (e.getValue().contains(s)) {
              owner = e.getKey();
            }
          }
          assertNotNull(owner, "suppressed throwable not thrown by any task: " + s);
          assertTrue(q.pendingTasks().contains(owner), "a suppressed failure's task was dropped");
        }
        // Conservation: every task is committed, queued, or the reported failure(s).
        assertEquals(
            sizeBefore - 1 - (commits.get() - commitsBefore), q.size(), "tasks lost or duplicated");
      }
    }
    // Every task either committed once, or was reported once (and then dropped).
    assertEquals(n, commits.get() + failed.size());
    assertEquals(commits.get(), cell.get(), "a failed attempt's write survived");
    for (Runnable t : failed) {
      int k = index.get(t);
      assertTrue(k % 3 != 0, "a task that never throws was reported failed");
    }
    assertEquals(tasks.size(), index.size());
  }

  /** The remaining tasks stay queued after a failure and run on the next run(). */
  @ParameterizedTest(name = "{0} workers")
  @ValueSource(ints = {1, 2, 4, 8})
  void unrunTasksStayQueued(int workers) {
    IntRef counter = new IntRef(0);
    TransactionQueue q = new TransactionQueue();
    RuntimeException boom = new RuntimeException("first");
    q.add(
        () -> {
          throw boom;
        });
    int n = 500;
    for (int i = 0; i < n; i++) {
      q.add(
          () -> {
            TestUtil.spin(200);
            counter.set(counter.get() + 1);
          });
    }
    TaskFailedException ex = assertThrows(TaskFailedException.class, () -> q.run(workers));
    assertSame(boom, ex.getCause());
    int done = counter.get();
    assertEquals(n - done, q.size(), "committed + queued must be all the good tasks");
    q.run(workers);
    assertEquals(n, counter.get());
  }
}
