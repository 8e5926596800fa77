package org.ame4j.internal.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * The queue's task list with its lock-free appends ({@link Inbox}): nothing lost or repeated
 * across chunk boundaries, order kept per producer and between adds that do not overlap, sizes
 * that count ranges by index, hand-backs in front of appended tasks.
 */
class TaskListTest {
  /** A task that knows who added it and in which order. */
  private record Tagged(int producer, int seq) implements Runnable {
    @Override
    public void run() {}
  }

  private static List<Runnable> pollAll(TaskList list) {
    List<Runnable> out = new ArrayList<>();
    Runnable[] tasks = new Runnable[7];
    int[] indices = new int[7];
    for (int n; (n = list.poll(tasks, indices, tasks.length)) > 0; ) {
      for (int i = 0; i < n; i++) {
        out.add(TaskList.task(tasks, indices, i));
      }
    }
    return out;
  }

  @Test
  void appendsComeOutInOrderAcrossChunks() {
    TaskList list = new TaskList();
    int n = Inbox.CHUNK * 3 + 17;
    for (int i = 0; i < n; i++) {
      list.addLast(new Tagged(0, i));
    }
    assertEquals(n, list.size());
    List<Runnable> out = pollAll(list);
    assertEquals(n, out.size());
    for (int i = 0; i < n; i++) {
      assertEquals(i, ((Tagged) out.get(i)).seq());
    }
    assertTrue(list.isEmpty());
    assertNull(list.firstCode());
  }

  @Test
  void rangesCountByIndexAndHandBacksGoFirst() {
    TaskList list = new TaskList();
    List<Integer> ran = new ArrayList<>();
    list.addLast(new RangeTask(ran::add, 10, 15));
    list.addLast(new Tagged(0, 1));
    Tagged back = new Tagged(9, 9);
    list.addFirst(back);
    assertEquals(7, list.size());
    assertSame(back, list.firstCode());
    List<Runnable> copy = new ArrayList<>();
    list.copyTo(copy);
    assertEquals(7, copy.size());
    List<Runnable> out = pollAll(list);
    assertEquals(7, out.size());
    assertSame(back, out.get(0));
    for (int i = 1; i <= 5; i++) {
      out.get(i).run();
    }
    assertEquals(List.of(10, 11, 12, 13, 14), ran);
    assertEquals(1, ((Tagged) out.get(6)).seq());
    assertEquals(0, list.size());
  }

  @Test
  void clearDropsWhatWasAppended() {
    TaskList list = new TaskList();
    for (int i = 0; i < Inbox.CHUNK + 5; i++) {
      list.addLast(new Tagged(0, i));
    }
    list.clear();
    assertTrue(list.isEmpty());
    list.addLast(new Tagged(1, 0));
    assertEquals(1, list.size());
    assertEquals(1, ((Tagged) pollAll(list).get(0)).producer());
  }

  /**
   * Four producers append concurrently while a consumer polls under a lock, as the queue's
   * workers do: every task comes out exactly once, and each producer's tasks in its order.
   */
  @Test
  void concurrentProducersLoseNothingAndKeepTheirOrder() throws Exception {
    TaskList list = new TaskList();
    Object lock = new Object();
    int producers = 4;
    int each = 20_000;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      int id = p;
      Thread t = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        }
        for (int i = 0; i < each; i++) {
          list.addLast(new Tagged(id, i));
        }
      });
      t.start();
      threads.add(t);
    }
    start.countDown();
    int[] next = new int[producers];
    int seen = 0;
    Runnable[] tasks = new Runnable[64];
    int[] indices = new int[64];
    while (seen < producers * each) {
      int n;
      synchronized (lock) {
        n = list.poll(tasks, indices, tasks.length);
      }
      for (int i = 0; i < n; i++) {
        Tagged t = (Tagged) tasks[i];
        assertEquals(next[t.producer()], t.seq(), "producer " + t.producer() + " out of order");
        next[t.producer()]++;
      }
      seen += n;
      if (n == 0) {
        Thread.onSpinWait();
      }
    }
    for (Thread t : threads) {
      t.join();
    }
    synchronized (lock) {
      assertTrue(list.isEmpty());
    }
  }

  /**
   * A task the list handed out is no longer reachable from it once {@code poll} returns (the
   * inbox marks taken slots once per batch, not per task), while the tasks not yet taken are:
   * a queue kept after its run must not keep its last tasks' captured data alive.
   */
  @Test
  void takenTasksAreNotKeptReachable() {
    TaskList list = new TaskList();
    List<WeakReference<Runnable>> taken = new ArrayList<>();
    int n = Inbox.CHUNK + 40; // the last batch ends inside the second chunk
    for (int i = 0; i < n; i++) {
      Tagged t = new Tagged(0, i);
      if (i < n - 5) {
        taken.add(new WeakReference<>(t));
      }
      list.addLast(t);
    }
    Runnable[] tasks = new Runnable[64];
    int[] indices = new int[64];
    int polled = 0;
    while (polled < n - 5) {
      polled += list.poll(tasks, indices, Math.min(tasks.length, n - 5 - polled));
    }
    java.util.Arrays.fill(tasks, null);
    for (int round = 0; round < 20 && taken.stream().anyMatch(r -> r.get() != null); round++) {
      System.gc();
    }
    for (int i = 0; i < taken.size(); i++) {
      assertNull(taken.get(i).get(), "taken task " + i + " still reachable from the list");
    }
    assertEquals(5, list.size());
    assertFalse(list.isEmpty());
    assertEquals(n - 5, ((Tagged) pollAll(list).get(0)).seq());
  }
}
