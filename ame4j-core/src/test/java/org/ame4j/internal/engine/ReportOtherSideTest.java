package org.ame4j.internal.engine;

import static org.ame4j.internal.engine.BarrierInterleavingsTest.onOtherThread;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.ame4j.Ame;
import org.ame4j.Conflict;
import org.ame4j.internal.diag.Conflicts;
import org.ame4j.internal.diag.Sites;
import org.ame4j.internal.engine.TxObjectTest.Node;
import org.ame4j.testkit.HangGuard;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The other side of an abort is the one its cause saw, however the other transaction moves on
 * before the abort is recorded (issue 17, session 16: a CI run's {@code ConflictReportIT} named a
 * transfer's abort by a paused audit "line unknown"). Each test forces the interleaving the
 * engine's abort path can meet under load, by calling the report's hooks in the engine's order
 * with the other thread's steps between them (latches, no timing): the pause a writer saw ends
 * before the writer is named; the owner of a contended lock commits and locks the record again
 * at another line before the loser is named. Runs in ame4j-core's {@code report-on} surefire
 * execution ({@code -Dame4j.report=true}); skipped in the others.
 */
@HangGuard(seconds = 60)
class ReportOtherSideTest {
  @BeforeEach
  void reportOn() {
    Assumptions.assumeTrue(Diagnostics.ON, "run with -Dame4j.report=true");
  }

  private static int site(String method, int line) {
    return Sites.register("example.Bank", method, "Bank.java", line, "example.Bank$Account.balance");
  }

  private static String where(int site) {
    return Sites.get(site).where();
  }

  /**
   * {@code Txn.commit}'s abort after its stamp ({@code CommitPause.heldAgainst}): the writer saw a
   * reader's pause, and the reader has ended it, moved to another line and left the pause free
   * before the writer is named ({@code Diagnostics.commitPaused}, then the record). The writer's
   * other side is the line at which the reader began its pause, not "line unknown" (no holder is
   * left to ask) nor the reader's line now.
   */
  @Test
  void aWriterNamesThePauseItSawAfterThePauseEnded() {
    int auditLine = site("audit", 139);
    int afterAudit = site("report", 200);
    int transferLine = site("transfer", 148);
    Node account = new Node();
    Conflicts.Key[] key = new Conflicts.Key[1];
    Ame.atomic(() -> {
      Txn writer = Txn.current();
      Diagnostics.at(writer, transferLine);
      TxObjectTest.writeX(account, 1, writer);
      assertEquals(1, writer.locks.size);
      // The writer's wait found no pause; the reader pauses (the writer's look after its stamp
      // sees it), ends its pause and runs on, all before the writer's abort names the pause.
      onOtherThread(() -> {
        Txn reader = Txn.current();
        Diagnostics.at(reader, auditLine);
        CommitPause.start(reader);
        assertTrue(CommitPause.heldAgainst(writer), "the writer's look after its stamp sees the pause");
        Diagnostics.at(reader, afterAudit);
        CommitPause.end(reader);
      });
      assertTrue(!CommitPause.heldAgainst(writer), "the pause is over before the writer is named");
      Diagnostics.commitPaused(writer);
      key[0] = Diagnostics.aborted(writer, AbortKind.READ_WRITE, 0L);
      writer.diag.begin(); // forget the kill named above: this attempt commits
    });
    assertEquals("read/write", key[0].kind());
    assertEquals(where(transferLine), key[0].aborted(), "the writer's own line (its first lock)");
    assertEquals(where(auditLine), key[0].other(), "the line at which the reader began its pause");
    assertEquals(1, account.x);
  }

  /**
   * {@code Txn.contend} gives up on a lock: the owner's site for the record is the one it locked
   * it at when the loser met it, although the owner commits and locks the same record again, at
   * another line, in its next attempt before the loser's abort is recorded (its lock set then
   * names the next attempt's line).
   */
  @Test
  void aContendedAbortNamesTheOwnersLockAsItWasWhenMet() throws Exception {
    int firstLine = site("transfer", 148);
    int nextLine = site("deposit", 160);
    int readerLine = site("shortRead", 158);
    Node account = new Node();
    CountDownLatch firstHeld = new CountDownLatch(1);
    CountDownLatch commitFirst = new CountDownLatch(1);
    CountDownLatch nextHeld = new CountDownLatch(1);
    CountDownLatch commitNext = new CountDownLatch(1);
    AtomicReference<Txn> owner = new AtomicReference<>();
    Thread t = ArrayRecordsTest.start(() -> {
      Ame.atomic(() -> {
        Txn o = Txn.current();
        owner.set(o);
        Diagnostics.at(o, firstLine);
        TxObjectTest.writeX(account, 1, o);
        firstHeld.countDown();
        ArrayRecordsTest.await(commitFirst);
      });
      Ame.atomic(() -> {
        Txn o = Txn.current();
        Diagnostics.at(o, nextLine);
        TxObjectTest.writeX(account, 2, o);
        nextHeld.countDown();
        ArrayRecordsTest.await(commitNext);
      });
    });
    Conflicts.Key[] key = new Conflicts.Key[1];
    try {
      ArrayRecordsTest.await(firstHeld);
      Ame.atomic(() -> {
        Txn loser = Txn.current();
        Diagnostics.at(loser, readerLine);
        Diagnostics.contended(loser, account, -1, owner.get()); // met the owner's first lock
        commitFirst.countDown();
        ArrayRecordsTest.await(nextHeld); // the owner's next attempt holds the record again
        key[0] = Diagnostics.aborted(loser, AbortKind.READ_WRITE, 0L);
        loser.diag.begin(); // forget the cause named above: this attempt commits
      });
    } finally {
      commitFirst.countDown();
      commitNext.countDown();
      t.join();
    }
    assertEquals(where(readerLine), key[0].aborted());
    assertEquals(where(firstLine), key[0].other(), "the lock the loser met, not the owner's next one");
    assertEquals(2, account.x);
  }

  /**
   * A killer that looked at an earlier attempt writes its kill into this one, and its
   * compare-and-set misses (the attempt it meant had ended); this attempt then fails its own
   * validation at commit (a read another transaction overwrote). The abort is named by that read
   * and its writer, not by the kill it never honoured (ConflictReportIT's hashmap scenario, session
   * 16: a put's validation failure was named by an inevitable reader's kill, on another field).
   */
  @Test
  void anAbortThatDidNotHonourAKillIsNamedByItsOwnCause() {
    int readLine = site("staleKillRead", 301);
    int writeLine = site("staleKillWrite", 302);
    int killerLine = site("staleKiller", 303);
    Node read = new Node();
    Node mine = new Node();
    Node killersRecord = new Node();
    AtomicInteger attempts = new AtomicInteger();
    Ame.atomic(() -> {
      Txn tx = Txn.current();
      TxObjectTest.writeX(mine, 1, tx); // a writer: its commit validates its reads
      Diagnostics.at(tx, readLine);
      TxObjectTest.readX(read, tx);
      if (attempts.incrementAndGet() == 1) {
        onOtherThread(() -> Ame.atomic(() -> {
          Txn w = Txn.current();
          Diagnostics.at(w, writeLine);
          TxObjectTest.writeX(read, 5, w);
        }));
        onOtherThread(() -> {
          Txn killer = Txn.current();
          Diagnostics.at(killer, killerLine);
          Diagnostics.killing(tx, killer, killersRecord, -1, null); // no compare-and-set follows
        });
      }
    });
    assertEquals(2, attempts.get(), "the first attempt failed its validation");
    List<Conflict> rows = Ame.stats().conflicts();
    assertTrue(rows.stream().noneMatch(c -> c.otherAt().equals(where(killerLine))),
        "named by a kill it never honoured: " + rows);
    assertTrue(rows.stream().anyMatch(c -> c.kind() == org.ame4j.AbortKind.READ_WRITE
        && c.abortedAt().equals(where(readLine)) && c.otherAt().equals(where(writeLine))),
        "named by its read and that record's writer: " + rows);
  }
}
