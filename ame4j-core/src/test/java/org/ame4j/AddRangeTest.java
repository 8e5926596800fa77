package org.ame4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * {@code TransactionQueue.addRange(from, to, body)}: the same tasks, in the same order, as the
 * loop of {@code add(() -> body.accept(i))}, each index one transaction, on every worker count
 * (0: the serial reference mode) and in both queue kinds.
 */
class AddRangeTest {

  /** Every index runs exactly once, each as a transaction of its own (no lost update). */
  @ParameterizedTest(name = "{0} workers")
  @ValueSource(ints = {0, 1, 2, 4})
  void unorderedRunsEveryIndexOnce(int workers) {
    int n = 5_000;
    IntRef[] hits = cells(n);
    IntRef total = new IntRef(0); // every task writes it: tasks conflict, none may be lost
    TransactionQueue q = new TransactionQueue();
    q.addRange(0, n, i -> {
      hits[i].addAndGet(1);
      total.addAndGet(1);
    });
    assertEquals(n, q.size());
    Ame.resetStats();
    q.run(workers);
    assertEquals(0, q.size());
    assertEquals(n, total.get());
    for (int i = 0; i < n; i++) {
      assertEquals(1, hits[i].get(), "index " + i);
    }
    assertEquals(n, Ame.stats().commits(), "one transaction per index");
  }

  /**
   * Ordered: add, addRange and add interleave exactly as the loop of adds would, and a task's
   * own addRange joins the tail when it runs (the sequential worklist). The state is a
   * non-commutative fold of the order in which tasks commit.
   */
  @ParameterizedTest(name = "{0} workers")
  @ValueSource(ints = {0, 1, 2, 4})
  void orderedKeepsTheSequentialWorklistOrder(int workers) {
    Ref<List<Integer>> log = new Ref<>(List.of());
    TransactionQueue q = TransactionQueue.ordered();
    q.add(() -> append(log, -1));
    q.addRange(0, 300, i -> {
      append(log, i);
      if (i % 100 == 0) {
        q.addRange(1000 + i, 1003 + i, j -> append(log, j)); // appended as task i runs
      }
    });
    q.add(() -> append(log, -2));
    q.run(workers);

    List<Integer> expected = new ArrayList<>();
    expected.add(-1);
    for (int i = 0; i < 300; i++) {
      expected.add(i);
    }
    expected.add(-2);
    for (int i : new int[] {0, 100, 200}) {
      for (int j = 1000 + i; j < 1003 + i; j++) {
        expected.add(j);
      }
    }
    assertEquals(expected, log.get());
  }

  /** An addRange inside a task is part of it: dropped if the task throws, added if it commits. */
  @ParameterizedTest(name = "{0} workers")
  @ValueSource(ints = {1, 2})
  void addRangeInsideATaskTakesEffectOnlyIfItCommits(int workers) {
    IntRef ran = new IntRef(0);
    TransactionQueue q = new TransactionQueue();
    q.add(() -> {
      q.addRange(0, 10, i -> ran.addAndGet(1));
      throw new IllegalStateException("rolled back");
    });
    assertThrows(TaskFailedException.class, () -> q.run(workers));
    assertEquals(0, q.size(), "the failed task's range must not be queued");
    q.add(() -> q.addRange(0, 10, i -> ran.addAndGet(1)));
    q.run(workers);
    assertEquals(10, ran.get());
  }

