package org.ame4j.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.ame4j.Ame;
import org.ame4j.internal.engine.TxObjectTest.Node;
import org.ame4j.testkit.HangGuard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A descriptor that has seen a long reader pauses its next long reader early
 * ({@code Txn#earlyPause}, on here whatever its default): at its 33rd read ({@code ame4j.longReader.earlyReads}), also when
 * another transaction committed since its snapshot (its 32 entries are validated then, and a
 * failure re-runs it paused from the start); an early pause that turns out short (fewer than
 * 256 reads) uses up the history, a short writer (a transfer) neither pauses nor uses it.
 * Driven through the barriers as the agent's twins call them, over the corpus bank's shape
 * ({@link LongReaderTest#accounts}).
 */
@HangGuard(seconds = 120)
class EarlyPauseTest {
  static final int N = LongReaderTest.N;

  private boolean earlyPauseBefore;

  @BeforeEach
  void noHistory() {
    earlyPauseBefore = Txn.earlyPause;
    Txn.earlyPause = true;
    Txn.current().earlyCreditForTesting(0);
  }

  @AfterEach
  void restore() {
    Txn.earlyPause = earlyPauseBefore;
    Txn.current().earlyCreditForTesting(0);
  }

  /** Commits a write on this thread, so that the next attempt here is logged (not read-only). */
  private static void nextAttemptLogged() {
    Node n = new Node();
    Ame.atomic(() -> TxObjectTest.writeX(n, 1, Txn.current()));
  }

  /**
   * Audits {@code accounts} (then writes {@code result}), running {@code atRead10} once, in the
   * first attempt, after the 11th read; returns per attempt whether it began paused, whether it
   * was paused after its 32nd and 33rd read, its log's size after its 32nd read and at its end,
   * then the sum committed.
   */
  private static List<Object> audit(Node[] accounts, Node result, Runnable atRead10) {
    nextAttemptLogged();
    AtomicInteger attempts = new AtomicInteger();
    List<Object> seen = new ArrayList<>();
    long sum = Ame.atomic(() -> {
      Txn tx = Txn.current();
      int attempt = attempts.incrementAndGet();
      seen.add(List.of(tx.paused));
      long s = 0;
      for (int i = 0; i < N; i++) {
        s += LongReaderTest.balance(accounts, i, tx);
        if (i == 10 && attempt == 1 && atRead10 != null) {
          atRead10.run();
        }
        if (i == 31 || i == 32) {
          seen.add(tx.paused);
        }
        if (i == 31) {
          seen.add(tx.reads.size);
        }
      }
      TxObjectTest.writeX(result, (int) (s / N), tx);
      seen.add(tx.reads.size);
      return s;
    });
    seen.add(sum);
    return seen;
  }

  /**
   * The first audit pauses at its 257th read (no history yet); the second, on the same
   * descriptor, at its 33rd, with 32 entries logged, in its first attempt, and commits the
   * right sum; a writer that reached its commit during that pause committed only after it.
   */
  @Test
  void aSecondLongReaderPausesAtItsThirtyThirdRead() throws Exception {
    Node[] accounts = LongReaderTest.accounts();
    Node result = new Node();
    List<Object> first = audit(accounts, result, null);
    assertEquals(List.of(List.of(false), false, 32, false, 0, N * 1_000L), first,
        "the first long reader paused early without history");
    long early = Txn.current().stats.earlyPauses;
    Node other = new Node();
    CommitPauseTest.WriterAtCommit[] writer = new CommitPauseTest.WriterAtCommit[1];
    List<Object> second = audit(accounts, result,
        () -> { }); // no commit: the writer below starts after the pause
    assertEquals(List.of(List.of(false), false, 32, true, 0, N * 1_000L), second,
        "the second long reader did not pause at its 33rd read");
    assertEquals(early + 1, Txn.current().stats.earlyPauses);
    // A writer that reaches its commit while an early-paused audit reads commits after it.
    List<Object> third = new ArrayList<>();
    nextAttemptLogged();
    long sum = Ame.atomic(() -> {
      Txn tx = Txn.current();
      long s = 0;
      for (int i = 0; i < N; i++) {
        s += LongReaderTest.balance(accounts, i, tx);
        if (i == 40 && writer[0] == null) {
          third.add(tx.paused);
          writer[0] = new CommitPauseTest.WriterAtCommit(other);
        }
      }
      return s;
    });
    writer[0].thread.join();
    assertEquals(List.of(true), third);
    assertEquals(N * 1_000L, sum);
    writer[0].assertCommittedOnlyAfterThePause();
    assertFalse(Txn.current().paused);
    assertFalse(Orecs.isLocked(result.meta));
  }

  /**
   * With history, a commit elsewhere before the 33rd read does not keep the reader from pausing
   * (its 32 entries still hold): one attempt, paused, no log at its end. Without the early pause
   * the same reader runs on logged (PauseInPlaceTest.byDefaultAReaderThatSawACommitRunsOnLogged).
   */
  @Test
  void anEarlyPauseValidatesAndTakesThePauseThoughTheClockMoved() {
    Node[] accounts = LongReaderTest.accounts();
    Node result = new Node();
    Node elsewhere = new Node();
    audit(accounts, result, null); // the history
    List<Object> seen = audit(accounts, result,
        () -> LongReaderTest.commitInOtherThread(() -> TxObjectTest.writeX(elsewhere, 3, Txn.current())));
    assertEquals(List.of(List.of(false), false, 32, true, 0, N * 1_000L), seen);
  }

  /**
   * With history, a transfer commits from an account read before the 33rd read to one not read
   * yet: the early pause's validation fails, the attempt aborts (it never sums a half-old pair)
   * and the re-run pauses from its start.
   */
  @Test
  void aCommitToWhatWasReadBeforeTheEarlyPauseAbortsAndTheReRunPausesFromTheStart() {
    Node[] accounts = LongReaderTest.accounts();
    Node result = new Node();
    audit(accounts, result, null); // the history
    List<Object> seen = audit(accounts, result, () -> LongReaderTest.commitInOtherThread(() -> {
      Txn w = Txn.current();
      TxObjectTest.writeX(accounts[3], TxObjectTest.readX(accounts[3], w) - 1, w);
      TxObjectTest.writeX(accounts[N - 3], TxObjectTest.readX(accounts[N - 3], w) + 1, w);
    }));
    // Attempt 1: not paused at its start; at the 33rd read the validation fails (abort).
    // Attempt 2: paused from its start, no log.
    assertEquals(List.of(List.of(false), false, 32, List.of(true), true, 0, true, 0, N * 1_000L), seen);
  }

  /**
   * After a long reader, readers of 40 records that then write pause early four times
   * ({@code Txn.EARLY_CREDIT}) and not the fifth (the history ran out); a transfer (two reads,
   * then writes) in between neither pauses nor uses it up; a long reader renews it.
   */
  @Test
  void shortEarlyPausesUseUpTheHistoryAndALongReaderRenewsIt() {
    Node[] accounts = LongReaderTest.accounts();
    Node result = new Node();
    audit(accounts, result, null); // the history
    long shortBefore = Txn.current().stats.earlyPausesShort;
    List<Boolean> paused = new ArrayList<>();
    for (int k = 0; k < 6; k++) {
      if (k == 2) {
        transfer(accounts, 5, 6);
      }
      nextAttemptLogged();
      Ame.atomic(() -> {
        Txn tx = Txn.current();
        for (int i = 0; i < 40; i++) {
          LongReaderTest.balance(accounts, i, tx);
        }
        paused.add(tx.paused);
        TxObjectTest.writeX(result, 7, tx);
      });
    }
    assertEquals(List.of(true, true, true, true, false, false), paused);
    assertEquals(shortBefore + 4, Txn.current().stats.earlyPausesShort);
    assertEquals(List.of(List.of(false), false, 32, false, 0, N * 1_000L), audit(accounts, result, null),
        "without history the long reader paused early");
    paused.clear();
    nextAttemptLogged();
    Ame.atomic(() -> {
      Txn tx = Txn.current();
      for (int i = 0; i < 40; i++) {
        LongReaderTest.balance(accounts, i, tx);
      }
      paused.add(tx.paused);
    });
    assertEquals(List.of(true), paused, "the long reader did not renew the history");
  }

  /** A transfer of one unit from {@code accounts[a]} to {@code accounts[b]}, checking it did not pause. */
  private static void transfer(Node[] accounts, int a, int b) {
    nextAttemptLogged();
    Ame.atomic(() -> {
      Txn tx = Txn.current();
      TxObjectTest.writeX(accounts[a], TxObjectTest.readX(accounts[a], tx) - 1, tx);
      TxObjectTest.writeX(accounts[b], TxObjectTest.readX(accounts[b], tx) + 1, tx);
      assertFalse(tx.paused);
    });
  }
}
