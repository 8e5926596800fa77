package org.ame4j.internal.engine;

import static org.ame4j.internal.engine.BarrierInterleavingsTest.OX;
import static org.ame4j.internal.engine.BarrierInterleavingsTest.OY;
import static org.ame4j.internal.engine.BarrierInterleavingsTest.X;
import static org.ame4j.internal.engine.BarrierInterleavingsTest.X_ID;
import static org.ame4j.internal.engine.BarrierInterleavingsTest.Y;
import static org.ame4j.internal.engine.BarrierInterleavingsTest.Y_ID;
import static org.ame4j.internal.engine.BarrierInterleavingsTest.await;
import static org.ame4j.internal.engine.BarrierInterleavingsTest.onOtherThread;
import static org.ame4j.internal.engine.SplitRead.cell;
import static org.ame4j.internal.engine.SplitRead.element;
import static org.ame4j.internal.engine.SplitRead.field;
import static org.ame4j.internal.engine.SplitRead.site;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.ObjLongConsumer;
import java.util.function.LongSupplier;
import org.ame4j.Ame;
import org.ame4j.internal.engine.BarrierInterleavingsTest.ObjectPair;
import org.ame4j.internal.engine.BarrierInterleavingsTest.Pair;
import org.ame4j.testkit.HangGuard;
import org.junit.jupiter.api.Test;

/**
 * A read's place in time, forced into one order by a second thread (as in
 * {@link BarrierInterleavingsTest}), for every kind of location:
 *
 * <ul>
 *   <li>a read stays inside the transaction's snapshot: a record stamped later than the snapshot
 *       ({@code version(word) > rv}, the check in {@code Txn.logRead} and its siblings) makes the
 *       transaction extend its snapshot, which re-validates the earlier reads, so a read-only
 *       transaction never returns x from before a commit and y from after it;
 *   <li>an inevitable transaction's reads hold until it ends (it locks what it reads; a read-only
 *       array's first writer waits for it to end): it never validates, so a commit between two of its reads would be
 *       seen half.
 * </ul>
 */
@HangGuard(seconds = 60)
class ReadSnapshotTest {
  @Test
  void aFieldNewerThanTheSnapshotRevalidatesTheEarlierReads() {
    Pair p = new Pair();
    staysInsideTheSnapshot(field(p, X_ID, X), field(p, Y_ID, Y), (tx, v) -> {
      FieldWrites.writeLong(p, X_ID, X, v, tx);
      FieldWrites.writeLong(p, Y_ID, Y, v, tx);
    });
  }

  @Test
  void anObjectNewerThanTheSnapshotRevalidatesTheEarlierReads() {
    ObjectPair px = new ObjectPair();
    ObjectPair py = new ObjectPair();
    staysInsideTheSnapshot(site(px, X_ID, OX), site(py, Y_ID, OY), (tx, v) -> {
      FieldWrites.writeLong(px, X_ID, OX, v, tx);
      FieldWrites.writeLong(py, Y_ID, OY, v, tx);
    });
  }

  @Test
  void aCellNewerThanTheSnapshotRevalidatesTheEarlierReads() {
    LongCell cx = new LongCell(0);
    LongCell cy = new LongCell(0);
    staysInsideTheSnapshot(cell(cx), cell(cy), (tx, v) -> {
      tx.write(cx, v);
      tx.write(cy, v);
    });
  }

  @Test
  void anArrayElementNewerThanTheSnapshotRevalidatesTheEarlierReads() {
    long[] ax = new long[1];
    long[] ay = new long[1];
    // Written arrays (a word per element): a read-only one's first writer waits for the reader.
    Ame.atomic(() -> {
      FieldWrites.writeElement(ax, 0, 0L, Txn.current());
      FieldWrites.writeElement(ay, 0, 0L, Txn.current());
    });
    staysInsideTheSnapshot(element(ax), element(ay), (tx, v) -> {
      FieldWrites.writeElement(ax, 0, v, tx);
      FieldWrites.writeElement(ay, 0, v, tx);
    });
  }

  /**
   * A read-only transaction reads x; another commits x = y = v; the first then reads y, whose
   * record is newer than its snapshot. Read-only commits do not validate, so only what happens at
   * that read keeps the pair consistent: an attempt that logs its reads extends its snapshot
   * (re-validating x, which fails), one that keeps no log (predicted read-only after a read-only
   * commit, {@code Txn.unlogged}) restarts. Both are run, each after the commit that predicts it.
   */
  static void staysInsideTheSnapshot(SplitRead x, SplitRead y, ObjLongConsumer<Txn> writeBoth) {
    Ame.atomic(() -> writeBoth.accept(Txn.current(), 0)); // a writing commit: the next attempt logs
    staysInsideTheSnapshot(x, y, writeBoth, 1, false);
    Ame.atomic(() -> {}); // a read-only commit: the next attempt keeps no read log
    staysInsideTheSnapshot(x, y, writeBoth, 2, true);
  }

