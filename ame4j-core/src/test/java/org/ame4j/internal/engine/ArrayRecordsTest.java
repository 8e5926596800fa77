package org.ame4j.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.ame4j.Ame;
import org.ame4j.TransactionQueue;
import org.ame4j.testkit.HangGuard;
import org.junit.jupiter.api.Test;

/**
 * Array records ({@link ArrayRecords}, one per stripe of {@link ArrayStripes}): a read-only array
 * is read with no check, and its first transactional writer waits until every attempt that may
 * have read it so has ended (the grace period of {@link ArrayTurns}), asking stragglers to abort
 * after a bound; arrays of different stripes never share a record, and arrays of one
 * stripe conflict (falsely) but never lose or hide an update; readers racing commits never see an
 * inconsistent state (opacity, including attempts that abort); long readers stop aborting after
 * {@code ame4j.longReader.aborts}. The barriers are driven by hand exactly as the agent's twins
 * call them.
 *
 * <p>A stripe written stays written (by default until a queue run's end
 * cools it, {@link StripeCooling}, keeping its words), and earlier tests write arrays, so
 * the tests that need a read-only array draw one from a read-only stripe ({@link #readOnly}).
 */
@HangGuard(seconds = 120)
class ArrayRecordsTest {
  static long read(long[] a, int i, Txn tx) {
    FieldBarriers.beforeReadElement(a, i, tx);
    long v = a[i];
    FieldBarriers.afterReadElement(tx);
    return v;
  }

  static Object read(Object[] a, int i, Txn tx) {
    FieldBarriers.beforeReadElement(a, i, tx);
    Object v = a[i];
    FieldBarriers.afterReadElement(tx);
    return v;
  }

