package org.ame4j.internal.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.ame4j.Ame;
import org.ame4j.testkit.HangGuard;
import org.junit.jupiter.api.Test;

/**
 * The compact element write ({@link ElementBarriers#COMPACT_WRITES}: {@link Txn#acquireElement}
 * and {@link UndoLog#addElement}), with whatever switch the JVM runs: a rollback restores every
 * element written, repeated writes included; a word another transaction committed after this
 * attempt's snapshot is not locked without the extension (no lost update); two writers of one
 * element never both pass its word.
 */
@HangGuard(seconds = 120)
class ElementWritesTest {
  @Test
  void aRolledBackAttemptRestoresEveryElementItWroteOfEveryPrimitiveType() {
    int[] i = {1, 2};
    long[] l = {3, 4};
    double[] d = {0.5, 1.5};
    float[] f = {2.5f, 3.5f};
    boolean[] z = {true, false};
    byte[] b = {5, 6};
    short[] s = {7, 8};
    char[] c = {'a', 'b'};
    Ame.atomic(() -> { // turn every stripe written, so that the next attempt locks element words
      Txn tx = Txn.current();
      FieldWrites.writeElement(i, 0, 1, tx);
      FieldWrites.writeElement(l, 0, 3L, tx);
      FieldWrites.writeElement(d, 0, 0.5, tx);
      FieldWrites.writeElement(f, 0, 2.5f, tx);
      FieldWrites.writeElement(z, 0, true, tx);
      FieldWrites.writeElement(b, 0, (byte) 5, tx);
      FieldWrites.writeElement(s, 0, (short) 7, tx);
      FieldWrites.writeElement(c, 0, 'a', tx);
    });
    long[] scratch = new long[64];
    Arrays.fill(scratch, 0x5A5A5A5AL);
    Ame.atomic(() -> { // this thread's undo slots now hold other old values than ours
      Txn tx = Txn.current();
      for (int k = 0; k < scratch.length; k++) {
        FieldWrites.writeElement(scratch, k, 0x5A5A5A5AL, tx);
      }
    });
    AtomicInteger logged = new AtomicInteger();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Ame.atomic(() -> {
      Txn tx = Txn.current();
      for (int k = 0; k < 2; k++) { // twice: the second write finds the word held already
        FieldWrites.writeElement(i, k, 10 + k, tx);
        FieldWrites.writeElement(l, k, 30L + k, tx);
        FieldWrites.writeElement(d, k, 9.25, tx);
        FieldWrites.writeElement(f, k, 9.5f, tx);
        FieldWrites.writeElement(z, k, k == 0 ? false : true, tx);
        FieldWrites.writeElement(b, k, (byte) 50, tx);
        FieldWrites.writeElement(s, k, (short) 70, tx);
        FieldWrites.writeElement(c, k, 'z', tx);
        BlindAdds.addElement(i, k, 100, tx);
        BlindAdds.addElement(l, k, 100L, tx);
        BlindAdds.addElement(d, k, 100.0, tx);
        BlindAdds.addElement(f, k, 100f, tx);
      }
      for (int n = 0; n < tx.undo.size; n++) {
        assertNull(tx.undo.handles[n], "an element entry holds no handle");
        assertNull(tx.undo.refs[n], "nor a reference value");
      }
      // a store held until commit (HeldElementWrites: the bastores here) needs no old value
      logged.set(tx.undo.size + tx.heldWrites.size);
      throw new IllegalStateException("roll back");
    }));
    assertEquals("roll back", e.getMessage());
    assertEquals(2 * 12, logged.get(), "every write logged its old value or was held");
    assertArrayEquals(new int[] {1, 2}, i);
    assertArrayEquals(new long[] {3, 4}, l);
    assertArrayEquals(new double[] {0.5, 1.5}, d);
    assertArrayEquals(new float[] {2.5f, 3.5f}, f);
    assertArrayEquals(new boolean[] {true, false}, z);
    assertArrayEquals(new byte[] {5, 6}, b);
    assertArrayEquals(new short[] {7, 8}, s);
    assertArrayEquals(new char[] {'a', 'b'}, c);
  }

  @Test
  void anElementWrittenAfterTheSnapshotIsNotLockedWithoutExtending() throws Exception {
    long[] a = {0};
    Ame.atomic(() -> FieldWrites.writeElement(a, 0, 0L, Txn.current())); // written stripe
    CountDownLatch read = new CountDownLatch(1);
    CountDownLatch committed = new CountDownLatch(1);
    AtomicInteger attempts = new AtomicInteger();
    Thread slow = ArrayRecordsTest.start(() -> Ame.atomic(() -> {
      Txn tx = Txn.current();
      long x = ArrayRecordsTest.read(a, 0, tx);
      if (attempts.incrementAndGet() == 1) {
        read.countDown();
        ArrayRecordsTest.await(committed); // another increment commits meanwhile
      }
      FieldWrites.writeElement(a, 0, x + 1, tx); // the word is newer than our snapshot now
    }));
    ArrayRecordsTest.await(read);
    Ame.atomic(() -> BlindAdds.addElement(a, 0, 1L, Txn.current()));
    committed.countDown();
    slow.join();
    assertEquals(2L, a[0], "an increment was lost");
    assertEquals(2, attempts.get(), "the slow increment re-ran on the new value");
  }

  @Test
  void concurrentIncrementsOfOneElementAreNeverLost() throws Exception {
    int[] counts = new int[8];
    double[] sums = new double[8];
    int threads = 4;
    int each = 20_000;
    Thread[] t = new Thread[threads];
    for (int n = 0; n < threads; n++) {
      t[n] = ArrayRecordsTest.start(() -> {
        for (int k = 0; k < each; k++) {
          int slot = k & 1; // two hot elements of each array
          Ame.atomic(() -> {
            Txn tx = Txn.current();
            BlindAdds.addElement(counts, slot, 1, tx);
            FieldWrites.writeElement(sums, slot, readDouble(sums, slot, tx) + 1.0, tx);
          });
        }
      });
    }
    for (Thread x : t) {
      x.join();
    }
    assertEquals(threads * each, counts[0] + counts[1]);
    assertEquals(threads * each / 2, counts[0]);
    assertEquals(threads * each, sums[0] + sums[1]);
    assertTrue(sums[0] == counts[0] && sums[1] == counts[1], "the two arrays moved together");
  }

  private static double readDouble(double[] a, int i, Txn tx) {
    FieldBarriers.beforeReadElement(a, i, tx);
    double v = a[i];
    FieldBarriers.afterReadElement(tx);
    return v;
  }
}
