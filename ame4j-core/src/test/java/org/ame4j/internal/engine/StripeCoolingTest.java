package org.ame4j.internal.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.ame4j.Ame;
import org.ame4j.TransactionQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Written stripes turning read-only again at the end of a queue run ({@link StripeCooling}): the
 * arrays a run wrote are read unchecked afterwards and turn written again at their next write;
 * a cooling never lets an attempt that began before a commit to the stripe read the committed
 * value unchecked (opacity: it gives up while such an attempt runs); a stencil whose steps write
 * one grid and read the other computes what the sequential loop computes, on two workers. The
 * barriers are driven by hand as the agent's twins call them.
 */
@Timeout(120)
class StripeCoolingTest {
  private static int entriesAfterReadingAll(long[] a) {
    return Ame.atomic(() -> {
      Txn tx = Txn.current();
      for (int i = 0; i < a.length; i++) {
        ArrayRecordsTest.read(a, i, tx);
      }
      return tx.reads.size;
    });
  }

  @Test
  void anArrayARunWroteIsReadUncheckedAfterItAndTurnsWrittenAgainAtItsNextWrite() {
    long[] a = ArrayRecordsTest.readOnly(() -> new long[256]);
    int s = ArrayStripes.of(a);
    TransactionQueue q = new TransactionQueue();
    for (int i = 0; i < a.length; i++) {
      int j = i;
      q.add(() -> FieldWrites.writeElement(a, j, j + 1L, Txn.current()));
    }
    long cooledBefore = StripeCooling.cooledTotal();
    q.run(1);
    if (!StripeCooling.ON) {
      StripeCooling.cool(); // what the run's end does by default
    }
    assertFalse(ArrayStripes.published(s), "the run's end cooled the stripe");
    assertTrue(StripeCooling.cooledTotal() > cooledBefore);
    assertEquals(0, entriesAfterReadingAll(a), "read unchecked: nothing logged");
    assertEquals(256L, a[255]);

    Ame.atomic(() -> FieldWrites.writeElement(a, 3, 40L, Txn.current()));
    assertTrue(ArrayStripes.published(s) && ArrayStripes.records(s).ready, "turned again");
    assertEquals(a.length, entriesAfterReadingAll(a), "written again: checked element by element");
    assertEquals(40L, a[3]);
  }

  /** One queue run that writes {@code a[0]} on one worker, then the run's end (a cooling). */
  private static void runWriting(long[] a, long v) {
    TransactionQueue q = new TransactionQueue();
    q.add(() -> FieldWrites.writeElement(a, 0, v, Txn.current()));
    q.run(1);
    if (!StripeCooling.ON) {
      StripeCooling.cool();
    }
  }

  /**
   * An array that every run writes stays written from its second run on (no turn per run, no
   * whole-array conflict between its writers), while arrays that runs write in turn, as the
   * grids of a stencil, cool at every run's end: another array turning the same stripe does not
   * keep it written.
   */
  @Test
  void anArrayWrittenByTwoRunsInARowStaysWrittenAndAlternatingArraysCool() {
    long[] a = ArrayRecordsTest.readOnly(() -> new long[64]);
    int s = ArrayStripes.of(a);
    runWriting(a, 1);
    assertFalse(ArrayStripes.published(s), "written by one run: cooled at its end");
    runWriting(a, 2);
    assertTrue(ArrayStripes.published(s) && ArrayStripes.records(s).ready, "written by two runs in a row: kept");
    long[] other = ArrayRecordsTest.readOnly(() -> new long[64], a);
    runWriting(other, 3); // a cooling that turns other's stripe read-only again
    assertFalse(ArrayStripes.published(ArrayStripes.of(other)));
    assertTrue(ArrayStripes.published(s) && ArrayStripes.records(s).ready, "still written at the next cooling");
    assertEquals(64, entriesAfterReadingAll(a), "checked element by element");

    long[] even = ArrayRecordsTest.readOnly(() -> new long[64], a, other);
    long[] odd = sameStripe(even);
    for (int run = 0; run < 4; run++) {
      long[] grid = run % 2 == 0 ? even : odd;
      runWriting(grid, run);
      assertFalse(ArrayStripes.published(ArrayStripes.of(grid)), "run " + run + ": two arrays in turn cool");
      assertEquals(0, entriesAfterReadingAll(grid), "read unchecked after run " + run);
    }
  }

