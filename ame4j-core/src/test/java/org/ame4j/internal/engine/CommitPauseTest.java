package org.ame4j.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.ame4j.Ame;
import org.ame4j.internal.engine.TxObjectTest.Node;
import org.ame4j.testkit.HangGuard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Long readers that lost to writers re-run pausing the other writers' commits ({@link
 * CommitPause}, {@code Txn#beginPaused}): without a read log and without locking what they read,
 * they commit in that attempt; a writer that reaches its commit meanwhile waits for the reader's
 * end, and a writer holding what the reader needs is killed and rolled back, so the reader never
 * sees an uncommitted value. Driven through the barriers exactly as the agent's twins call them,
 * over the corpus bank's shape (a read-only table of objects with their own words).
 */
@HangGuard(seconds = 120)
@ExtendWith(NoPauseInPlace.class)
class CommitPauseTest {
  static final int N = LongReaderTest.N;

  /**
   * The first two attempts of a 1,024-account audit are made to fail validation (a transfer
   * commits to an account already read, then the reader meets the other, newer account): the
   * third pauses commits, keeps no log, writes its result and commits; a writer of another
   * object that reaches its commit during that attempt commits only after it.
   */
  @Test
  void aLongReaderThatLostTwiceReRunsPausingCommitsAndCommits() throws Exception {
    Node[] accounts = LongReaderTest.accounts();
    Node result = new Node();
    Node other = new Node();
    AtomicInteger attempts = new AtomicInteger();
    List<Boolean> paused = new ArrayList<>();
    List<Integer> logged = new ArrayList<>();
    WriterAtCommit[] writer = new WriterAtCommit[1];
    long wakeupsBefore = Txn.current().stats.waitWakeups;
    long sum = Ame.atomic(() -> {
      Txn tx = Txn.current();
      int attempt = attempts.incrementAndGet();
      paused.add(tx.paused);
      long s = 0;
      for (int i = 0; i < N / 2; i++) {
        s += LongReaderTest.balance(accounts, i, tx);
      }
      if (attempt <= 2) {
        LongReaderTest.commitInOtherThread(() -> {
          Txn w = Txn.current();
          TxObjectTest.writeX(accounts[3], TxObjectTest.readX(accounts[3], w) - 1, w);
          TxObjectTest.writeX(accounts[N - 3], TxObjectTest.readX(accounts[N - 3], w) + 1, w);
        });
      } else if (writer[0] == null) {
        writer[0] = new WriterAtCommit(other);
      }
      for (int i = N / 2; i < N; i++) {
        s += LongReaderTest.balance(accounts, i, tx);
      }
      TxObjectTest.writeX(result, (int) (s / N), tx);
      logged.add(tx.reads.size);
      return s;
    });
    writer[0].thread.join();
    assertEquals(List.of(false, false, true), paused);
    assertEquals(N * 1_000L, sum, "the paused re-run saw a consistent total");
    assertEquals(0, logged.get(logged.size() - 1), "the paused re-run logged its reads");
    writer[0].assertCommittedOnlyAfterThePause();
    writer[0].assertWaitedByParking(wakeupsBefore);
    assertEquals(1_000, result.x);
    assertFalse(Orecs.isLocked(result.meta), "the paused reader's lock was released");
    assertTrue(Txn.current().stats.pausedReaders() >= 1);
    org.ame4j.Stats all = Ame.stats();
    assertTrue(all.pausedReaders() >= 1, all.toString());
    assertTrue(all.toString().contains("long readers' attempts while other writers' commits waited"),
        all.toString());
  }

  /**
   * A writer that has written an account the paused reader has not read yet, and waits at its
   * commit: the reader meets the lock, kills the writer (it sees the kill in its wait), and reads
   * the committed value, never the written-through one; the writer's re-run commits after. A
   * writer locks during the pause only with the wait before the first lock off (the next test has
   * the wait): runs in the surefire execution {@code writers-lock-during-pause}, which sets
   * {@code -Dame4j.longReader.waitBeforeLock=false}.
   */
  @Test
  void aPausedReaderKillsAWriterHoldingWhatItReadsAndSeesTheCommittedValue() throws Exception {
    assumeFalse(Txn.WAIT_BEFORE_LOCK, "the writer waits before its first lock: it cannot lock during the pause");
    killedWriter();
  }

  /**
   * A writer whose attempt begins while a long reader pauses commits, and that writes an account
   * the reader has not read yet: it waits for the pause's end before it takes the lock, so the
   * reader reads the account unlocked (no kill) and the writer commits, after the reader, in its
   * first attempt.
   */
  @Test
  void aWriterWaitsForThePauseBeforeItsFirstLockAndIsNotKilled() throws Exception {
    assumeTrue(Txn.WAIT_BEFORE_LOCK, "-Dame4j.longReader.waitBeforeLock=false");
    Node[] accounts = LongReaderTest.accounts();
    AtomicInteger writerAttempts = new AtomicInteger();
    AtomicBoolean writerCommitted = new AtomicBoolean();
    AtomicReference<Txn> writerTx = new AtomicReference<>();
    CountDownLatch writerBegan = new CountDownLatch(1);
    List<Boolean> lockedWhenRead = new ArrayList<>();
    List<Boolean> committedWhenRead = new ArrayList<>();
    Thread[] writer = new Thread[1];
    int readerAttempts = pausedReader(accounts, tx -> {
      writer[0] = ArrayRecordsTest.start(() -> {
        Ame.atomic(() -> {
          writerAttempts.incrementAndGet();
          writerTx.set(Txn.current());
          writerBegan.countDown();
          TxObjectTest.writeX(accounts[N - 1], 5, Txn.current());
        });
        writerCommitted.set(true);
      });
      ArrayRecordsTest.await(writerBegan);
      sleep(300); // long enough for the writer to lock and reach its commit, on any load
      lockedWhenRead.add(Orecs.isLocked(accounts[N - 1].meta));
      committedWhenRead.add(writerCommitted.get());
    });
    writer[0].join();
    assertEquals(3, readerAttempts);
    assertEquals(List.of(false), lockedWhenRead, "the writer locked during the pause");
    assertEquals(List.of(false), committedWhenRead, "the writer committed during the pause");
    assertEquals(1, writerAttempts.get(), "the writer was killed or aborted");
    assertEquals(5, accounts[N - 1].x);
    assertTrue(writerTx.get().stats.pauseWaitsBeforeLock >= 1, "the writer did not wait before its lock");
  }

  private void killedWriter() throws Exception {
    Node[] accounts = LongReaderTest.accounts();
    AtomicInteger writerAttempts = new AtomicInteger();
    CountDownLatch writerAtCommit = new CountDownLatch(1);
    List<Integer> seen = new ArrayList<>();
    Thread[] writer = new Thread[1];
    int readerAttempts = pausedReader(accounts, tx -> {
      writer[0] = ArrayRecordsTest.start(() -> Ame.atomic(() -> {
        writerAttempts.incrementAndGet();
        TxObjectTest.writeX(accounts[N - 1], 5, Txn.current());
        writerAtCommit.countDown();
      }));
      ArrayRecordsTest.await(writerAtCommit); // the writer holds accounts[N - 1], written through
      seen.add(LongReaderTest.balance(accounts, N - 1, tx));
    });
    writer[0].join();
    assertEquals(3, readerAttempts);
    assertEquals(List.of(1_000), seen, "the paused reader saw an uncommitted value");
    assertTrue(writerAttempts.get() >= 2, "the writer was not rolled back");
    assertEquals(5, accounts[N - 1].x);
  }

  /**
   * Runs a long reader over {@code accounts} whose first two attempts fail validation (another
   * thread rewrites the accounts), so that its third attempt pauses commits; in that attempt,
   * half-way through its reads, runs {@code duringPause} once. Returns the reader's attempts.
   */
  private static int pausedReader(Node[] accounts, Consumer<Txn> duringPause) {
    AtomicInteger attempts = new AtomicInteger();
    AtomicBoolean ran = new AtomicBoolean();
    Ame.atomic(() -> {
      Txn tx = Txn.current();
      int attempt = attempts.incrementAndGet();
      for (int i = 0; i < N / 2; i++) {
        LongReaderTest.balance(accounts, i, tx);
      }
      if (attempt <= 2) {
        rewriteInOtherThread(accounts); // this attempt fails validation: a long reader's abort
      } else if (!ran.getAndSet(true)) {
        assertTrue(tx.paused);
        duringPause.accept(tx);
      }
      for (int i = N / 2; i < N; i++) {
        LongReaderTest.balance(accounts, i, tx);
      }
    });
    return attempts.get();
  }

  /**
   * A paused attempt has no log to wait on: {@code retry()} rolls it back and runs it again
   * optimistically (where a retry waits on the read log as usual).
   */
  @Test
  void retryInAPausedAttemptReRunsOptimistically() {
    Node[] accounts = LongReaderTest.accounts();
    AtomicInteger attempts = new AtomicInteger();
    List<Boolean> paused = new ArrayList<>();
    Ame.atomic(() -> {
      Txn tx = Txn.current();
      int attempt = attempts.incrementAndGet();
      paused.add(tx.paused);
      for (int i = 0; i < N / 2; i++) {
        LongReaderTest.balance(accounts, i, tx);
      }
      if (attempt <= 2) {
        rewriteInOtherThread(accounts); // this attempt fails validation: a long reader's abort
      }
      for (int i = N / 2; i < N; i++) {
        LongReaderTest.balance(accounts, i, tx);
      }
      if (tx.paused) {
        Ame.retry();
      }
    });
    assertEquals(List.of(false, false, true, false), paused);
  }

  /** Commits, from another thread, new versions of two accounts the reader has read (same values). */
  private static void rewriteInOtherThread(Node[] accounts) {
    LongReaderTest.commitInOtherThread(() -> {
      Txn w = Txn.current();
      TxObjectTest.writeX(accounts[3], TxObjectTest.readX(accounts[3], w), w);
      TxObjectTest.writeX(accounts[N - 3], TxObjectTest.readX(accounts[N - 3], w), w);
    });
  }

  /**
   * A writer of {@code other} (7), started by a reader that pauses commits: the constructor
   * returns once the writer's attempt began and had long enough to write and commit, were it
   * not paused. (It waits for the pause before its lock, {@code ame4j.longReader.waitBeforeLock},
   * or with that off at its commit: the same wait either way.)
   */
  static final class WriterAtCommit {
    final Thread thread;
    private final Node other;
    private final AtomicBoolean committed = new AtomicBoolean();
    private final AtomicReference<Txn> tx = new AtomicReference<>();
    private final boolean committedDuringPause;

    WriterAtCommit(Node other) {
      this.other = other;
      CountDownLatch atCommit = new CountDownLatch(1);
      thread = ArrayRecordsTest.start(() -> {
        Ame.atomic(() -> {
          tx.set(Txn.current());
          atCommit.countDown(); // the attempt began: its write, then its commit, come next
          TxObjectTest.writeX(other, 7, Txn.current());
        });
        committed.set(true);
      });
      ArrayRecordsTest.await(atCommit);
      sleep(300); // long enough for an unpaused commit, on any load
      committedDuringPause = committed.get();
    }

    /** After {@code thread} ended and the reader committed. */
    void assertCommittedOnlyAfterThePause() {
      assertFalse(committedDuringPause, "a writer committed while a long reader paused commits");
      assertTrue(committed.get());
      assertEquals(7, other.x);
    }

    /**
     * The writer's wait of 300 ms or more spun and yielded once, then parked until the reader's
     * end woke it (a preempted reader costs the writer a few parks, not a core). On a loaded
     * machine the yields alone may outlast the pause (each gives a time slice away).
     */
    void assertWaitedByParking(long wakeupsBefore) {
      TxnStats w = tx.get().stats;
      assertTrue(w.waitSpins <= Backoff.SPINS && w.waitYields <= Backoff.YIELDS,
          "the waiting writer spun " + w.waitSpins + ", yielded " + w.waitYields + ", parked "
              + w.waitParks);
      assertTrue(w.waitParks == 0 || Txn.current().stats.waitWakeups > wakeupsBefore,
          "the reader's end did not wake the parked writer");
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
