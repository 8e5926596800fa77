package org.ame4j.internal.engine;

import static org.ame4j.internal.engine.ArrayRecordsTest.read;
import static org.ame4j.internal.engine.ArrayRecordsTest.readOnly;
import static org.ame4j.internal.engine.ArrayRecordsTest.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.ame4j.Ame;
import org.ame4j.testkit.HangGuard;
import org.junit.jupiter.api.Test;

/**
 * The exact set of stripes read unchecked ({@link StripesRead}): a turner waits for a running
 * attempt that read its stripe, and not for one that read only another stripe with the same
 * {@code stripe & 63} bit (a coarse k-means block's 1,000 point rows set every bit of the mask).
 * Two read-only arrays {@code a} and {@code b} of such stripes, driven by hand as twins call the
 * barriers.
 */
@HangGuard(seconds = 120)
class StripesReadTest {
  /** A read-only array of a stripe other than {@code a}'s with the same low six bits. */
  static long[] sameLowBits(long[] a) {
    int sa = ArrayStripes.of(a);
    for (; ; ) {
      long[] b = readOnly(() -> new long[64], a);
      if ((ArrayStripes.of(b) & 63) == (sa & 63)) {
        return b;
      }
    }
  }

  /**
   * A reader that read only {@code b} keeps running while a writer turns {@code a} written and
   * commits: the writer waits for nobody (with the 64-bit mask it waited for the reader's
   * whole attempt, then asked it to abort).
   */
  @Test
  void aTurnerDoesNotWaitForAReaderOfAnotherStripeWithTheSameBit() throws Exception {
    if (!StripesRead.ON) {
      return; // the default, -Dame4j.exactStripes=false: the mask waits for it, as before
    }
    long[] a = readOnly(() -> new long[64]);
    long[] b = sameLowBits(a);
    CountDownLatch readB = new CountDownLatch(1);
    CountDownLatch written = new CountDownLatch(1);
    AtomicInteger attempts = new AtomicInteger();
    List<Boolean> writerEndedFirst = new ArrayList<>();
    Thread reader = start(() -> Ame.atomic(() -> {
      Txn tx = Txn.current();
      attempts.incrementAndGet();
      long x = read(b, 0, tx);
      readB.countDown();
      boolean ended = await(written, 5_000); // the writer commits while this attempt runs
      synchronized (writerEndedFirst) {
        writerEndedFirst.add(ended);
      }
      return x + read(b, 1, tx);
    }));
    ArrayRecordsTest.await(readB);
    Ame.atomic(() -> FieldWrites.writeElement(a, 0, 1L, Txn.current()));
    written.countDown();
    ArrayRecordsTest.join(reader);
    assertEquals(List.of(true), writerEndedFirst, "the turner waited for a reader of another stripe");
    assertEquals(1, attempts.get());
    assertEquals(1L, a[0]);
  }

  /**
   * A reader that read {@code b}, then {@code a} (its bit of the mask already set by {@code b})
   * must still publish {@code a}'s own bit before it reads {@code a} unchecked: a writer turning
   * {@code a} waits for it, so the reader sees {@code a[0]} and {@code a[1]} from before the
   * write ("0,0"), never half of it.
   */
  @Test
  void aReaderOfASecondStripeWithTheSameBitIsWaitedFor() throws Exception {
    long[] a = readOnly(() -> new long[64]);
    long[] b = sameLowBits(a);
    CountDownLatch readA = new CountDownLatch(1);
    CountDownLatch written = new CountDownLatch(1);
    List<String> seen = new ArrayList<>();
    Thread reader = start(() -> Ame.atomic(() -> {
      Txn tx = Txn.current();
      read(b, 0, tx);
      long x = read(a, 0, tx);
      readA.countDown();
      await(written, 300); // the writer waits for this attempt: it ends first
      long y = read(a, 1, tx);
      synchronized (seen) {
        seen.add(x + "," + y);
      }
    }));
    ArrayRecordsTest.await(readA);
    Ame.atomic(() -> {
      Txn tx = Txn.current();
      FieldWrites.writeElement(a, 0, 1L, tx);
      FieldWrites.writeElement(a, 1, 1L, tx);
    });
    written.countDown();
    ArrayRecordsTest.join(reader);
    assertTrue(seen.stream().allMatch(p -> p.equals("0,0") || p.equals("1,1")), seen.toString());
    assertEquals("0,0", seen.get(0), "the reader's first attempt ran before the writer, whole");
  }

  static boolean await(CountDownLatch l, long millis) {
    try {
      return l.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