  static void await(CountDownLatch l) {
    try {
      assertTrue(l.await(30, TimeUnit.SECONDS), "the other thread did not get there");
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * A new array from {@code make} whose stripe no transaction has written yet and which is none
   * of {@code others}' stripes.
   */
  static <T> T readOnly(java.util.function.Supplier<T> make, Object... others) {
    for (; ; ) {
      T a = make.get();
      int s = ArrayStripes.of(a);
      boolean free = ArrayStripes.records(s).words() == null;
      for (Object o : others) {
        free &= ArrayStripes.of(o) != s;
      }
      if (free) {
        return a;
      }
    }
  }

  static Thread start(Runnable r) {
    Thread t = new Thread(r);
    t.start();
    return t;
  }

  @Test
  void aReadOnlyArrayIsInNoReadSetHoweverManyElementsAreRead() {
    long[] a = readOnly(() -> new long[1_000]);
    int entries = Ame.atomic(() -> {
      Txn tx = Txn.current();
      for (int i = 0; i < a.length; i++) {
        read(a, i, tx);
      }
      return tx.reads.size;
    });
    assertEquals(0, entries);
    Ame.atomic(() -> FieldWrites.writeElement(a, 7, 1L, Txn.current())); // turns it written
    Txn.noPauseInPlaceForTesting = true; // a long reader's in-place pause would stop the log
    int afterWrite;
    try {
      afterWrite = Ame.atomic(() -> {
        Txn tx = Txn.current();
        for (int i = 0; i < a.length; i++) {
          read(a, i, tx);
        }
        return tx.reads.size;
      });
    } finally {
      Txn.noPauseInPlaceForTesting = false;
    }
    assertEquals(a.length, afterWrite, "a written array is checked element by element");
    assertEquals(1L, a[7]);
  }

  /**
   * The grace period: a reader reads a[0] unchecked while the array is read-only and goes on
   * running; a writer then turns the array written and writes a[0] = a[1] = 1. The writer's
   * stores wait until the reader's attempt has ended, so the reader reads a[1] = 0 next to its
   * a[0] = 0 and commits at its first attempt, serialized before the writer.
   */
  @Test
  void aWriterTurningAnArrayWaitsForItsUncheckedReaders() throws Exception {
    long[] a = readOnly(() -> new long[64]);
    AtomicInteger attempts = new AtomicInteger();
    // a[1] is read through its element word now (published), still before any store.
    List<String> seen = new RacingReader().run(a, attempts);
    assertEquals(List.of("0,0"), seen, "the reader ran before the writer, whole");
    assertEquals(1, attempts.get());
    assertTrue(ArrayStripes.recordsOf(a).ready);
    assertEquals(1L, a[0]);
    assertEquals(1L, a[1]);
  }

  /**
   * The same race with a reader that allocated an array first: its reads go the allocator's way
   * (the stripe before the capture set, {@code ElementBarriers.readOfAllocator}), which must still
   * publish the attempt's bit of the stripe before its first unchecked read, or the writer would
   * not wait for it and the reader would see a[0] = 0 next to a[1] = 1.
   */
  @Test
  void aReaderThatAllocatedAnArrayIsWaitedForToo() throws Exception {
    long[] a = readOnly(() -> new long[64]);
    AtomicInteger attempts = new AtomicInteger();
    List<String> seen = new RacingReader() {
      @Override
      long load(long[] array, int i, Txn tx) {
        if (i == 0) {
          for (int k = 0; k < 6; k++) {
            FieldBarriers.allocated(new long[4], tx); // the front, then the hash set
          }
        }
        return read(array, i, tx);
      }
    }.run(a, attempts);
    assertEquals(List.of("0,0"), seen, "the reader ran before the writer, whole");
    assertEquals(1, attempts.get());
    assertEquals(1L, a[1]);
  }

  /**
   * A reader that read a[0] unchecked and then runs on past the bound ({@code
   * ame4j.turn.waitMicros}) is asked to abort; it sees the request at its next lock (a write to
   * a cell of its own) and ends, the writer goes on, and the reader's second attempt sees the
   * whole write.
   */
  @Test
  void aStragglerIsAskedToAbortAfterTheBound() throws Exception {
    long[] a = readOnly(() -> new long[64]);
    LongCell mine = new LongCell(0);
    AtomicInteger attempts = new AtomicInteger();
    List<String> seen = new RacingReader() {
      @Override
      void duringTurn(Txn tx) {
        sleep(ArrayTurns.KILL_AFTER_NANOS / 1_000_000 + 50); // well past the bound
        tx.write(mine, 1L); // the lock checks the status: the attempt ends here
      }
    }.run(a, attempts);
    assertTrue(seen.stream().allMatch(p -> p.equals("0,0") || p.equals("1,1")), seen.toString());
    assertTrue(attempts.get() >= 2, "the straggler's first attempt had to abort");
  }

  /**
   * A reader racing a writer that turns the read-only array {@code a} written: the reader reads
   * a[0]; its first attempt then waits until the writer (a[0] = a[1] = 1) has published the
   * element words, runs {@link #duringTurn} and reads a[1]. {@link #run} returns "a[0],a[1]" of
   * every attempt that got that far. The hooks do nothing unless a test overrides them.
   */
  static class RacingReader {
    /** Each attempt's load of a[i] (a plain element barrier here). */
    long load(long[] a, int i, Txn tx) {
      return read(a, i, tx);
    }

    /** Every attempt, before its first load. */
    void beginAttempt() {}

    /** The first attempt, after its a[0] and before the writer starts. */
    void beforeTurn(Txn tx) {}

    /** The first attempt, once the writer has published the element words. */
    void duringTurn(Txn tx) {}

    /** Every attempt, after its a[1]. */
    void endAttempt(Txn tx) {}

    /** The test's thread, once the writer has committed. */
    void writerCommitted() {}

    List<String> run(long[] a, AtomicInteger attempts) throws InterruptedException {
      ArrayRecords r = ArrayStripes.recordsOf(a);
      CountDownLatch readFirst = new CountDownLatch(1);
      List<String> seen = new ArrayList<>();
      Thread reader = start(() -> Ame.atomic(() -> {
        Txn tx = Txn.current();
        int attempt = attempts.incrementAndGet();
        beginAttempt();
        long x = load(a, 0, tx);
        if (attempt == 1) {
          beforeTurn(tx);
          readFirst.countDown();
          while (r.words() == null) {
            Thread.onSpinWait(); // the writer has published the element words: it is turning
          }
          duringTurn(tx);
        }
        long y = load(a, 1, tx);
        synchronized (seen) {
          seen.add(x + "," + y);
        }
        endAttempt(tx);
      }));
      await(readFirst);
      Ame.atomic(() -> {
        Txn tx = Txn.current();
        FieldWrites.writeElement(a, 0, 1L, tx);
        FieldWrites.writeElement(a, 1, 1L, tx);
      });
      writerCommitted();
      reader.join();
      return seen;
    }
  }

  /**
   * The turner's own unchecked reads hold until it ends: it reads a[0] while the array is
   * read-only, then writes a[1] (turning it); another writer's a[0] = 5 waits for the turner (it
   * holds the stripe word), so the turner's second read of a[0] sees its first one's value
   * (the other writer may end up inevitable and kill the turner: then a later attempt of the
   * turner sees 5 twice).
   */
  @Test
  void theTurnersOwnUncheckedReadsHoldUntilItEnds() throws Exception {
    long[] a = readOnly(() -> new long[64]);
    CountDownLatch turned = new CountDownLatch(1);
    AtomicInteger attempts = new AtomicInteger();
    List<String> seen = new ArrayList<>();
    Thread turner = start(() -> Ame.atomic(() -> {
      Txn tx = Txn.current();
      attempts.incrementAndGet();
      long x = read(a, 0, tx);
      FieldWrites.writeElement(a, 1, 1L, tx);
      turned.countDown();
      sleep(200); // room for the other writer, were it not made to wait
      long y = read(a, 0, tx);
      synchronized (seen) {
        seen.add(x + "," + y);
      }
    }));
    await(turned);
    Ame.atomic(() -> FieldWrites.writeElement(a, 0, 5L, Txn.current()));
    turner.join();
    assertTrue(seen.stream().allMatch(p -> p.equals("0,0") || p.equals("5,5")), seen.toString());
    assertEquals(5L, a[0]);
    assertEquals(1L, a[1]);
  }

  /**
   * Ordered mode: the older task turns an array that a younger task read unchecked; the younger
   * one then waits for its commit turn, i.e. for the older task, which waits for it in its grace
   * period. The turner asks it to abort at once (a younger task must serialize after it anyway),
   * and the run ends with the sequential program's result.
   */
  @Test
  void anOrderedTurnDoesNotWaitForAYoungerTaskWaitingForItsTurn() {
    for (int round = 0; round < 20; round++) {
      long[] a = readOnly(() -> new long[64]);
      long[] out = new long[2];
      TransactionQueue q = TransactionQueue.ordered();
      q.add(() -> {
        sleep(5); // the younger task reads a[0] meanwhile, and waits for its turn
        FieldWrites.writeElement(a, 0, 7L, Txn.current());
      });
      q.add(() -> {
        Txn tx = Txn.current();
        out[0] = read(a, 0, tx);
      });
      q.run(2);
      assertEquals(7L, out[0], "the younger task must see the older one's write");
      assertEquals(7L, a[0]);
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * A reader reads {@code a[first]}; its first attempt then waits while {@code write} commits in
   * a transaction of its own, and reads {@code a[second]}. Returns "first,second" of the attempt
   * that got through; {@code attempts} counts the reader's attempts.
   */
  static List<String> readAcrossAWrite(long[] a, int first, int second, AtomicInteger attempts,
      Runnable write) throws InterruptedException {
    CountDownLatch readFirst = new CountDownLatch(1);
    CountDownLatch written = new CountDownLatch(1);
    List<String> seen = new ArrayList<>();
    Thread reader = start(() -> Ame.atomic(() -> {
      Txn tx = Txn.current();
      int attempt = attempts.incrementAndGet();
      long x = read(a, first, tx);
      if (attempt == 1) {
        readFirst.countDown();
        await(written);
      }
      long y = read(a, second, tx);
      synchronized (seen) {
        seen.add(x + "," + y);
      }
    }));
    await(readFirst);
    Ame.atomic(write);
    written.countDown();
    reader.join();
    return seen;
  }

  /**
   * Issue 18's lost update, forced, under the grace period: the reader finds the stripe read-only
   * (its bit not published) and is preempted before it publishes its own stripe bit; a writer
   * turns the array written ({@code a[0]++}: its grace period does not wait for a reader without
   * the bit) and commits; the reader publishes its bit and reads {@code a[0] == 1}; a second
   * writer commits {@code a[0]++} through the element's word; the reader writes {@code a[0] =
   * 1 + 1}. Its read must not be an unchecked one (nothing would invalidate it): the reader checks
   * the stripe again after publishing its bit, reads under the element's word, the second
   * writer's commit invalidates it, and the reader's increment lands on top of both (3, not 2).
   */
  @Test
  void aReaderPreemptedWhileTheArrayTurnsWrittenLosesNoLaterUpdate() throws Exception {
    long[] a = readOnly(() -> new long[64]);
    int s = ArrayStripes.of(a);
    Runnable increment = () -> Ame.atomic(() -> {
      Txn tx = Txn.current();
      FieldWrites.writeElement(a, 0, read(a, 0, tx) + 1, tx);
    });
    AtomicInteger attempts = new AtomicInteger();
    Ame.atomic(() -> {
      Txn tx = Txn.current();
      long x;
      if (attempts.incrementAndGet() == 1) {
        // Stripe bits are kept across attempts (Txn.STICKY_STRIPES): this reader has not read
        // the stripe before, as the race needs (with the bit set, the turner would wait for it).
        tx.uncheckedStripes = 0;
        StripesRead.forgetForTesting(tx, s); // the exact set too (ame4j.exactStripes)
        boolean published = ArrayStripes.published(s); // the reader's first load: read-only
        assertFalse(published);
        join(start(increment)); // preempted here: another transaction turns the array written
        // The rest of beforeRead after the stale load: it goes on to the element word (as a
        // fresh beforeRead does, the stripe being published now) unless it may read unchecked.
        if (!ElementBarriers.readsUnchecked(s, tx)) {
          FieldBarriers.beforeReadElement(a, 0, tx);
        }
        x = a[0];
        FieldBarriers.afterReadElement(tx);
        join(start(increment)); // a later write of a[0], through the element's word
      } else {
        x = read(a, 0, tx);
      }
      FieldWrites.writeElement(a, 0, x + 1, tx);
    });
    assertEquals(3L, a[0], "an increment was lost");
    assertEquals(2, attempts.get(), "the reader's first attempt had to abort");
  }

  /**
   * Stripe bits are kept across attempts ({@link Txn#STICKY_STRIPES}), and a kept bit must not
   * let a later attempt read the stripe unchecked once it has turned written: this thread reads
   * a read-only array (its bit set, kept after the commit); another turns the array written and
   * increments {@code a[0]} (this descriptor is idle: no wait); this thread then reads {@code
   * a[0]}, a second increment commits, and this thread's increment must land on top of both (3,
   * not 2): its read was checked under the element's word, and the second increment aborted it.
   */
  @Test
  void aStripeBitKeptFromAnEarlierAttemptStillChecksATurnedStripe() throws Exception {
    long[] a = readOnly(() -> new long[64]);
    long bit = 1L << ArrayStripes.of(a);
    for (int i = 0; i < 2 && !Txn.current().mayHaveReadUnchecked(bit); i++) {
      Ame.atomic(() -> read(a, 0, Txn.current())); // twice at most: bits are cleared now and then
    }
    assertTrue(Txn.current().mayHaveReadUnchecked(bit), "the stripe bit was not kept");
    Runnable increment = () -> Ame.atomic(() -> {
      Txn tx = Txn.current();
      FieldWrites.writeElement(a, 0, read(a, 0, tx) + 1, tx);
    });
    join(start(increment)); // turns the array written
    AtomicInteger attempts = new AtomicInteger();
    Ame.atomic(() -> {
      Txn tx = Txn.current();
      long x = read(a, 0, tx);
      if (attempts.incrementAndGet() == 1) {
        join(start(increment));
      }
      FieldWrites.writeElement(a, 0, x + 1, tx);
    });
    assertEquals(3L, a[0], "an increment was lost");
    assertEquals(2, attempts.get(), "the first attempt had to abort");
  }

  /**
   * Issue 18's lost update as the STAMP hash set met it: the array's first writer reads
   * {@code a[0]} under the array word, turns the array written by writing {@code a[1]}, and is
   * preempted before it writes {@code a[0]}; another transaction increments {@code a[0]} through
   * the element words the turn published. The turner's read of {@code a[0]} is checked against the
   * array word, which it holds itself, so the increment must wait for the turner (or abort it):
   * the turner's {@code +10} and the other's {@code +1} both land (11, not 10).
   */
  @Test
  void noElementIsWrittenWhileAnotherTransactionTurnsTheArrayWritten() throws Exception {
    long[] a = readOnly(() -> new long[64]);
    CountDownLatch incremented = new CountDownLatch(1);
    AtomicInteger attempts = new AtomicInteger();
    Ame.atomic(() -> {
      Txn tx = Txn.current();
      long x = read(a, 0, tx); // under the array word: the array is read-only
      FieldWrites.writeElement(a, 1, 1L, tx); // turns it written
      if (attempts.incrementAndGet() == 1) {
        start(() -> {
          Ame.atomic(() -> {
            Txn t = Txn.current();
            FieldWrites.writeElement(a, 0, read(a, 0, t) + 1, t);
          });
          incremented.countDown();
        });
        try { // a correct engine makes the increment wait for us: give up waiting after a while
          incremented.await(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        }
      }
      FieldWrites.writeElement(a, 0, x + 10, tx);
    });
    assertTrue(incremented.await(30, TimeUnit.SECONDS), "the increment never committed");
    assertEquals(11L, a[0], "an update was lost");
  }

  static void join(Thread t) {
    try {
      t.join();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * Same, but the writer is still running (it holds the array word and has written a[0] in
   * place) when the reader reads.
   */
  @Test
  void aReaderWaitsOrAbortsWhileTheArrayIsBeingTurnedWritten() throws Exception {
    long[] a = readOnly(() -> new long[64]);
    CountDownLatch locked = new CountDownLatch(1);
    CountDownLatch readerDone = new CountDownLatch(1);
    AtomicInteger attempts = new AtomicInteger();
    List<String> seen = new ArrayList<>();
    Thread writer = start(() -> Ame.atomic(() -> {
      Txn tx = Txn.current();
      FieldWrites.writeElement(a, 0, 1L, tx);
      locked.countDown();
      try {
        readerDone.await(200, TimeUnit.MILLISECONDS); // the reader cannot finish before we commit
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
      FieldWrites.writeElement(a, 1, 1L, tx);
    }));
    await(locked);
    Ame.atomic(() -> {
      Txn tx = Txn.current();
      attempts.incrementAndGet();
      long x = read(a, 0, tx);
      long y = read(a, 1, tx);
      synchronized (seen) {
        seen.add(x + "," + y);
      }
    });
    readerDone.countDown();
    writer.join();
    assertEquals(1, seen.size());
    // Either the reader waited the writer out, or (inevitable after its aborts) killed it and
    // ran first; never half of the write.
    assertTrue(seen.get(0).equals("1,1") || seen.get(0).equals("0,0"), seen.get(0));
    assertEquals(1L, a[0]);
    assertEquals(1L, a[1]);
  }

  /**
   * An inevitable transaction reads a read-only array without locking it: another transaction
   * reads the array meanwhile and commits; a writer that would turn the array written waits until
   * the inevitable one ends (it is never asked to abort), which reads the same value twice.
   */
  @Test
  void aWriterWaitsForAnInevitableReaderOfAReadOnlyArray() throws Exception {
    long[] a = readOnly(() -> new long[16]);
    CountDownLatch read = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<Long> seen = new ArrayList<>();
    Thread inevitable = start(() -> Ame.atomic(() -> {
      Txn tx = Txn.current();
      tx.becomeInevitable("test");
      long x = read(a, 0, tx);
      read.countDown();
      await(release);
      long y = read(a, 0, tx);
      synchronized (seen) {
        seen.add(x);
        seen.add(y);
      }
    }));
    await(read);
    assertEquals(0L, (long) Ame.atomic(() -> read(a, 0, Txn.current())), "readers go on");
    Thread writer = start(() -> Ame.atomic(() -> FieldWrites.writeElement(a, 0, 5L, Txn.current())));
    writer.join(200); // room for a writer that would not wait to write now
    release.countDown();
    inevitable.join();
    writer.join();
    assertEquals(List.of(0L, 0L), seen, "the inevitable transaction's reads must hold");
    assertEquals(5L, a[0]);
  }

  /**
   * One transaction holds the lock of every element of {@code a}; another writes every element
   * of {@code b} (same length, same indexes, another stripe) and commits at its first attempt.
   */
  @Test
  void arraysOfDifferentStripesNeverShareARecord() throws Exception {
    int n = 4_096;
    long[][] arrays = new long[64][];
    for (int k = 0; k < arrays.length; k++) {
      arrays[k] = readOnly(() -> new long[n], (Object[]) java.util.Arrays.copyOf(arrays, k));
    }
    for (int k = 1; k < arrays.length; k++) {
      assertNotSame(ArrayStripes.recordsOf(arrays[0]), ArrayStripes.recordsOf(arrays[k]));
    }
    assertSame(ArrayStripes.recordsOf(arrays[0]), ArrayStripes.recordsOf(arrays[0]));
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread holder = start(() -> Ame.atomic(() -> {
      Txn tx = Txn.current();
      for (int i = 0; i < n; i++) {
        FieldWrites.writeElement(arrays[0], i, 1L, tx);
      }
      holding.countDown();
      await(release);
    }));
    await(holding);
    AtomicInteger attempts = new AtomicInteger();
    for (int k = 1; k < arrays.length; k++) {
      long[] b = arrays[k];
      Ame.atomic(() -> {
        attempts.incrementAndGet();
        Txn tx = Txn.current();
        for (int i = 0; i < n; i++) {
          FieldWrites.writeElement(b, i, read(b, i, tx) + 1, tx);
        }
      });
    }
    release.countDown();
    holder.join();
    assertEquals(arrays.length - 1, attempts.get(), "no write to another array met a locked record");
  }

  /**
   * Two arrays of one stripe share its records: once the stripe is written, a reader of {@code a}
   * sees a committed write to {@code b[0]} as a conflict when it reads {@code a[0]} again (a false
   * conflict: the element word it logged changed) and re-runs; it never returns anything but {@code a}'s own values, and the
   * write to {@code b} is not lost.
   */
  @Test
  void arraysOfOneStripeConflictFalselyButLoseNothing() throws Exception {
    long[] a = readOnly(() -> new long[64]);
    long[] found;
    do {
      found = new long[64];
    } while (ArrayStripes.of(found) != ArrayStripes.of(a));
    long[] b = found;
    assertSame(ArrayStripes.recordsOf(a), ArrayStripes.recordsOf(b));
    Ame.atomic(() -> FieldWrites.writeElement(b, 1, 0L, Txn.current())); // turns the stripe
    AtomicInteger attempts = new AtomicInteger();
    List<String> seen = readAcrossAWrite(a, 0, 0, attempts,
        () -> FieldWrites.writeElement(b, 0, 1L, Txn.current()));
    assertEquals(List.of("0,0"), seen);
    assertEquals(2, attempts.get(), "the write to the other array of the stripe is a conflict");
    assertEquals(1L, b[0]);
    assertEquals(0L, a[0]);
  }

  /**
   * Arrays the attempt allocated need no record (the capture set), while the other objects it
   * allocated do not exempt anything else: a shared array is still logged next to fresh objects.
   */
  @Test
  void onlyArraysTheAttemptAllocatedSkipTheirRecords() {
    long[] shared = new long[8];
    Ame.atomic(() -> FieldWrites.writeElement(shared, 1, 0L, Txn.current())); // written

    int[] sizes = Ame.atomic(() -> {
      Txn tx = Txn.current();
      FieldBarriers.allocated(new Object(), tx); // a fresh object that is not an array
      read(shared, 0, tx);
      int afterShared = tx.reads.size;
      long[] mine = new long[8];
      FieldBarriers.allocated(mine, tx);
      FieldWrites.writeElement(mine, 3, 7L, tx);
      read(mine, 3, tx);
      return new int[] {afterShared, tx.reads.size, tx.locks.size};
    });
    assertEquals(1, sizes[0], "the shared array's element word is logged");
    assertEquals(1, sizes[1], "the fresh array is not logged");
    assertEquals(0, sizes[2], "the fresh array is not locked");
  }

  @Test
  void oneRecordsObjectPerArrayEvenUnderConcurrentFirstUse() throws Exception {
    Object[] arrays = new Object[20_000];
    for (int i = 0; i < arrays.length; i++) {
      arrays[i] = new int[1 + i % 5];
    }
    ArrayRecords[][] found = new ArrayRecords[4][arrays.length];
    Thread[] threads = new Thread[found.length];
    for (int t = 0; t < threads.length; t++) {
      int me = t;
      threads[t] = start(() -> {
        for (int i = 0; i < arrays.length; i++) {
          found[me][i] = ArrayStripes.recordsOf(arrays[i]);
        }
      });
    }
    for (Thread t : threads) {
      t.join();
    }
    for (int i = 0; i < arrays.length; i++) {
      for (int t = 1; t < found.length; t++) {
        assertSame(found[0][i], found[t][i], "array " + i + " got two records objects");
      }
    }
  }

  /**
   * Opacity with arrays that start read-only and get written while readers run: elements hold
   * money moved by transfers; readers sum every element (long readers, racing the commits) and
   * every attempt, committed or not, must see the exact total.
   */
  @Test
  void readersRacingCommitsAlwaysSeeAConsistentState() {
    for (int workers : new int[] {2, 3, 4}) {
      int n = 512;
      long[] money = new long[n];
      java.util.Arrays.fill(money, 100);
      long total = 100L * n;
      AtomicLong broken = new AtomicLong();
      AtomicLong sums = new AtomicLong();
      TransactionQueue q = new TransactionQueue();
      SplittableRandom r = new SplittableRandom(workers);
      for (int t = 0; t < 6_000; t++) {
        if (t % 40 == 39) {
          q.add(() -> {
            Txn tx = Txn.current();
            long s = 0;
            for (int i = 0; i < n; i++) {
              s += read(money, i, tx);
            }
            sums.incrementAndGet();
            if (s != total) {
              broken.incrementAndGet(); // seen inside the attempt: must never happen
            }
          });
        } else if (t > 1_000) { // the first thousand tasks only read: the array is read-only
          int from = r.nextInt(n);
          int to = r.nextInt(n);
          long amount = 1 + r.nextInt(9);
          q.add(() -> {
            Txn tx = Txn.current();
            FieldWrites.writeElement(money, from, read(money, from, tx) - amount, tx);
            FieldWrites.writeElement(money, to, read(money, to, tx) + amount, tx);
          });
        } else {
          int i = r.nextInt(n);
          q.add(() -> read(money, i, Txn.current()));
        }
      }
      q.run(workers);
      assertEquals(0, broken.get(), workers + " workers: an attempt saw a wrong total");
      assertTrue(sums.get() >= 6_000 / 40, "every audit ran");
      long s = 0;
      for (long m : money) {
        s += m;
      }
      assertEquals(total, s, workers + " workers: money created or lost");
    }
  }

  /**
   * A long reader that keeps failing validation re-runs pausing commits ({@link CommitPause}) after
   * {@code ame4j.longReader.aborts} (2) aborts, not after {@code ame4j.maxAborts} (16): its first
   * two attempts are made to fail, the third pauses commits (it is not inevitable) and commits.
   */
  @Test
  void aLongReaderReRunsPausingCommitsAfterTwoAborts() throws Exception {
    long[] data = new long[1_024];
    Ame.atomic(() -> FieldWrites.writeElement(data, 0, 0L, Txn.current())); // written: a word each
    AtomicInteger attempts = new AtomicInteger();
    List<Boolean> inevitable = new ArrayList<>();
    List<Boolean> paused = new ArrayList<>();
    Txn.noPauseInPlaceForTesting = true; // it commits mid-read, which a pause would hold back
    try {
      readTwiceDisturbed(data, attempts, inevitable, paused);
    } finally {
      Txn.noPauseInPlaceForTesting = false;
    }
    assertEquals(List.of(false, false, false), inevitable);
    assertEquals(List.of(false, false, true), paused);
    assertEquals(2L, data[5]);
  }

  private static void readTwiceDisturbed(long[] data, AtomicInteger attempts,
      List<Boolean> inevitable, List<Boolean> paused) {
    Ame.atomic(() -> {
      Txn tx = Txn.current();
      int attempt = attempts.incrementAndGet();
      inevitable.add(tx.isInevitable());
      paused.add(tx.paused);
      for (int i = 0; i < data.length; i++) {
        read(data, i, tx);
      }
      if (attempt <= 2) {
        // A writer commits to what we read, then we read something newer: validation fails.
        Thread w = start(() -> Ame.atomic(() -> {
          Txn wtx = Txn.current();
          FieldWrites.writeElement(data, 5, attempt, wtx);
        }));
        try {
          w.join();
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        }
        read(data, 5, tx);
      }
    });
  }

  /**
   * The bank with audits over arrays: accounts in a read-only {@code Object[]} (never written by
   * a task), balances in a written {@code long[]}; transfers and audits on 2 to 4 workers. Every
   * audit attempt sees the total, the total is conserved, every audit commits.
   */
  @Test
  void bankWithAuditsKeepsItsInvariantsOn2To4Workers() {
    int n = 256;
    Object[] owners = readOnly(() -> new Object[n]);
    for (int i = 0; i < n; i++) {
      owners[i] = "account " + i;
    }
    for (int workers : new int[] {2, 3, 4}) {
      long[] balance = readOnly(() -> new long[n], owners);
      java.util.Arrays.fill(balance, 1_000);
      AtomicLong audits = new AtomicLong();
      AtomicLong broken = new AtomicLong();
      TransactionQueue q = new TransactionQueue();
      SplittableRandom r = new SplittableRandom(31 * workers);
      int tasks = 10_000;
      for (int t = 0; t < tasks; t++) {
        if (t % 128 == 127) {
          q.add(() -> {
            Txn tx = Txn.current();
            long sum = 0;
            for (int i = 0; i < n; i++) {
              if (read(owners, i, tx) == null) {
                broken.incrementAndGet();
              }
              sum += read(balance, i, tx);
            }
            if (sum != 1_000L * n) {
              broken.incrementAndGet();
            }
            audits.incrementAndGet();
          });
        } else {
          int from = r.nextInt(n);
          int to = (from + 1 + r.nextInt(n - 1)) % n;
          long amount = 1 + r.nextInt(50);
          q.add(() -> {
            Txn tx = Txn.current();
            read(owners, from, tx);
            read(owners, to, tx);
            FieldWrites.writeElement(balance, from, read(balance, from, tx) - amount, tx);
            FieldWrites.writeElement(balance, to, read(balance, to, tx) + amount, tx);
          });
        }
      }
      q.run(workers);
      assertEquals(0, broken.get(), workers + " workers: an audit attempt saw a wrong total");
      assertTrue(audits.get() >= tasks / 128, workers + " workers: an audit did not run");
      long sum = 0;
      for (long b : balance) {
        sum += b;
      }
      assertEquals(1_000L * n, sum, workers + " workers: money created or lost");
      assertEquals(null, ArrayStripes.recordsOf(owners).words(), "nobody wrote the owners array");
    }
  }

  /**
   * {@code Ame.retry()} after reading arrays waits for a write to what it read: the read set logs
   * array words by number, and the copy that retry waits on must read those entries through their
   * numbers too (found by the agent's history stress run on JDK 25: an
   * ArrayIndexOutOfBoundsException into the striped table, from {@code ReadSet.copyForRetry}).
   */
  @Test
  void aRetryAfterReadingArraysWaitsForAWriteToThem() throws Exception {
    long[] readOnly = new long[8];
    long[] written = new long[8];
    Ame.atomic(() -> FieldWrites.writeElement(written, 3, 1L, Txn.current())); // per-element words
    AtomicInteger attempts = new AtomicInteger();
    AtomicLong seen = new AtomicLong();
    AtomicReference<Throwable> failed = new AtomicReference<>();
    Thread waiter = start(() -> {
      try {
        seen.set(Ame.atomic(() -> {
          Txn tx = Txn.current();
          attempts.incrementAndGet();
          long x = read(readOnly, 0, tx) + read(written, 3, tx);
          if (x == 1) {
            Ame.retry(); // until somebody writes one of the two
          }
          return x;
        }));
      } catch (Throwable t) {
        failed.set(t);
      }
    });
    while (attempts.get() == 0) {
      Thread.onSpinWait();
    }
    Ame.atomic(() -> FieldWrites.writeElement(readOnly, 0, 6L, Txn.current()));
    waiter.join();
    assertNull(failed.get(), () -> "the retry failed: " + failed.get());
    assertEquals(7L, seen.get(), "the waiter woke up and read the write");
    assertTrue(attempts.get() >= 2);
  }
}