  /**
   * A stripe kept written run after run is kept for {@link StripeCooling#KEEP_FOR} coolings
   * without a new turn, then cooled: its array may have stopped being written (a program that
   * made new arrays for each of its runs), and a kept stripe must not stay written for the life
   * of the JVM (a JVM that ran k-means 30 times read the point rows of 300 such stripes checked).
   * An array still written run after run turns it again at its next write and keeps its values.
   */
  @Test
  void aKeptStripeCoolsAfterKeepForCoolingsWithoutATurn() {
    assumeTrue(StripeCooling.KEEP_FOR > 0, "-Dame4j.coolStripes.keepFor=0: kept for good");
    long[] a = ArrayRecordsTest.readOnly(() -> new long[64]);
    int s = ArrayStripes.of(a);
    runWriting(a, 1);
    runWriting(a, 2);
    assertTrue(ArrayStripes.published(s) && ArrayStripes.records(s).ready, "written by two runs in a row: kept");
    for (int k = 1; k < StripeCooling.KEEP_FOR; k++) {
      long[] other = ArrayRecordsTest.readOnly(() -> new long[64], a);
      runWriting(other, k); // a run that writes another array only: a cooling that keeps a
      assertTrue(ArrayStripes.published(s), "kept at cooling " + (k + 1) + " of " + StripeCooling.KEEP_FOR);
    }
    long[] last = ArrayRecordsTest.readOnly(() -> new long[64], a);
    runWriting(last, 9);
    assertFalse(ArrayStripes.published(s), "cooled after " + StripeCooling.KEEP_FOR + " coolings kept it");
    assertEquals(0, entriesAfterReadingAll(a), "read unchecked again");
    assertEquals(2L, a[0]);

    runWriting(a, 3); // still written: turned again (cooled at this run's end: one turn since)
    runWriting(a, 4);
    assertTrue(ArrayStripes.published(s) && ArrayStripes.records(s).ready, "written run after run: kept again");
    assertEquals(4L, a[0]);
  }

  /** A new array of {@code array}'s stripe (one allocation in {@value ArrayStripes#COUNT} or so). */
  private static long[] sameStripe(long[] array) {
    int s = ArrayStripes.of(array);
    for (; ; ) {
      long[] b = new long[64];
      if (ArrayStripes.of(b) == s) {
        return b;
      }
    }
  }

  /**
   * A reader begins and reads {@code x = 0}; a writer then commits {@code x = 1, a[0] = 1}
   * (a written array). A cooling while the reader still runs must not let it read {@code a[0]}
   * unchecked: the value is newer than its snapshot and {@code x = 0} is what it saw. The cooling
   * gives up (the reader runs past its bound), the stripe stays written, and the reader's checked
   * read of {@code a[0]} aborts it: it sees (0, 0) or (1, 1), never (0, 1).
   */
  @Test
  void aCoolingNeverShowsAnOlderSnapshotACommitItDidNotSee() throws Exception {
    long[] a = ArrayRecordsTest.readOnly(() -> new long[64]);
    int s = ArrayStripes.of(a);
    LongCell x = new LongCell(0);
    Ame.atomic(() -> FieldWrites.writeElement(a, 1, 5L, Txn.current())); // a is written
    CountDownLatch readX = new CountDownLatch(1);
    CountDownLatch cooled = new CountDownLatch(1);
    List<String> seen = new CopyOnWriteArrayList<>();
    Thread reader = ArrayRecordsTest.start(() -> Ame.atomic(() -> {
      Txn tx = Txn.current();
      long vx = tx.read(x);
      readX.countDown();
      ArrayRecordsTest.await(cooled);
      long va = ArrayRecordsTest.read(a, 0, tx);
      seen.add(vx + "," + va);
    }));
    ArrayRecordsTest.await(readX);
    Ame.atomic(() -> {
      Txn tx = Txn.current();
      tx.write(x, 1L);
      FieldWrites.writeElement(a, 0, 1L, tx);
    });
    int n = StripeCooling.cool();
    cooled.countDown();
    ArrayRecordsTest.join(reader);
    assertFalse(seen.contains("0,1"), "read a commit newer than its snapshot unchecked: " + seen);
    assertEquals("1,1", seen.get(seen.size() - 1));
    assertEquals(0, n, "no stripe cools while an attempt that began before its commit runs");
    assertTrue(ArrayStripes.published(s) && ArrayStripes.records(s).ready, "still written");
  }

