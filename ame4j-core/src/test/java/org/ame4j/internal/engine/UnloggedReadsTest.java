package org.ame4j.internal.engine;

import static org.ame4j.internal.engine.BarrierInterleavingsTest.OX;
import static org.ame4j.internal.engine.BarrierInterleavingsTest.OY;
import static org.ame4j.internal.engine.BarrierInterleavingsTest.X_ID;
import static org.ame4j.internal.engine.BarrierInterleavingsTest.Y_ID;
import static org.ame4j.internal.engine.BarrierInterleavingsTest.onOtherThread;
import static org.ame4j.internal.engine.SplitRead.cell;
import static org.ame4j.internal.engine.SplitRead.site;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.ame4j.Ame;
import org.ame4j.internal.engine.BarrierInterleavingsTest.ObjectPair;
import org.ame4j.testkit.HangGuard;
import org.junit.jupiter.api.Test;

/**
 * Attempts predicted read-only read without a read log ({@code Txn.unlogged}): a read still
 * checks its record against the snapshot, and whatever needs the log restarts the attempt
 * logging. Each test first commits a read-only transaction on its thread, so that the attempt
 * under test is predicted read-only, and checks that it was. A record newer than the snapshot
 * restarting such an attempt is {@link ReadSnapshotTest}'s, for every kind of location.
 */
@HangGuard(seconds = 60)
class UnloggedReadsTest {
  /** Commits a read-only transaction: the next attempt on this thread runs unlogged. */
  static void predictReadOnly() {
    Ame.atomic(() -> {});
  }

  @Test
  void aReadOnlyAttemptAfterAReadOnlyCommitKeepsNoReadLog() {
    ObjectPair o = new ObjectPair();
    LongCell c = new LongCell(7);
    predictReadOnly();
    long[] seen = Ame.atomic(() -> {
      Txn tx = Txn.current();
      long v = site(o, X_ID, OX).read(tx) + cell(c).read(tx);
      return new long[] {tx.unlogged ? 1 : 0, tx.reads.size, v};
    });
    assertEquals(1, seen[0], "the attempt after a read-only commit runs unlogged");
    assertEquals(0, seen[1], "an unlogged attempt logs no read");
    assertEquals(7, seen[2]);
  }

  @Test
  void anAttemptAfterAWritingCommitLogsItsReads() {
    ObjectPair o = new ObjectPair();
    Ame.atomic(() -> FieldWrites.writeLong(o, Y_ID, OY, 1, Txn.current()));
    long[] seen = Ame.atomic(() -> {
      Txn tx = Txn.current();
      site(o, X_ID, OX).read(tx);
      return new long[] {tx.unlogged ? 1 : 0, tx.reads.size};
    });
    assertEquals(0, seen[0], "a writer's successor is predicted to write: it logs");
    assertEquals(1, seen[1]);
  }

  /**
   * An attempt predicted read-only reads x, another transaction increments x, and the first then
   * writes x + 1: without a log its commit could not see that its read went stale (a lost
   * update), so its first lock restarts it logging.
   */
  @Test
  void aWriteAfterUnloggedReadsRestartsTheAttemptLogging() {
    ObjectPair o = new ObjectPair();
    SplitRead x = site(o, X_ID, OX);
    AtomicInteger attempts = new AtomicInteger();
    AtomicBoolean firstUnlogged = new AtomicBoolean();
    predictReadOnly();
    Ame.atomic(() -> {
      Txn tx = Txn.current();
      long v = x.read(tx);
      if (attempts.incrementAndGet() == 1) {
        firstUnlogged.set(tx.unlogged);
        onOtherThread(() -> Ame.atomic(() -> {
          Txn t = Txn.current();
          FieldWrites.writeLong(o, X_ID, OX, x.read(t) + 1, t);
        }));
      }
      FieldWrites.writeLong(o, X_ID, OX, v + 1, tx);
    });
    assertTrue(firstUnlogged.get(), "the first attempt was predicted read-only");
    assertEquals(2, o.x, "an increment was lost");
    assertEquals(2, attempts.get());
  }