  /**
   * Ordered: index k throws, so 0..k-1 have committed, k is rolled back and carried by the
   * exception as a task of its own, and k+1.. stay queued in order; {@code run()} again runs
   * them.
   */
  @ParameterizedTest(name = "{0} workers")
  @ValueSource(ints = {0, 1, 2, 4})
  void orderedFailureLeavesTheRestQueuedInOrder(int workers) {
    int n = 400;
    int k = 137;
    IntRef[] hits = cells(n);
    AtomicInteger failOn = new AtomicInteger(k);
    Ref<List<Integer>> log = new Ref<>(List.of());
    TransactionQueue q = TransactionQueue.ordered();
    q.addRange(0, n, i -> {
      hits[i].addAndGet(1);
      append(log, i);
      if (i == failOn.get()) {
        throw new IllegalArgumentException("index " + i);
      }
    });
    TaskFailedException e = assertThrows(TaskFailedException.class, () -> q.run(workers));
    assertEquals("index " + k, e.getCause().getMessage());
    assertFalse(e.committed());
    for (int i = 0; i < n; i++) {
      assertEquals(i < k ? 1 : 0, hits[i].get(), "index " + i);
    }
    assertEquals(n - k - 1, q.size());
    List<Runnable> pending = q.pendingTasks();
    assertEquals(n - k - 1, pending.size());
    assertTrue(pending.get(0).toString().contains(String.valueOf(k + 1)), pending.get(0).toString());

    // The carried task is index k alone: running it (now without failing) runs that index.
    failOn.set(-1);
    Ame.atomic(e.task());
    assertEquals(1, hits[k].get());
    q.run(workers);
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      expected.add(i);
    }
    assertEquals(expected, log.get());
    for (int i = 0; i < n; i++) {
      assertEquals(1, hits[i].get(), "index " + i);
    }
  }

  /** Unordered: a failing index is carried, every other index runs once over the two runs. */
  @ParameterizedTest(name = "{0} workers")
  @ValueSource(ints = {0, 1, 2, 4})
  void unorderedFailureLosesNothing(int workers) {
    int n = 3_000;
    IntRef[] hits = cells(n);
    TransactionQueue q = new TransactionQueue();
    q.addRange(0, n, i -> {
      hits[i].addAndGet(1);
      if (i == 1234) {
        throw new IllegalStateException("index 1234");
      }
    });
    TaskFailedException e = assertThrows(TaskFailedException.class, () -> q.run(workers));
    assertEquals("index 1234", e.getCause().getMessage());
    assertTrue(e.task().toString().contains("1234"), e.task().toString());
    q.run(workers);
    for (int i = 0; i < n; i++) {
      assertEquals(i == 1234 ? 0 : 1, hits[i].get(), "index " + i);
    }
  }

  @Test
  void sizeAndPendingTasksCountIndices() {
    TransactionQueue q = new TransactionQueue();
    Runnable plain = () -> {};
    q.add(plain);
    q.addRange(5, 8, i -> {});
    q.addRange(3, 3, i -> {}); // empty: nothing queued
    q.add(plain);
    assertEquals(5, q.size());
    List<Runnable> pending = q.pendingTasks();
    assertEquals(5, pending.size());
    assertSame(plain, pending.get(0));
    assertTrue(pending.get(1).toString().contains("5"), pending.get(1).toString());
    assertTrue(pending.get(3).toString().contains("7"), pending.get(3).toString());
    assertSame(plain, pending.get(4));
    q.clear();
    assertEquals(0, q.size());
  }

  @Test
  void badArgumentsAreRefused() {
    TransactionQueue q = new TransactionQueue();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> q.addRange(5, 4, i -> {}));
    assertTrue(e.getMessage().contains("from=5, to=4"), e.getMessage());
    assertThrows(NullPointerException.class, () -> q.addRange(0, 1, null));
    assertEquals(0, q.size());
  }

  /** A range as large as an int allows is one entry: counted, not materialised. */
  @Test
  void hugeRangeIsOneEntry() {
    TransactionQueue q = new TransactionQueue();
    q.addRange(Integer.MIN_VALUE, Integer.MAX_VALUE, i -> {});
    q.addRange(0, 10, i -> {});
    assertEquals(Integer.MAX_VALUE, q.size(), "size() saturates");
    q.clear();
  }

  private static IntRef[] cells(int n) {
    IntRef[] cells = new IntRef[n];
    for (int i = 0; i < n; i++) {
      cells[i] = new IntRef(0);
    }
    return cells;
  }

  private static void append(Ref<List<Integer>> log, int value) {
    List<Integer> next = new ArrayList<>(log.get());
    next.add(value);
    log.set(List.copyOf(next));
  }
}