  /**
   * A writer that turns the stripe written again after the cooling marked it not ready, and
   * before the cooling clears its bit, keeps it written: readers check its elements, and they
   * see the write.
   */
  @Test
  void aStripeTurnedAgainDuringTheCoolingStaysWritten() {
    long[] a = ArrayRecordsTest.readOnly(() -> new long[64]);
    int s = ArrayStripes.of(a);
    Ame.atomic(() -> FieldWrites.writeElement(a, 1, 5L, Txn.current())); // a is written
    StripeCooling.beforeClearForTesting = () -> {
      Thread writer = ArrayRecordsTest.start(
          () -> Ame.atomic(() -> FieldWrites.writeElement(a, 0, 7L, Txn.current())));
      ArrayRecordsTest.join(writer);
    };
    try {
      StripeCooling.cool();
    } finally {
      StripeCooling.beforeClearForTesting = null;
    }
    assertTrue(ArrayStripes.published(s) && ArrayStripes.records(s).ready, "still written");
    assertEquals(a.length, entriesAfterReadingAll(a), "checked element by element");
    assertEquals(7L, a[0]);
  }

  /** A heat stencil, rows written by one step read by the next: the sequential grid, exactly. */
  @Test
  void aStencilOnTwoWorkersComputesTheSequentialGrid() {
    int n = 66;
    int steps = 12;
    long[][] cur = new long[n][n];
    long[][] next = new long[n][n];
    long[][] a = new long[n][n];
    long[][] b = new long[n][n];
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < n; c++) {
        cur[r][c] = next[r][c] = a[r][c] = b[r][c] = (r * 31L + c * 17L) % 101;
      }
    }
    TransactionQueue q = new TransactionQueue();
    for (int step = 0; step < steps; step++) {
      long[][] from = cur;
      long[][] to = next;
      for (int r = 1; r < n - 1; r++) {
        int row = r;
        q.add(() -> stencilRow(from, to, row, Txn.current()));
      }
      q.run(2);
      if (!StripeCooling.ON) {
        StripeCooling.cool();
      }
      cur = to;
      next = from;
      for (int r = 1; r < n - 1; r++) {
        for (int c = 1; c < n - 1; c++) {
          b[r][c] = a[r][c] + (a[r - 1][c] + a[r + 1][c] + a[r][c - 1] + a[r][c + 1]) / 4 - a[r][c] / 2;
        }
      }
      long[][] t = a;
      a = b;
      b = t;
    }
    for (int r = 0; r < n; r++) {
      assertArrayEquals(a[r], cur[r], "row " + r);
    }
  }

  private static void stencilRow(long[][] from, long[][] to, int r, Txn tx) {
    long[] up = from[r - 1];
    long[] row = from[r];
    long[] down = from[r + 1];
    long[] out = to[r];
    for (int c = 1; c < row.length - 1; c++) {
      long v = ArrayRecordsTest.read(row, c, tx);
      long sum = ArrayRecordsTest.read(up, c, tx) + ArrayRecordsTest.read(down, c, tx)
          + ArrayRecordsTest.read(row, c - 1, tx) + ArrayRecordsTest.read(row, c + 1, tx);
      FieldWrites.writeElement(out, c, v + sum / 4 - v / 2, tx);
    }
  }
}
