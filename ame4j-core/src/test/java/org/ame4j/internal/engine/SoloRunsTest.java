package org.ame4j.internal.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.ame4j.Ame;
import org.ame4j.TaskFailedException;
import org.ame4j.TransactionQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Solo runs ({@link SoloRuns}, issue 14, session 15): a one-worker unordered run's attempts run
 * with no element locks or checks while no other thread runs a transaction, and that changes no
 * outcome. A solo task that throws leaves every element as it was; another thread's
 * transactions take the token from the run (they run while it still runs, and no update of
 * theirs or the run's is lost); a thread waiting in {@code retry()} before the run wakes up for
 * the run's writes; a solo task that retries waits for another task's write; a task that must
 * become inevitable runs so, not solo. The barriers are driven by hand as the agent's twins call
 * them.
 */
@Timeout(120)
class SoloRunsTest {
  static int read(int[] a, int i, Txn tx) {
    FieldBarriers.beforeReadElement(a, i, tx);
    int v = a[i];
    FieldBarriers.afterReadElement(tx);
    return v;
  }

  /** A written array: its stripe turned by an ordinary attempt, so its elements have words. */
  private static int[] written(int n) {
    int[] a = new int[n];
    Ame.atomic(() -> ElementSitesTest.store(a, 0, 0, Txn.current()));
    return a;
  }

  @Test
  void onByDefault() {
    assertTrue(SoloRuns.ON, "ame4j.soloRuns defaults to true");
  }

  @Test
  void aOneWorkerUnorderedRunIsSoloAndOthersAreNot() {
    for (int workers : new int[] {1, 2}) {
      for (boolean ordered : new boolean[] {false, true}) {
        AtomicInteger solo = new AtomicInteger();
        AtomicInteger ran = new AtomicInteger();
        TransactionQueue q = ordered ? TransactionQueue.ordered() : new TransactionQueue();
        for (int k = 0; k < 8; k++) {
          q.add(() -> {
            if (Txn.current().solo) {
              solo.incrementAndGet();
            }
            ran.incrementAndGet();
          });
        }
        q.run(workers);
        assertEquals(8, ran.get());
        boolean expected = workers == 1 && !ordered;
        assertEquals(expected ? 8 : 0, solo.get(), workers + " workers, ordered " + ordered);
      }
    }
    assertEquals(null, SoloRuns.owner(), "the run's end hands the token back");
    assertFalse(Ame.atomic(() -> Txn.current().solo), "an atomic block outside a run: not solo");
  }

  @Test
  void aSoloTaskThatThrowsLeavesEveryElementAsItWas() {
    int[] w = written(4);
    boolean[] b = new boolean[] {true, false, true, false}; // read-only: never turned
    Ame.atomic(() -> ElementSitesTest.store(w, 1, 7, Txn.current()));
    TransactionQueue q = new TransactionQueue();
    AtomicBoolean wasSolo = new AtomicBoolean();
    q.add(() -> {
      Txn tx = Txn.current();
      wasSolo.set(tx.solo);
      for (int k = 0; k < 4; k++) {
        ElementSitesTest.add(w, k, 100, tx);
        FieldWrites.writeElement(b, k, k % 2 == 0 ? false : true, tx);
      }
      assertEquals(107, read(w, 1, tx), "the attempt reads its own stores");
      throw new IllegalStateException("rolled back");
    });
    TaskFailedException e = assertThrows(TaskFailedException.class, () -> q.run(1));
    assertTrue(e.getCause() instanceof IllegalStateException, e.toString());
    assertTrue(wasSolo.get(), "the task ran solo");
    assertArrayEquals(new int[] {0, 7, 0, 0}, w);
    assertArrayEquals(new boolean[] {true, false, true, false}, b);
  }

  /**
   * The run's tasks go on adding a task while the other thread's element is 0; the other thread
   * starts with the run's first task and increments two elements the run increments too. It
   * must commit while the run still runs (the run then sees its write and stops adding), and
   * nothing is lost on either side.
   */
  @Test
  void anotherThreadsTransactionTakesTheTokenWhileTheRunRuns() throws Exception {
    int[] a = written(4);
    int limit = 2_000_000; // only if the other thread never gets in
    CountDownLatch started = new CountDownLatch(1);
    AtomicInteger runTasks = new AtomicInteger();
    AtomicInteger soloTasks = new AtomicInteger();
    TransactionQueue q = new TransactionQueue();
    AtomicReference<Throwable> failed = new AtomicReference<>();
    Thread other = new Thread(() -> {
      try {
        ArrayRecordsTest.await(started);
        for (int k = 0; k < 1_000; k++) {
          Ame.atomic(() -> {
            Txn tx = Txn.current();
            assertFalse(tx.solo);
            ElementSitesTest.add(a, 0, 1, tx);
            ElementSitesTest.add(a, 1, 1, tx);
          });
        }
      } catch (Throwable t) {
        failed.set(t);
      }
    });
    other.start();
    Runnable[] task = new Runnable[1];
    task[0] = () -> {
      Txn tx = Txn.current();
      ElementSitesTest.add(a, 0, 1, tx);
      ElementSitesTest.add(a, 3, 1, tx); // the run's own count of committed tasks
      int n = runTasks.incrementAndGet(); // an attempt that aborts counts twice: harmless here
      if (tx.solo) {
        soloTasks.incrementAndGet();
      }
      started.countDown();
      if (read(a, 1, tx) == 0 && n < limit) {
        Ame.add(task[0]);
      } else {
        ElementSitesTest.add(a, 2, 1, tx); // the run's last task
      }
    };
    q.add(task[0]);
    q.run(1);
    other.join(60_000);
    assertFalse(other.isAlive());
    assertEquals(null, failed.get());
    assertTrue(a[1] > 0 && runTasks.get() < limit, "the other thread committed during the run");
    assertTrue(soloTasks.get() > 0, "the run was solo until the other thread came");
    assertEquals(1, a[2], "one last task");
    assertEquals(1_000, a[1]);
    assertEquals(1_000 + a[3], a[0], "no increment lost");
  }

  @Test
  void aThreadWaitingInRetryBeforeTheRunWakesUpForItsWrite() throws Exception {
    int[] a = written(2);
    boolean[] ro = new boolean[2]; // read-only: the waiter reads it unchecked, no word to change
    AtomicReference<Throwable> failed = new AtomicReference<>();
    Thread waiter = new Thread(() -> {
      try {
        Ame.atomic(() -> {
          Txn tx = Txn.current();
          if (read(a, 1, tx) == 0) {
            Ame.retry();
          }
        });
        Ame.atomic(() -> {
          FieldBarriers.beforeReadElement(ro, 1, Txn.current());
          boolean v = ro[1];
          FieldBarriers.afterReadElement(Txn.current());
          if (!v) {
            Ame.retry();
          }
        });
      } catch (Throwable t) {
        failed.set(t);
      }
    });
    waiter.start();
    awaitWaiting();
    TransactionQueue q = new TransactionQueue();
    AtomicBoolean wasSolo = new AtomicBoolean();
    q.add(() -> {
      wasSolo.set(Txn.current().solo);
      ElementSitesTest.store(a, 1, 5, Txn.current());
    });
    q.run(1);
    awaitWaiting(); // now on the read-only array (or past it already)
    TransactionQueue q2 = new TransactionQueue();
    q2.add(() -> FieldWrites.writeElement(ro, 1, true, Txn.current()));
    q2.run(1);
    waiter.join(60_000);
    assertFalse(waiter.isAlive(), "the waiter missed a solo run's write");
    assertEquals(null, failed.get());
    assertTrue(wasSolo.get(), "the run was solo");
  }

  /** Until a thread waits in retry() (or has left: then the test goes on, correct either way). */
  private static void awaitWaiting() throws InterruptedException {
    for (int i = 0; i < 2_000 && RetryWaiters.waitingForTesting() == 0; i++) {
      Thread.sleep(5);
    }
  }

  @Test
  void aSoloTaskThatRetriesWaitsForAnotherTasksWrite() {
    int[] a = written(2);
    AtomicInteger soloRetries = new AtomicInteger();
    TransactionQueue q = new TransactionQueue();
    q.add(() -> {
      Txn tx = Txn.current();
      if (read(a, 1, tx) == 0) {
        if (tx.solo) {
          soloRetries.incrementAndGet();
        }
        Ame.retry();
      }
      ElementSitesTest.store(a, 0, read(a, 1, tx) + 1, tx);
    });
    for (int k = 0; k < 50; k++) {
      q.add(() -> ElementSitesTest.add(a, 1, 1, Txn.current()));
    }
    q.run(1);
    assertEquals(50, a[1]);
    assertTrue(a[0] >= 2 && a[0] <= 51, "the retrying task ran after some write: " + a[0]);
  }

  @Test
  void aTaskThatMustBecomeInevitableRunsSoNotSolo() {
    int[] a = written(2);
    AtomicBoolean inevitableSolo = new AtomicBoolean();
    AtomicInteger later = new AtomicInteger();
    TransactionQueue q = new TransactionQueue();
    q.add(() -> {
      Txn tx = Txn.current();
      ElementSitesTest.add(a, 0, 1, tx); // wrote first: inevitable restarts the attempt
      Ame.inevitable();
      if (tx.solo) {
        inevitableSolo.set(true);
      }
      ElementSitesTest.add(a, 1, 1, tx);
      Ame.add(() -> {
        ElementSitesTest.add(a, 1, 1, Txn.current());
        later.incrementAndGet();
      });
    });
    q.run(1);
    assertFalse(inevitableSolo.get(), "the inevitable attempt is not solo");
    assertArrayEquals(new int[] {1, 2}, a);
    assertEquals(1, later.get());
    assertEquals(null, SoloRuns.owner());
  }

  @Test
  void theTokenIsOneHoldersAtATime() {
    Txn mine = Ame.atomic(() -> Txn.current());
    assertTrue(SoloRuns.enter(mine));
    try {
      Txn[] other = new Txn[1];
      Thread t = new Thread(() -> other[0] = Txn.current());
      t.start();
      ArrayRecordsTest.join(t);
      assertFalse(SoloRuns.enter(other[0]), "held");
      SoloRuns.leave(other[0]); // not its own: nothing
      assertEquals(mine, SoloRuns.owner());
    } finally {
      SoloRuns.leave(mine);
    }
    assertEquals(null, SoloRuns.owner());
  }
}
