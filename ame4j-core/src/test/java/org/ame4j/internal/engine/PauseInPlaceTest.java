package org.ame4j.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.ame4j.Ame;
import org.ame4j.internal.engine.TxObjectTest.Node;
import org.ame4j.testkit.HangGuard;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A logged attempt whose log holds {@code ame4j.longReader.reads} (256) entries and that wrote
 * nothing pauses commits in place at its next read ({@code Txn#pauseInPlace}): its further reads keep no log, no writer
 * commits before it ends, and what it read before the pause is current (the clock did not move,
 * or its log validated then), else it aborts and re-runs paused from the start. Driven through
 * the barriers as the agent's twins call them, over the corpus bank's shape (a read-only table
 * of objects with their own words, {@link LongReaderTest#accounts}: one log entry per account).
 */
@HangGuard(seconds = 120)
class PauseInPlaceTest {
  static final int N = LongReaderTest.N;

  /** These tests are of a descriptor with no long reader in its history (EarlyPauseTest: with one). */
  @BeforeEach
  void noHistory() {
    Txn.current().earlyCreditForTesting(0);
  }

  /** Commits a write on this thread, so that the next attempt here is logged (not read-only). */
  private static void nextAttemptLogged() {
    Node n = new Node();
    Ame.atomic(() -> TxObjectTest.writeX(n, 1, Txn.current()));
  }

  /**
   * An audit of 1,024 accounts that nobody disturbs: paused from its 257th read on, in its first
   * attempt, with a log of 256 entries at most; a writer of another object that reaches its
   * commit while the audit is paused commits only after it; the audit's own write commits.
   */
  @Test
  void aLongReaderPausesCommitsInPlaceAfter256ReadsAndLogsNoMore() throws Exception {
    Node[] accounts = LongReaderTest.accounts();
    Node result = new Node();
    Node other = new Node();
    AtomicInteger attempts = new AtomicInteger();
    List<Boolean> pausedAt = new ArrayList<>();
    List<Integer> logged = new ArrayList<>();
    CommitPauseTest.WriterAtCommit[] writer = new CommitPauseTest.WriterAtCommit[1];
    long pausedBefore = Txn.current().stats.pausedReaders();
    nextAttemptLogged();
    long sum = Ame.atomic(() -> {
      Txn tx = Txn.current();
      attempts.incrementAndGet();
      long s = 0;
      for (int i = 0; i < N; i++) {
        s += LongReaderTest.balance(accounts, i, tx);
        if (i == 255 || i == 256) {
          pausedAt.add(tx.paused);
          logged.add(tx.reads.size);
        }
        if (i == N / 2 && writer[0] == null) {
          writer[0] = new CommitPauseTest.WriterAtCommit(other);
        }
      }
      TxObjectTest.writeX(result, (int) (s / N), tx);
      logged.add(tx.reads.size);
      return s;
    });
    writer[0].thread.join();
    assertEquals(1, attempts.get());
    assertEquals(List.of(false, true), pausedAt, "not paused at the read after the 256th entry");
    assertEquals(List.of(256, 0, 0), logged, "a paused attempt kept a log");
    assertEquals(N * 1_000L, sum);
    writer[0].assertCommittedOnlyAfterThePause();
    assertEquals(1_000, result.x);
    assertFalse(Orecs.isLocked(result.meta));
    assertEquals(pausedBefore + 1, Txn.current().stats.pausedReaders());
    assertFalse(Txn.current().paused);
  }

  /** A reader that wrote before its long read, and one of 256 reads, keep their log. */
  @Test
  void aReaderThatWroteFirstAndAShortReaderKeepTheirLog() {
    Node[] accounts = LongReaderTest.accounts();
    Node result = new Node();
    nextAttemptLogged();
    int[] logged = new int[2];
    Ame.atomic(() -> {
      Txn tx = Txn.current();
      TxObjectTest.writeX(result, 1, tx);
      for (int i = 0; i < N; i++) {
        LongReaderTest.balance(accounts, i, tx);
      }
      assertFalse(tx.paused);
      logged[0] = tx.reads.size;
    });
    Ame.atomic(() -> {
      Txn tx = Txn.current();
      for (int i = 0; i < 256; i++) {
        LongReaderTest.balance(accounts, i, tx);
      }
      assertFalse(tx.paused);
      logged[1] = tx.reads.size;
      TxObjectTest.writeX(result, 2, tx);
    });
    assertEquals(N, logged[0]);
    assertEquals(256, logged[1]);
    assertEquals(2, result.x);
  }

  /**
   * A transfer commits from an account the reader has read to one it has not, before the 257th
   * read: the pause finds the clock moved and validates the log, which fails, so the attempt
   * aborts there (it never sums a half-old pair) and the re-run pauses from its start.
   */
  @Test
  void aCommitBeforeThePauseToWhatWasReadAbortsAndTheReRunPausesFromTheStart() {
    contended(() -> {
      Node[] accounts = LongReaderTest.accounts();
      AtomicInteger attempts = new AtomicInteger();
      List<Boolean> pausedAtStart = new ArrayList<>();
      List<Long> sums = new ArrayList<>();
      nextAttemptLogged();
      Ame.atomic(() -> {
        Txn tx = Txn.current();
        int attempt = attempts.incrementAndGet();
        pausedAtStart.add(tx.paused);
        long s = 0;
        for (int i = 0; i < N; i++) {
          s += LongReaderTest.balance(accounts, i, tx);
          if (i == 100 && attempt == 1) {
            LongReaderTest.commitInOtherThread(() -> {
              Txn w = Txn.current();
              TxObjectTest.writeX(accounts[3], TxObjectTest.readX(accounts[3], w) - 1, w);
              TxObjectTest.writeX(accounts[N - 3], TxObjectTest.readX(accounts[N - 3], w) + 1, w);
            });
          }
        }
        sums.add(s);
      });
      assertEquals(2, attempts.get());
      assertEquals(List.of(false, true), pausedAtStart);
      assertEquals(List.of(N * 1_000L), sums, "the aborted attempt summed a half-old state");
    });
  }

  /**
   * A commit to something the reader has not read, before the pause: the clock moved, the
   * log still validates, so the attempt pauses in place without aborting.
   */
  @Test
  void aCommitElsewhereBeforeThePauseDoesNotAbortIt() {
    contended(() -> assertEquals(List.of(1, 1, 0), readWithACommitElsewhere()));
  }

  /**
   * By default a long reader that finds a commit since its snapshot does not pause (the others
   * are committing: they would wait for it); it runs on logged and commits as before.
   */
  @Test
  void byDefaultAReaderThatSawACommitRunsOnLogged() {
    assertEquals(List.of(1, 0, N), readWithACommitElsewhere());
  }

  /**
   * Reads every account, with a commit to another object after the 101st: returns the
   * attempts, whether the last one was paused (1) at its end, and its log's size then.
   */
  private static List<Integer> readWithACommitElsewhere() {
    Node[] accounts = LongReaderTest.accounts();
    Node elsewhere = new Node();
    AtomicInteger attempts = new AtomicInteger();
    int[] last = new int[2];
    nextAttemptLogged();
    Ame.atomic(() -> {
      Txn tx = Txn.current();
      attempts.incrementAndGet();
      for (int i = 0; i < N; i++) {
        LongReaderTest.balance(accounts, i, tx);
        if (i == 100 && attempts.get() == 1) {
          LongReaderTest.commitInOtherThread(() -> TxObjectTest.writeX(elsewhere, 3, Txn.current()));
        }
      }
      last[0] = tx.paused ? 1 : 0;
      last[1] = tx.reads.size;
    });
    return List.of(attempts.get(), last[0], last[1]);
  }

  /**
   * The read that reaches the pause is checked too: a read whose record changed between its
   * value load and its log entry (played here by logging a word seen before another thread's
   * commit) aborts the attempt, though the 256 entries before it still hold.
   */
  @Test
  void theReadThatReachesThePauseIsValidatedToo() {
    contended(() -> {
      Node[] accounts = LongReaderTest.accounts();
      AtomicInteger attempts = new AtomicInteger();
      nextAttemptLogged();
      Ame.atomic(() -> {
        Txn tx = Txn.current();
        int attempt = attempts.incrementAndGet();
        for (int i = 0; i < 256; i++) {
          LongReaderTest.balance(accounts, i, tx);
        }
        Node last = accounts[256];
        long seen = last.meta;
        if (attempt == 1) {
          LongReaderTest.commitInOtherThread(() -> TxObjectTest.writeX(last, 999, Txn.current()));
          assertTrue(last.meta != seen);
        }
        tx.logObjectRead(last, seen); // the 257th entry, with the word seen before that commit
        for (int i = 257; i < N; i++) {
          LongReaderTest.balance(accounts, i, tx);
        }
      });
      assertEquals(2, attempts.get(), "a stale 257th read got through the pause");
    });
  }

  /**
   * The read that reaches the pause is checked after the pause is published, not before: a
   * transfer that commits to its record between the read's own check and the pause (played by
   * a commit in the pause's test hook) aborts the attempt, whose re-run sees the new value. Checked
   * before (session 15's order), the attempt paused on the stale value and read on: the corpus
   * bank's audits then saw half a transfer. The default path: the clock had not moved when the
   * attempt looked, and moved in the window.
   */
  @Test
  void aCommitToThePendingReadJustBeforeThePauseIsPublishedAbortsIt() {
    Node[] accounts = LongReaderTest.accounts();
    Node last = accounts[256];
    AtomicInteger attempts = new AtomicInteger();
    long[] seen = new long[3];
    nextAttemptLogged();
    Txn.beforePauseForTesting = () -> {
      Txn.beforePauseForTesting = null; // once
      LongReaderTest.commitInOtherThread(() -> TxObjectTest.writeX(last, 999, Txn.current()));
    };
    try {
      Ame.atomic(() -> {
        Txn tx = Txn.current();
        attempts.incrementAndGet();
        for (int i = 0; i < 256; i++) {
          LongReaderTest.balance(accounts, i, tx);
        }
        seen[attempts.get()] = LongReaderTest.balance(accounts, 256, tx); // the 257th read: the pause
        for (int i = 257; i < N; i++) {
          LongReaderTest.balance(accounts, i, tx);
        }
      });
    } finally {
      Txn.beforePauseForTesting = null;
    }
    assertEquals(2, attempts.get(), "the pause trusted a pending read overwritten before it began");
    assertEquals(999, seen[2], "the re-run reads the committed value");
  }

  /** Runs {@code test} with the in-place pause taken though the clock moved (validating). */
  private static void contended(Runnable test) {
    Txn.pauseContended = true;
    try {
      test.run();
    } finally {
      Txn.pauseContended = false;
    }
  }
}