  /** The same when the write goes to another object than the read (a copy of a stale value). */
  @Test
  void aWriteAfterUnloggedReadsOfAnotherObjectRestartsTheAttempt() {
    ObjectPair from = new ObjectPair();
    ObjectPair to = new ObjectPair();
    AtomicInteger attempts = new AtomicInteger();
    predictReadOnly();
    Ame.atomic(() -> {
      Txn tx = Txn.current();
      long v = site(from, X_ID, OX).read(tx);
      if (attempts.incrementAndGet() == 1) {
        onOtherThread(() -> Ame.atomic(() -> FieldWrites.writeLong(from, X_ID, OX, 5, Txn.current())));
      }
      FieldWrites.writeLong(to, X_ID, OX, v, tx); // copies what it read
    });
    assertEquals(5, to.x, "a writer committed a copy of a value overwritten before its commit");
  }

  /**
   * An unlogged attempt that asks to become inevitable after reading restarts as inevitable: in
   * place it would keep reads no lock protects, and its first write would then restart it after
   * the irrevocable code that follows {@code Ame.inevitable()} had run.
   */
  @Test
  void anUnloggedAttemptThatReadBecomesInevitableOnlyByRestarting() {
    ObjectPair o = new ObjectPair();
    SplitRead x = site(o, X_ID, OX);
    AtomicInteger irrevocable = new AtomicInteger();
    predictReadOnly();
    Ame.atomic(() -> {
      Txn tx = Txn.current();
      long v = x.read(tx);
      Ame.inevitable();
      irrevocable.incrementAndGet(); // output, say: it must happen once
      FieldWrites.writeLong(o, Y_ID, OY, v + 1, tx);
    });
    assertEquals(1, irrevocable.get(), "the code after Ame.inevitable() ran more than once");
    assertEquals(1, o.y);
  }

  /**
   * An exception thrown by an unlogged attempt is trusted only if nothing committed since its
   * snapshot: here x changed under it, so the re-run (which reads the new x) decides.
   */
  @Test
  void anExceptionFromAStaleUnloggedAttemptIsNotTrusted() {
    ObjectPair o = new ObjectPair();
    SplitRead x = site(o, X_ID, OX);
    AtomicInteger attempts = new AtomicInteger();
    predictReadOnly();
    long v = Ame.atomic(() -> {
      Txn tx = Txn.current();
      long read = x.read(tx);
      if (attempts.incrementAndGet() == 1) {
        onOtherThread(() -> Ame.atomic(() -> FieldWrites.writeLong(o, X_ID, OX, 1, Txn.current())));
      }
      if (read == 0) {
        throw new IllegalStateException("x is still 0");
      }
      return read;
    });
    assertEquals(1, v);
  }

  /** An exception from an unlogged attempt with nothing committed since its snapshot is thrown. */
  @Test
  void anExceptionFromACurrentUnloggedAttemptIsThrown() {
    ObjectPair o = new ObjectPair();
    predictReadOnly();
    AtomicBoolean unlogged = new AtomicBoolean();
    assertThrows(IllegalStateException.class, () -> Ame.atomic(() -> {
      Txn tx = Txn.current();
      unlogged.set(tx.unlogged);
      if (site(o, X_ID, OX).read(tx) == 0) {
        throw new IllegalStateException("x is 0");
      }
    }));
    assertTrue(unlogged.get());
  }

  /**
   * {@code retry()} waits for a change to what was read, which needs the log: the unlogged
   * attempt restarts logging, then retries and wakes when the cell changes.
   */
  @Test
  void retryInAnUnloggedAttemptWaitsForAChange() throws Exception {
    LongCell c = new LongCell(0);
    AtomicBoolean firstUnlogged = new AtomicBoolean();
    AtomicInteger attempts = new AtomicInteger();
    Thread waiter = new Thread(() -> {
      predictReadOnly();
      Ame.atomic(() -> {
        Txn tx = Txn.current();
        if (attempts.incrementAndGet() == 1) {
          firstUnlogged.set(tx.unlogged);
        }
        if (tx.read(c) == 0) {
          Ame.retry();
        }
      });
    });
    waiter.start();
    Thread.sleep(100);
    Ame.atomic(() -> Txn.current().write(c, 1L));
    waiter.join(20_000);
    assertFalse(waiter.isAlive(), "the retrying transaction never woke up");
    assertTrue(firstUnlogged.get(), "the first attempt was predicted read-only");
  }
}