  private static void staysInsideTheSnapshot(
      SplitRead x, SplitRead y, ObjLongConsumer<Txn> writeBoth, long v, boolean unlogged) {
    AtomicInteger attempts = new AtomicInteger();
    AtomicBoolean firstUnlogged = new AtomicBoolean();
    long[] seen = Ame.atomic(() -> {
      Txn tx = Txn.current();
      long vx = x.read(tx);
      if (attempts.incrementAndGet() == 1) {
        firstUnlogged.set(tx.unlogged);
        onOtherThread(() -> Ame.atomic(() -> writeBoth.accept(Txn.current(), v)));
      }
      long vy = y.read(tx);
      return new long[] {vx, vy};
    });
    assertEquals(unlogged, firstUnlogged.get(), "the first attempt's read log, as predicted");
    assertEquals(seen[0], seen[1],
        "a read-only transaction returned x from before a commit and y from after it");
    assertTrue(attempts.get() >= 2, "the first attempt's snapshot could not be extended: it must abort");
  }

  @Test
  void anInevitableReadOfAFieldHoldsUntilItEnds() throws Exception {
    Pair p = new Pair();
    SplitRead x = field(p, X_ID, X);
    inevitableReadHolds(x, tx -> FieldWrites.writeLong(p, X_ID, X, x.read(tx) + 100, tx), () -> p.x);
  }

  @Test
  void anInevitableReadOfAnObjectHoldsUntilItEnds() throws Exception {
    ObjectPair o = new ObjectPair();
    SplitRead x = site(o, X_ID, OX);
    inevitableReadHolds(x, tx -> FieldWrites.writeLong(o, X_ID, OX, x.read(tx) + 100, tx), () -> o.x);
  }

  @Test
  void anInevitableReadOfACellHoldsUntilItEnds() throws Exception {
    LongCell c = new LongCell(0);
    inevitableReadHolds(cell(c), tx -> tx.write(c, tx.read(c) + 100), () -> c.value);
  }

  /** A read-only array is not locked by its inevitable reader: its first writer waits for its end. */
  @Test
  void anInevitableReadOfAReadOnlyArrayHoldsUntilItEnds() throws Exception {
    long[] a = new long[1];
    SplitRead x = element(a);
    inevitableReadHolds(x, tx -> FieldWrites.writeElement(a, 0, x.read(tx) + 100, tx), () -> a[0]);
  }

  /** A written array's element word is locked by its inevitable reader, like any record. */
  @Test
  void anInevitableReadOfAWrittenArrayHoldsUntilItEnds() throws Exception {
    long[] a = new long[1];
    Ame.atomic(() -> FieldWrites.writeElement(a, 0, 0L, Txn.current())); // a word per element
    SplitRead x = element(a);
    inevitableReadHolds(x, tx -> FieldWrites.writeElement(a, 0, x.read(tx) + 100, tx), () -> a[0]);
  }

  /**
   * An inevitable transaction reads x, lets another thread's transaction try to add 100 to x for
   * 200 ms, and reads x again: both reads must agree, and the addition lands after it ends.
   */
  static void inevitableReadHolds(SplitRead x, Consumer<Txn> add100, LongSupplier committedX)
      throws Exception {
    CountDownLatch read = new CountDownLatch(1);
    CountDownLatch otherDone = new CountDownLatch(1);
    Thread other = new Thread(() -> {
      await(read);
      Ame.atomic(() -> add100.accept(Txn.current()));
      otherDone.countDown();
    });
    other.start();
    long[] twice = Ame.atomic(() -> {
      Ame.inevitable();
      Txn tx = Txn.current();
      long first = x.read(tx);
      read.countDown();
      try {
        assertFalse(otherDone.await(200, TimeUnit.MILLISECONDS),
            "another transaction committed a write to x while an inevitable one had read it");
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
      return new long[] {first, x.read(tx)};
    });
    await(otherDone);
    other.join(20_000);
    assertEquals(twice[0], twice[1], "an inevitable transaction's two reads of x differ");
    assertEquals(twice[0] + 100, committedX.getAsLong(), "the other transaction's addition, after it ended");
  }
}
