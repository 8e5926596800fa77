package org.ame4j.internal.engine;

import static org.ame4j.internal.engine.ArrayRecordsTest.await;
import static org.ame4j.internal.engine.ArrayRecordsTest.readOnly;
import static org.ame4j.internal.engine.ArrayRecordsTest.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.ame4j.Ame;
import org.ame4j.internal.engine.ArrayRecordsTest.RacingReader;
import org.ame4j.testkit.HangGuard;
import org.junit.jupiter.api.Test;

/**
 * Hoisted checks ({@code FieldBarriers.beforeReadElementAt}, the agent's per-site local of the
 * last array a load site found readable unchecked): only fresh arrays and arrays of read-only
 * stripes with the attempt's bit published are kept; a kept array's later loads skip the barrier
 * and still see the attempt's snapshot when the array turns written meanwhile, even after its
 * turner asked the attempt to abort; a written array is checked at every load. The barriers are
 * driven by hand exactly as a twin's load site calls them ({@link #readAt}).
 */
@HangGuard(seconds = 120)
class HoistedChecksTest {
  /** One load site with a hoisted check: {@code site[0]} is its local. */
  static long readAt(long[] a, int i, Object[] site, Txn tx) {
    site[0] = FieldBarriers.beforeReadElementAt(a, i, site[0], tx);
    long v = a[i];
    FieldBarriers.afterReadElement(tx);
    return v;
  }

  /** A read-only array whose stripe bit ({@code stripe & 63}) is not {@code a}'s. */
  static long[] otherBit(long[] a) {
    for (; ; ) {
      long[] b = readOnly(() -> new long[64], a);
      if (((ArrayStripes.of(a) ^ ArrayStripes.of(b)) & 63) != 0) {
        return b;
      }
    }
  }

  @Test
  void onlyFreshAndUncheckedArraysAreKept() {
    long[] readOnly = readOnly(() -> new long[64]);
    long[] written = readOnly(() -> new long[64], readOnly);
    Ame.atomic(() -> FieldWrites.writeElement(written, 3, 7L, Txn.current()));
    Ame.atomic(() -> {
      Txn tx = Txn.current();
      Object[] site = {null};
      readAt(written, 3, site, tx);
      assertNull(site[0], "a written array is never kept");
      assertEquals(1, tx.reads.size, "and its element is logged");
      assertNull(FieldBarriers.beforeReadElementAt(null, 0, null, tx), "null: the load throws");
      readAt(readOnly, 0, site, tx);
      assertSame(readOnly, site[0]);
      readAt(written, 3, site, tx);
      assertSame(readOnly, site[0], "a written array leaves the kept one in place");
      assertEquals(2, tx.reads.size);
      long[] fresh = new long[8];
      FieldBarriers.allocated(fresh, tx);
      readAt(fresh, 1, site, tx);
      assertSame(fresh, site[0]);
      readAt(fresh, 2, site, tx);
      assertEquals(2, tx.reads.size, "fresh and read-only arrays are in no read set");
    });
  }

  /**
   * A reader keeps a read-only array at its site (a[0]), then reads another read-only array of
   * another stripe bit (its bit joins a's, never replaces it); a writer then turns {@code a}
   * written (a[0] = a[1] = 1) and, past the bound, asks the reader to abort. The reader's next
   * load at the site (a[1]) skips every check: it must still see 0, because the turner waits for
   * the attempt to end before any store, request or not. The reader ends at its next lock and
   * its second attempt sees the whole write.
   */
  @Test
  void aKeptArraySeesTheSnapshotAfterItsTurnerAskedTheReaderToAbort() throws Exception {
    long[] a = readOnly(() -> new long[64]);
    long[] b = otherBit(a);
    LongCell mine = new LongCell(0);
    AtomicInteger attempts = new AtomicInteger();
    List<String> seen = new SiteReader() {
      @Override
      void beforeTurn(Txn tx) {
        readAt(b, 0, new Object[1], tx);
        assertSame(a, site[0]);
      }

      @Override
      void duringTurn(Txn tx) {
        sleep(ArrayTurns.KILL_AFTER_NANOS / 1_000_000 + 50); // past the bound: asked to abort
      }

      @Override
      void endAttempt(Txn tx) {
        tx.write(mine, 1L); // the lock checks the status: the first attempt ends here
      }
    }.run(a, attempts);
    assertEquals("0,0", seen.get(0), "the first attempt read before the writer's stores: " + seen);
    assertTrue(seen.stream().allMatch(p -> p.equals("0,0") || p.equals("1,1")), seen.toString());
    assertTrue(attempts.get() >= 2, "the straggler's first attempt had to abort");
    assertEquals(1L, a[1]);
  }

  /**
   * A written array is checked at every load of a site: a reader reads a[0] at its site, a
   * writer commits a[0] = a[1] = 1, and the reader's next load at the site (a[1]) finds a newer
   * version and a read set that no longer holds, so the attempt aborts instead of pairing the
   * old a[0] with the new a[1].
   */
  @Test
  void aWrittenArrayIsCheckedAtEveryLoadOfASite() throws Exception {
    long[] a = readOnly(() -> new long[64]);
    Ame.atomic(() -> FieldWrites.writeElement(a, 5, 1L, Txn.current())); // written now
    AtomicInteger attempts = new AtomicInteger();
    CountDownLatch written = new CountDownLatch(1);
    List<String> seen = new SiteReader() {
      @Override
      void duringTurn(Txn tx) {
        await(written);
      }

      @Override
      void writerCommitted() {
        written.countDown();
      }
    }.run(a, attempts);
    assertEquals(List.of("1,1"), seen, "the first attempt aborted at its second load");
    assertEquals(2, attempts.get());
  }

  /** {@link RacingReader} whose loads of {@code a} are one load site with a hoisted check. */
  static class SiteReader extends RacingReader {
    Object[] site;

    @Override
    void beginAttempt() {
      site = new Object[1]; // a twin invocation's local
    }

    @Override
    long load(long[] array, int i, Txn tx) {
      return readAt(array, i, site, tx);
    }
  }
}
