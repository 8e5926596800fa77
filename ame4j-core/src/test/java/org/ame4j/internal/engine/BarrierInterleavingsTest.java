package org.ame4j.internal.engine;

import static org.ame4j.internal.engine.SplitRead.cell;
import static org.ame4j.internal.engine.SplitRead.element;
import static org.ame4j.internal.engine.SplitRead.field;
import static org.ame4j.internal.engine.SplitRead.site;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.ame4j.Ame;
import org.ame4j.IntRef;
import org.ame4j.testkit.HangGuard;
import org.junit.jupiter.api.Test;

/**
 * Races forced into one order: a second thread acts at a chosen point between two steps of the
 * barriers, which generated code calls exactly as here ({@code beforeRead}, the plain load,
 * {@code afterRead}), or of the engine's own cell read ({@code openObject}, load,
 * {@code closeRead}). Each test pins one rule of the read and write paths with a fixed
 * interleaving, so it fails every run when the rule is broken, where a stress test would catch it
 * a few times in a million transactions:
 *
 * <ul>
 *   <li>a value written between the record check and the load is never returned (the re-check
 *       after the load: plain fields, objects' own words, cells, array and element words);
 *   <li>a read is logged, so a read that another transaction overwrites before this one commits
 *       sends it back (plain fields and cells);
 *   <li>an object allocated and published by a committed transaction is tracked by the next one
 *       on the same thread (the fresh set and the born-owned word belong to one attempt);
 *   <li>an eager blind update ({@code x += d}) holds its record until commit like a write;
 *   <li>at most one transaction is inevitable at a time, also when one restarts as inevitable;
 *   <li>untracked code runs only once every other running attempt has ended: it never sees a
 *       value another attempt wrote in place and has not committed.
 * </ul>
 *
 * The first attempt of the transaction under test waits for the other thread; later attempts
 * run freely, so a correct engine aborts the first attempt and the test sees the serial result.
 */
@HangGuard(seconds = 60)
class BarrierInterleavingsTest {
  /** A plain class as the agent sees it. */
  static final class Pair {
    long x;
    long y;
  }

  /** A class as the agent rewrites it now: the object carries its own record word. */
  static final class ObjectPair extends TxObject {
    long x;
    long y;
  }

