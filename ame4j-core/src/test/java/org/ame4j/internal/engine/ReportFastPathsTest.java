package org.ame4j.internal.engine;

import static org.ame4j.internal.engine.BarrierInterleavingsTest.OX;
import static org.ame4j.internal.engine.BarrierInterleavingsTest.OY;
import static org.ame4j.internal.engine.BarrierInterleavingsTest.X_ID;
import static org.ame4j.internal.engine.BarrierInterleavingsTest.Y_ID;
import static org.ame4j.internal.engine.BarrierInterleavingsTest.onOtherThread;
import static org.ame4j.internal.engine.SplitRead.site;
import static org.ame4j.internal.engine.UnloggedReadsTest.predictReadOnly;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.ame4j.Ame;
import org.ame4j.Conflict;
import org.ame4j.internal.diag.WriterSites;
import org.ame4j.internal.engine.BarrierInterleavingsTest.ObjectPair;
import org.ame4j.testkit.HangGuard;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine's fast paths that the conflict report used to turn off, with the report on (issue
 * 17, session 15): read-only attempts run unlogged ({@link Diagnostics#UNLOGGED_READS}), and an
 * exception such an attempt throws after the clock moved (no log, so no record to name) is left
 * to its logged re-run instead of becoming a "line unknown" row; element stores are held until
 * commit ({@link Diagnostics#HELD_WRITES}) and each one's lock names its own line, whether the
 * commit takes it or a later read of the element in the attempt does. These tests run in
 * ame4j-core's {@code report-on} surefire execution ({@code -Dame4j.report=true
 * -Dame4j.elementWrites.hold=true}) and are skipped in the others.
 */
@HangGuard(seconds = 60)
class ReportFastPathsTest {
  /** Site ids (any ints do: the engine stores and compares them, only the report looks them up). */
  static final int STORE_SITE = 1_000_001;
  static final int READ_SITE = 1_000_002;
  static final int COMMIT_SITE = 1_000_003;

  @BeforeEach
  void reportOn() {
    Assumptions.assumeTrue(Diagnostics.ON, "run with -Dame4j.report=true");
  }

  private static long conflictsRecorded() {
    return Ame.stats().conflicts().stream().mapToLong(Conflict::count).sum();
  }

  @Test
  void aReadOnlyAttemptRunsUnloggedWithTheReportOn() {
    ObjectPair o = new ObjectPair();
    o.x = 7;
    predictReadOnly();
    long[] seen = Ame.atomic(() -> {
      Txn tx = Txn.current();
      long v = site(o, X_ID, OX).read(tx);
      return new long[] {tx.unlogged ? 1 : 0, tx.reads.size, v};
    });
    assertEquals(1, seen[0], "the attempt after a read-only commit runs unlogged, report or not");
    assertEquals(0, seen[1], "an unlogged attempt logs no read");
    assertEquals(7, seen[2]);
  }

  /**
   * x is read unlogged, another transaction commits (to y: nothing this attempt read), and the
   * attempt throws: the exception is not trusted (the clock moved, there is no log to validate),
   * so the attempt is counted as an abort and re-runs logged, where the exception is trusted. No
   * conflict is recorded: there was none, and an unlogged attempt could not have named it.
   */
  @Test
  void anUntrustedExceptionOfAnUnloggedAttemptRecordsNoConflict() {
    ObjectPair o = new ObjectPair();
    SplitRead x = site(o, X_ID, OX);
    AtomicInteger attempts = new AtomicInteger();
    AtomicBoolean firstUnlogged = new AtomicBoolean();
    AtomicBoolean secondLogged = new AtomicBoolean();
    predictReadOnly();
    long conflicts = conflictsRecorded();
    long aborts = Ame.stats().aborts();
    assertThrows(IllegalStateException.class, () -> Ame.atomic(() -> {
      Txn tx = Txn.current();
      x.read(tx);
      if (attempts.incrementAndGet() == 1) {
        firstUnlogged.set(tx.unlogged);
        onOtherThread(() -> Ame.atomic(() -> FieldWrites.writeLong(o, Y_ID, OY, 1, Txn.current())));
      } else {
        secondLogged.set(!tx.unlogged);
      }
      throw new IllegalStateException("the block's own failure");
    }));
    assertTrue(firstUnlogged.get(), "the first attempt was predicted read-only");
    assertEquals(2, attempts.get(), "the untrusted exception re-ran the block once");
    assertTrue(secondLogged.get(), "the re-run logs its reads");
    assertEquals(aborts + 1, Ame.stats().aborts(), "counted as an abort, as with the report off");
    assertEquals(conflicts, conflictsRecorded(), "no conflict row (it would read 'line unknown')");
  }

  /** The stripe word of element {@code i} of {@code a}: the key its writer's site is kept under. */
  private static int writerKey(int[] a, int i) {
    ArrayRecords r = ArrayStripes.records(ArrayStripes.of(a));
    return WriterSites.key(r, ArrayRecords.slot(r.words(), i));
  }

  @Test
  void aHeldStoreLockedAtCommitIsNamedByItsOwnLine() {
    Assumptions.assumeTrue(ElementBarriers.HOLD_WRITES, "run with -Dame4j.elementWrites.hold=true");
    int[] a = HeldElementWritesTest.written(64);
    Ame.atomic(() -> {
      Txn tx = Txn.current();
      Diagnostics.at(tx, STORE_SITE);
      ElementSites.storeInt(a, 3, 42, tx);
      assertEquals(1, tx.heldWrites.size, "held with the report on");
      assertEquals(0, tx.locks.size);
      Diagnostics.at(tx, COMMIT_SITE); // where the attempt is when it commits
    });
    assertEquals(42, a[3]);
    assertEquals(STORE_SITE, WriterSites.lastWriter(writerKey(a, 3)), "the commit's lock names the store");
  }

  @Test
  void aHeldStoreLockedByALaterReadIsNamedByItsOwnLine() {
    Assumptions.assumeTrue(ElementBarriers.HOLD_WRITES, "run with -Dame4j.elementWrites.hold=true");
    int[] a = HeldElementWritesTest.written(64);
    int[] readSiteAfter = new int[1];
    Ame.atomic(() -> {
      Txn tx = Txn.current();
      Diagnostics.at(tx, STORE_SITE);
      ElementSites.storeInt(a, 5, 9, tx);
      Diagnostics.at(tx, READ_SITE);
      assertEquals(9, HeldElementWritesTest.read(a, 5, tx));
      assertEquals(1, tx.locks.size, "the read took the word's lock");
      assertEquals(STORE_SITE, tx.diag.locks.siteOf(0), "the lock names the store, not the read");
      readSiteAfter[0] = tx.diag.site();
      Diagnostics.at(tx, COMMIT_SITE);
    });
    assertEquals(READ_SITE, readSiteAfter[0], "the read's own site again after the lock");
    assertEquals(STORE_SITE, WriterSites.lastWriter(writerKey(a, 5)));
  }
}
