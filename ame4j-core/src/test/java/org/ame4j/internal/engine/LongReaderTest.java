package org.ame4j.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.ame4j.Ame;
import org.ame4j.TransactionQueue;
import org.ame4j.internal.engine.TxObjectTest.Node;
import org.ame4j.testkit.HangGuard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Long readers held in place ({@code Txn#holdLongReader}): a reader of at least
 * {@code ame4j.longReader.reads} records that validates at an extension (another transaction
 * committed to something it reads later) becomes the inevitable transaction without aborting,
 * holds every record it read, so writers of those wait for its commit and it never sees their
 * values, and pays nothing when nobody commits meanwhile. Driven through the barriers exactly as
 * the agent's twins call them: a read-only array of objects with their own words (the corpus
 * bank's account table).
 */
@HangGuard(seconds = 120)
@ExtendWith(NoPauseInPlace.class)
class LongReaderTest {
  static final int N = 1_024;

  static Node[] accounts() {
    Node[] a = new Node[N];
    for (int i = 0; i < N; i++) {
      a[i] = new Node();
      a[i].x = 1_000;
    }
    return a;
  }

  static int balance(Node[] accounts, int i, Txn tx) {
    return TxObjectTest.readX((Node) ArrayRecordsTest.read(accounts, i, tx), tx);
  }

  static void commitInOtherThread(Runnable body) {
    Thread w = ArrayRecordsTest.start(() -> Ame.atomic(body));
    try {
      w.join();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aLongReaderThatMeetsANewerRecordHoldsItsReadsAndCommitsWithoutAborting() throws Exception {
    Node[] accounts = accounts();
    AtomicInteger attempts = new AtomicInteger();
    List<Boolean> heldAfterMeetingTheWrite = new ArrayList<>();
    CountDownLatch writerStarted = new CountDownLatch(1);
    Thread[] writer = new Thread[1];
    long sum = Ame.atomic(() -> {
      Txn tx = Txn.current();
      attempts.incrementAndGet();
      long s = 0;
      for (int i = 0; i < N / 2; i++) {
        s += balance(accounts, i, tx);
      }
      if (attempts.get() == 1) {
        // Another transaction commits to an account not read yet: the reader meets it below.
        commitInOtherThread(() -> TxObjectTest.writeX(accounts[1_000], 1_001, Txn.current()));
      }
      for (int i = N / 2; i < N; i++) {
        s += balance(accounts, i, tx);
      }
      heldAfterMeetingTheWrite.add(tx.isInevitable());
      if (attempts.get() == 1) {
        // A writer of an account read before the hold must now wait for this commit.
        writer[0] = ArrayRecordsTest.start(() -> Ame.atomic(() -> {
          writerStarted.countDown();
          TxObjectTest.writeX(accounts[3], 5, Txn.current());
        }));
        ArrayRecordsTest.await(writerStarted);
        try {
          Thread.sleep(50); // give the writer time to reach the record (the check holds anyway)
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        }
        assertEquals(1_000, balance(accounts, 3, tx), "a held record changed under its reader");
      }
      return s;
    });
    writer[0].join();
    assertEquals(1, attempts.get(), "the long reader aborted");
    assertEquals(List.of(true), heldAfterMeetingTheWrite);
    assertEquals(N * 1_000L + 1, sum);
    assertEquals(5, accounts[3].x, "the writer ran after the reader committed");
    assertFalse(Orecs.isLocked(accounts[3].meta), "the reader's hold was released");
    assertTrue(Txn.current().stats.heldLongReaders() >= 1);
    org.ame4j.Stats all = Ame.stats();
    assertTrue(all.heldLongReaders() >= 1, all.toString());
    assertTrue(all.toString().contains(" (long readers, in place when writers committed to what they read)"), all.toString());
  }

  /**
   * A held reader has done nothing irrevocable, so {@code retry()} still rolls it back and waits
   * (an inevitable transaction that asked to be one refuses): the writer it held back commits,
   * and the re-run sees that write.
   */
  @Test
  void aHeldLongReaderCanStillRetry() throws Exception {
    Node[] accounts = accounts();
    AtomicInteger attempts = new AtomicInteger();
    Thread[] writer = new Thread[1];
    int seen = Ame.atomic(() -> {
      Txn tx = Txn.current();
      int attempt = attempts.incrementAndGet();
      for (int i = 0; i < N / 2; i++) {
        balance(accounts, i, tx);
      }
      if (attempt == 1) {
        commitInOtherThread(() -> TxObjectTest.writeX(accounts[1_000], 1_001, Txn.current()));
      }
      for (int i = N / 2; i < N; i++) {
        balance(accounts, i, tx);
      }
      int first = balance(accounts, 0, tx);
      if (first == 1_000) {
        assertTrue(tx.isInevitable(), "held");
        if (writer[0] == null) {
          writer[0] = ArrayRecordsTest.start(
              () -> Ame.atomic(() -> TxObjectTest.writeX(accounts[0], 2_000, Txn.current())));
        }
        Ame.retry(); // rolls back (releasing the hold), waits for the writer's commit
      }
      return first;
    });
    writer[0].join();
    assertEquals(2_000, seen);
    assertTrue(attempts.get() >= 2);
  }

  @Test
  void aLongReaderThatNobodyDisturbsStaysOptimistic() {
    Node[] accounts = accounts();
    boolean inevitable = Ame.atomic(() -> {
      Txn tx = Txn.current();
      for (int i = 0; i < N; i++) {
        balance(accounts, i, tx);
      }
      return tx.isInevitable();
    });
    assertFalse(inevitable, "no commit happened meanwhile: nothing to hold against");
  }

  @Test
  void aShortReaderIsNeverHeld() {
    Node[] accounts = accounts();
    List<Boolean> inevitable = new ArrayList<>();
    AtomicInteger attempts = new AtomicInteger();
    Ame.atomic(() -> {
      Txn tx = Txn.current();
      attempts.incrementAndGet();
      balance(accounts, 0, tx);
      if (attempts.get() == 1) {
        commitInOtherThread(() -> TxObjectTest.writeX(accounts[9], 7, Txn.current()));
      }
      balance(accounts, 9, tx); // newer: extends, two reads are no long reader
      inevitable.add(tx.isInevitable());
    });
    assertEquals(List.of(false), inevitable);
    assertEquals(1, attempts.get());
  }

  /**
   * The corpus bank over objects with their own words on 2 workers: transfers and audits. Every
   * audit attempt sees the total (held or not), the total is conserved, no record stays locked.
   */
  @Test
  void bankWithAuditsOverObjectsKeepsItsInvariantsOn2Workers() {
    Node[] accounts = accounts();
    long total = N * 1_000L;
    AtomicLong wrongAudits = new AtomicLong();
    TransactionQueue q = new TransactionQueue();
    java.util.SplittableRandom r = new java.util.SplittableRandom(7);
    int tasks = 20_000;
    for (int t = 0; t < tasks; t++) {
      if (t % 128 == 127) {
        q.add(() -> {
          Txn tx = Txn.current();
          long s = 0;
          for (int i = 0; i < N; i++) {
            s += balance(accounts, i, tx);
          }
          if (s != total) {
            wrongAudits.incrementAndGet(); // opacity: never, not even in an attempt that aborts
          }
        });
      } else {
        int from = r.nextInt(N);
        int to = (from + 1 + r.nextInt(N - 1)) % N;
        int amount = 1 + r.nextInt(400);
        q.add(() -> {
          Txn tx = Txn.current();
          Node a = (Node) ArrayRecordsTest.read(accounts, from, tx);
          Node b = (Node) ArrayRecordsTest.read(accounts, to, tx);
          int ab = TxObjectTest.readX(a, tx);
          if (ab >= amount) {
            TxObjectTest.writeX(a, ab - amount, tx);
            TxObjectTest.writeX(b, TxObjectTest.readX(b, tx) + amount, tx);
          }
        });
      }
    }
    q.run(2);
    assertEquals(0, wrongAudits.get());
    long s = 0;
    for (Node a : accounts) {
      assertTrue(a.x >= 0);
      assertFalse(Orecs.isLocked(a.meta));
      s += a.x;
    }
    assertEquals(total, s);
  }
}
