package org.ame4j.internal.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.CountDownLatch;
import org.ame4j.Ame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The per-site element writes ({@link ElementSites}), driven exactly as the agent's twins emit
 * them ({@code openWrite; logX; xastore}, and {@code logX}'s old value plus the delta for a blind
 * add): a rollback restores every element type written, repeated writes included; an array the
 * attempt allocated is not logged; concurrent read-modify-writes of one element through the
 * site shape lose no update.
 */
@Timeout(120)
class ElementSitesTest {
  static void store(int[] a, int i, int v, Txn tx) {
    ElementSites.logInt(a, i, ElementSites.openWrite(a, i, tx), tx);
    a[i] = v;
  }

  static void add(int[] a, int i, int d, Txn tx) {
    a[i] = ElementSites.logInt(a, i, ElementSites.openWrite(a, i, tx), tx) + d;
  }

  static void add(double[] a, int i, double d, Txn tx) {
    a[i] = ElementSites.logDouble(a, i, ElementSites.openWrite(a, i, tx), tx) + d;
  }

  @Test
  void aRolledBackAttemptRestoresEveryElementWrittenAtASite() {
    int[] i = {1, 2};
    long[] l = {3, 4};
    float[] f = {2.5f, 3.5f};
    double[] d = {0.5, 1.5};
    char[] c = {'a', 'b'};
    short[] s = {7, 8};
    Ame.atomic(() -> { // turn every stripe written, so that the next attempt locks element words
      Txn tx = Txn.current();
      store(i, 0, 1, tx);
      FieldWrites.writeElement(l, 0, 3L, tx);
      FieldWrites.writeElement(f, 0, 2.5f, tx);
      FieldWrites.writeElement(d, 0, 0.5, tx);
      FieldWrites.writeElement(c, 0, 'a', tx);
      FieldWrites.writeElement(s, 0, (short) 7, tx);
    });
    assertThrows(IllegalStateException.class, () -> Ame.atomic(() -> {
      Txn tx = Txn.current();
      for (int k = 0; k < 2; k++) { // twice: the second write finds the word held already
        store(i, k, 10 + k, tx);
        add(i, k, 100, tx);
        ElementSites.logLong(l, k, ElementSites.openWrite(l, k, tx), tx);
        l[k] = 30L + k;
        ElementSites.logFloat(f, k, ElementSites.openWrite(f, k, tx), tx);
        f[k] = 9.5f;
        add(d, k, 100.0, tx);
        ElementSites.logChar(c, k, ElementSites.openWrite(c, k, tx), tx);
        c[k] = 'z';
        ElementSites.logShort(s, k, ElementSites.openWrite(s, k, tx), tx);
        s[k] = 70;
      }
      assertEquals(2 * 7, tx.undo.size, "every write logged its old value");
      assertEquals(110, i[0]);
      throw new IllegalStateException("roll back");
    }));
    assertArrayEquals(new int[] {1, 2}, i);
    assertArrayEquals(new long[] {3, 4}, l);
    assertArrayEquals(new float[] {2.5f, 3.5f}, f);
    assertArrayEquals(new double[] {0.5, 1.5}, d);
    assertArrayEquals(new char[] {'a', 'b'}, c);
    assertArrayEquals(new short[] {7, 8}, s);
  }

  @Test
  void anArrayTheAttemptAllocatedIsWrittenWithoutALog() {
    Ame.atomic(() -> {
      Txn tx = Txn.current();
      double[] fresh = new double[4];
      FieldBarriers.allocated(fresh, tx);
      add(fresh, 1, 2.0, tx);
      add(fresh, 1, 2.0, tx);
      assertEquals(4.0, fresh[1]);
      assertEquals(0, tx.undo.size);
    });
  }

  @Test
  void concurrentAddsAtASiteLoseNoUpdate() throws Exception {
    int[] counts = new int[2];
    double[] sums = new double[2];
    int perThread = 20_000;
    CountDownLatch start = new CountDownLatch(1);
    Runnable adder = () -> {
      try {
        start.await();
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
      for (int n = 0; n < perThread; n++) {
        Ame.atomic(() -> {
          Txn tx = Txn.current();
          add(counts, 0, 1, tx);
          add(sums, 1, 1.0, tx);
        });
      }
    };
    Thread a = new Thread(adder);
    Thread b = new Thread(adder);
    a.start();
    b.start();
    start.countDown();
    a.join();
    b.join();
    assertEquals(2 * perThread, counts[0]);
    assertEquals(2.0 * perThread, sums[1]);
  }
}