  static final VarHandle X;
  static final VarHandle Y;
  static final VarHandle OX;
  static final VarHandle OY;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      X = l.findVarHandle(Pair.class, "x", long.class);
      Y = l.findVarHandle(Pair.class, "y", long.class);
      OX = l.findVarHandle(ObjectPair.class, "x", long.class);
      OY = l.findVarHandle(ObjectPair.class, "y", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  static final int X_ID = "x".hashCode();
  static final int Y_ID = "y".hashCode();

  /** {@code o.x} of either kind of holder, through the barriers. */
  static long readX(Object o, VarHandle x, Txn tx) {
    return SplitRead.field(o, X_ID, x).read(tx);
  }

  static void await(CountDownLatch latch) {
    try {
      if (!latch.await(20, TimeUnit.SECONDS)) {
        throw new AssertionError("the other thread never reached its step");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Runs {@code r} on a new thread (in its own transactions) and waits for it. */
  static void onOtherThread(Runnable r) {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread t = new Thread(() -> {
      try {
        r.run();
      } catch (Throwable e) {
        failure.set(e);
      }
    });
    t.start();
    try {
      t.join(20_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    if (t.isAlive() || failure.get() != null) {
      throw new AssertionError("other thread " + (t.isAlive() ? "hangs" : "failed"), failure.get());
    }
  }

  /**
   * The reader checks x's record (unlocked), then a writer locks x and writes 1 in place and
   * holds it; only then does the reader load x. Without the re-check of the record after the
   * load, the reader would go on to read y (still unlocked, 0) and commit, read-only and so
   * unvalidated, with (1, 0): a value the writer then rolls back, never committed by anyone.
   * A plain object's fields have records in the striped table.
   */
  @Test
  void aValueWrittenBetweenTheRecordCheckAndTheLoadIsNeverReturned() throws Exception {
    Pair p = new Pair();
    neverReturnsAValueWrittenAfterTheCheck(field(p, X_ID, X), field(p, Y_ID, Y),
        tx -> FieldWrites.writeLong(p, X_ID, X, 1, tx), () -> p.x);
  }

  /**
   * The same for objects with their own record word, as the agent makes instrumented classes:
   * one word guards the whole object, so x and y live in two objects here.
   */
  @Test
  void aValueWrittenBetweenTheObjectWordCheckAndTheLoadIsNeverReturned() throws Exception {
    ObjectPair px = new ObjectPair();
    ObjectPair py = new ObjectPair();
    neverReturnsAValueWrittenAfterTheCheck(field(px, X_ID, OX), field(py, Y_ID, OY),
        tx -> FieldWrites.writeLong(px, X_ID, OX, 1, tx), () -> px.x);
  }

  /** The same through the per-site barriers the agent emits for such objects ({@code openRead}). */
  @Test
  void aValueWrittenBetweenTheSiteBarriersCheckAndTheLoadIsNeverReturned() throws Exception {
    ObjectPair px = new ObjectPair();
    ObjectPair py = new ObjectPair();
    neverReturnsAValueWrittenAfterTheCheck(site(px, X_ID, OX), site(py, Y_ID, OY),
        tx -> FieldWrites.writeLong(px, X_ID, OX, 1, tx), () -> px.x);
  }

  /** The same for cells ({@code IntRef}, {@code Ref}, …): the re-check in {@code Txn.closeRead}. */
  @Test
  void aValueWrittenBetweenTheCellCheckAndTheLoadIsNeverReturned() throws Exception {
    LongCell cx = new LongCell(0);
    LongCell cy = new LongCell(0);
    neverReturnsAValueWrittenAfterTheCheck(cell(cx), cell(cy), tx -> tx.write(cx, 1L), () -> cx.value);
  }

  /**
   * The same for an element of a written array, read under the element's own word. (A read-only
   * array is read with no check at all: its first writer waits for the reader to end instead,
   * ArrayRecordsTest.aWriterTurningAnArrayWaitsForItsUncheckedReaders.)
   */
  @Test
  void aValueWrittenBetweenTheElementWordCheckAndTheLoadIsNeverReturned() throws Exception {
    long[] ax = new long[1];
    long[] ay = new long[1];
    Ame.atomic(() -> FieldWrites.writeElement(ax, 0, 0L, Txn.current())); // turns ax written
    neverReturnsAValueWrittenAfterTheCheck(element(ax), element(ay),
        tx -> FieldWrites.writeElement(ax, 0, 1L, tx), () -> ax[0]);
  }

  /** A cell only {@link #neverReturnsAValueWrittenAfterTheCheck} writes, to make a commit write. */
  private static final LongCell WRITTEN_BEFORE = new LongCell(0);

  /**
   * Reads x (split, the race entering between check and load) and then y while another
   * transaction writes x = 1 at that moment, holds it, and rolls back. Run twice: after a
   * writing commit (the reader's first attempt logs its reads) and after a read-only one (it
   * keeps no log, {@code Txn.unlogged}), since the two check a record differently.
   */
  static void neverReturnsAValueWrittenAfterTheCheck(SplitRead x, SplitRead y, Consumer<Txn> writeX1,
      LongSupplier committedX) throws Exception {
    Ame.atomic(() -> {
      Txn tx = Txn.current();
      tx.write(WRITTEN_BEFORE, tx.read(WRITTEN_BEFORE) + 1); // a writing commit: the next attempt logs
    });
    neverReturnsAValueWrittenAfterTheCheck(x, y, writeX1, committedX, false);
    Ame.atomic(() -> {}); // a read-only commit: the next attempt keeps no read log
    neverReturnsAValueWrittenAfterTheCheck(x, y, writeX1, committedX, true);
  }

  private static void neverReturnsAValueWrittenAfterTheCheck(SplitRead x, SplitRead y,
      Consumer<Txn> writeX1, LongSupplier committedX, boolean unlogged) throws Exception {
    CountDownLatch recordChecked = new CountDownLatch(1);
    CountDownLatch written = new CountDownLatch(1);
    CountDownLatch readerPast = new CountDownLatch(1);
    RuntimeException rollBack = new RuntimeException("the writer rolls back");
    AtomicReference<Throwable> writerFailure = new AtomicReference<>();
    Thread writer = new Thread(() -> {
      try {
        Ame.atomic(() -> {
          await(recordChecked);
          writeX1.accept(Txn.current()); // locks x's record, writes in place
          written.countDown();
          await(readerPast);
          throw rollBack; // x = 1 is never committed
        });
      } catch (Throwable e) {
        if (e != rollBack) {
          writerFailure.set(e);
        }
      }
    });
    writer.start();
    AtomicInteger attempts = new AtomicInteger();
    AtomicBoolean firstUnlogged = new AtomicBoolean();
    long[] seen = Ame.atomic(() -> {
      Txn tx = Txn.current();
      boolean first = attempts.incrementAndGet() == 1;
      if (first) {
        firstUnlogged.set(tx.unlogged);
      }
      try {
        long vx = x.read(tx, () -> {
          if (first) {
            recordChecked.countDown();
            await(written);
          }
        });
        long vy = y.read(tx);
        return new long[] {vx, vy};
      } finally {
        if (first) {
          readerPast.countDown();
        }
      }
    });
    writer.join(20_000);
    assertEquals(null, writerFailure.get());
    assertEquals(unlogged, firstUnlogged.get(), "the first attempt's read log, as predicted");
    assertArrayEquals(new long[] {0, 0}, seen, "the reader returned a value nobody committed");
    assertTrue(attempts.get() >= 2, "the first attempt, which loaded the dirty value, must abort");
    assertEquals(0L, committedX.getAsLong(), "the writer's value was rolled back");
  }

  /**
   * Read-not-logged, plain fields: the transaction reads x, another transaction commits x + 10,
   * then the first writes y = x + 1. Its commit must find the read of x stale and re-run it.
   */
  @Test
  void aPlainFieldReadThatIsOverwrittenBeforeCommitIsRevalidated() {
    Pair p = new Pair();
    readIsRevalidated(field(p, X_ID, X), (tx, v) -> FieldWrites.writeLong(p, X_ID, X, v, tx),
        (tx, v) -> FieldWrites.writeLong(p, Y_ID, Y, v, tx), () -> p.x, () -> p.y);
  }

  /** The same for an object's own word, read through the per-site barriers. */
  @Test
  void anObjectReadThatIsOverwrittenBeforeCommitIsRevalidated() {
    ObjectPair px = new ObjectPair();
    ObjectPair py = new ObjectPair();
    readIsRevalidated(site(px, X_ID, OX), (tx, v) -> FieldWrites.writeLong(px, X_ID, OX, v, tx),
        (tx, v) -> FieldWrites.writeLong(py, Y_ID, OY, v, tx), () -> px.x, () -> py.y);
  }

  interface LongWrite {
    void write(Txn tx, long value);
  }

  static void readIsRevalidated(SplitRead x, LongWrite writeX, LongWrite writeY, LongSupplier xNow, LongSupplier yNow) {
    AtomicInteger attempts = new AtomicInteger();
    Ame.atomic(() -> {
      Txn tx = Txn.current();
      long v = x.read(tx);
      if (attempts.incrementAndGet() == 1) {
        onOtherThread(() -> Ame.atomic(() -> {
          Txn other = Txn.current();
          writeX.write(other, x.read(other) + 10);
        }));
      }
      writeY.write(tx, v + 1);
    });
    assertEquals(10, xNow.getAsLong());
    assertEquals(11, yNow.getAsLong(), "y was computed from a read of x that another commit had overwritten");
    assertTrue(attempts.get() >= 2);
  }

  /** Read-not-logged, cells: the same through {@code IntRef}, whose reads take the cell path. */
  @Test
  void aCellReadThatIsOverwrittenBeforeCommitIsRevalidated() {
    IntRef x = new IntRef(0);
    IntRef y = new IntRef(0);
    AtomicInteger attempts = new AtomicInteger();
    Ame.atomic(() -> {
      int v = x.get();
      if (attempts.incrementAndGet() == 1) {
        onOtherThread(() -> Ame.atomic(() -> x.set(x.get() + 10)));
      }
      y.set(v + 1);
    });
    assertEquals(10, x.get());
    assertEquals(11, y.get(), "y was computed from a read of x that another commit had overwritten");
    assertTrue(attempts.get() >= 2);
  }

  /**
   * Capture analysis is per attempt: an object the first transaction allocated and published is
   * shared from its commit on, so the next transaction on the same thread locks and logs its
   * writes, and rolls them back when it fails.
   */
  @Test
  void anObjectPublishedByACommittedTransactionIsTrackedByTheNext() {
    publishedObjectIsTrackedByTheNext(new Pair(), X);
  }

  /** The same for an object born owned by its transaction (its own word, TxObject). */
  @Test
  void anObjectBornOwnedIsTrackedByTheNextTransaction() {
    publishedObjectIsTrackedByTheNext(new ObjectPair(), OX);
  }

  /** The same when the commit that publishes it wrote nothing else (a read-only commit). */
  @Test
  void anObjectBornOwnedInAReadOnlyCommitIsTrackedByTheNextTransaction() {
    publishedObjectIsTrackedByTheNext(new ObjectPair(), OX, false);
  }

  static void publishedObjectIsTrackedByTheNext(Object created, VarHandle x) {
    publishedObjectIsTrackedByTheNext(created, x, true);
  }

  static void publishedObjectIsTrackedByTheNext(Object created, VarHandle x, boolean writingCommit) {
    Object[] shared = new Object[1];
    Pair elsewhere = new Pair();
    Ame.atomic(() -> {
      Txn tx = Txn.current();
      Object fresh = created; // as if allocated here: the agent reports it right after <init>
      FieldBarriers.allocated(fresh, tx);
      FieldWrites.writeLong(fresh, X_ID, x, 5, tx);
      if (writingCommit) {
        FieldWrites.writeLong(elsewhere, Y_ID, Y, 1, tx); // its lock makes the commit a writing one
      }
      shared[0] = fresh;
    });
    IllegalStateException boom = new IllegalStateException("boom");
    assertSame(boom, assertThrows(IllegalStateException.class, () -> Ame.atomic(() -> {
      FieldWrites.writeLong(shared[0], X_ID, x, 6, Txn.current());
      throw boom;
    })));
    assertEquals(5L, (long) x.get(shared[0]), "the write to the published object was not rolled back");
    // And another thread's transaction conflicts with it like with any shared object.
    holdWhileAnotherAdds(shared[0], x, tx -> FieldWrites.writeLong(shared[0], X_ID, x,
        readX(shared[0], x, tx) + 1, tx), "another transaction wrote an object this one had locked");
  }

  /**
   * An eager blind update ({@code x += d} whose old value the program never reads) locks the
   * record like any write: while it is held, another transaction's read-modify-write of x can
   * neither finish nor be lost.
   */
  @Test
  void aBlindUpdateHoldsTheRecordUntilCommit() {
    Pair p = new Pair();
    holdWhileAnotherAdds(p, X, tx -> BlindAdds.addLong(p, X_ID, X, 1, tx),
        "another transaction wrote a field this one had updated and not committed");
  }

  /**
   * Runs {@code update} (which adds 1 to {@code p.x}) in a transaction whose first attempt then
   * holds its lock for 200 ms while another thread's transaction adds 100 to {@code p.x}: that
   * one must wait or abort, not write through, and no update is lost.
   */
  static void holdWhileAnotherAdds(Object p, VarHandle x, Consumer<Txn> update, String writtenThrough) {
    long before = (long) x.get(p);
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch otherDone = new CountDownLatch(1);
    Thread other = new Thread(() -> {
      await(held);
      Ame.atomic(() -> {
        Txn tx = Txn.current();
        FieldWrites.writeLong(p, X_ID, x, readX(p, x, tx) + 100, tx);
      });
      otherDone.countDown();
    });
    other.start();
    AtomicInteger attempts = new AtomicInteger();
    Ame.atomic(() -> {
      update.accept(Txn.current());
      if (attempts.incrementAndGet() == 1) {
        held.countDown();
        try {
          assertEquals(false, otherDone.await(200, TimeUnit.MILLISECONDS), writtenThrough);
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        }
      }
    });
    await(otherDone);
    assertEquals(before + 101, (long) x.get(p), "both updates, none lost");
  }

  /**
   * A speculative attempt A writes x = 1 in place and keeps running (it checks its status, as it
   * would at its next lock or at commit); then B runs untracked code, which reads x without any
   * barrier. {@code runUntracked} must first stop A (kill it and wait until its write is undone)
   * and keep it from starting again until B ends, so B reads 0; A then re-runs and commits.
   */
  @Test
  void untrackedCodeWaitsUntilEveryOtherAttemptHasEnded() throws Exception {
    Pair p = new Pair();
    CountDownLatch aWrote = new CountDownLatch(1);
    AtomicBoolean bDone = new AtomicBoolean();
    AtomicInteger aAttempts = new AtomicInteger();
    Thread a = new Thread(() -> Ame.atomic(() -> {
      Txn tx = Txn.current();
      FieldWrites.writeLong(p, X_ID, X, 1, tx);
      if (aAttempts.incrementAndGet() == 1) {
        aWrote.countDown();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!bDone.get() && System.nanoTime() < until) {
          tx.checkAlive(); // still running: a kill is noticed here
          Thread.onSpinWait();
        }
      }
    }));
    a.start();
    await(aWrote);
    long seen = Ame.atomic(() -> {
      Txn.current().runUntracked("BarrierInterleavingsTest");
      return p.x; // an untracked read: no barrier
    });
    bDone.set(true);
    a.join(20_000);
    assertEquals(0, seen, "untracked code saw another attempt's uncommitted write");
    assertEquals(1, p.x, "A re-ran and committed");
    assertTrue(aAttempts.get() >= 2, "A's first attempt was stopped");
  }

  /**
   * The inevitable token is exclusive: A holds it; B asks for inevitability after A and restarts
   * as inevitable ({@code beginInevitable}), which must wait until A has finished. B is given a
   * second to get in while A holds the token.
   */
  @Test
  void atMostOneTransactionIsInevitableAtATime() throws Exception {
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger mostInside = new AtomicInteger();
    CountDownLatch aInevitable = new CountDownLatch(1);
    CountDownLatch bInside = new CountDownLatch(1);
    IntRef touched = new IntRef(0);
    Runnable enter = () -> mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
    Thread b = new Thread(() -> {
      await(aInevitable);
      Ame.atomic(() -> {
        touched.get(); // not in place: B restarts as inevitable, through the token
        Ame.inevitable();
        enter.run();
        bInside.countDown();
        inside.decrementAndGet();
      });
    });
    b.start();
    Ame.atomic(() -> {
      Ame.inevitable();
      enter.run();
      aInevitable.countDown();
      try {
        bInside.await(1, TimeUnit.SECONDS); // a correct engine keeps B out: the full second
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
      inside.decrementAndGet();
    });
    b.join(20_000);
    if (b.isAlive()) {
      fail("B never became inevitable after A finished");
    }
    assertEquals(1, mostInside.get(), "two transactions were inevitable at the same time");
  }
}
