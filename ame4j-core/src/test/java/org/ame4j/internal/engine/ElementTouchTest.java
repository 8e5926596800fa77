package org.ame4j.internal.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ame4j.Ame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The element load a write takes before its lock ({@link ElementBarriers#touch}, issue 14,
 * session 13): it changes no outcome. Every element type is loaded, an index out of bounds loads
 * nothing and throws nothing (the site's own store throws the program's exception, after the
 * lock, as before), and a rolled-back attempt that touched and wrote leaves the arrays as they
 * were.
 */
@Timeout(60)
class ElementTouchTest {
  @Test
  void onByDefault() {
    assertTrue(ElementBarriers.TOUCH_BEFORE_LOCK, "ame4j.elementWrites.touch defaults to true");
  }

  @Test
  void everyElementTypeIsLoadedAndNoIndexOutOfBoundsThrows() {
    Object[] arrays = {
      new int[] {7}, new boolean[] {true}, new long[] {7}, new double[] {7}, new Object[] {"x"},
      new byte[] {7}, new float[] {7}, new char[] {7}, new short[] {7}
    };
    for (Object a : arrays) {
      String type = a.getClass().getSimpleName();
      long expected = a instanceof boolean[] || a instanceof Object[] ? 1 : 7;
      assertEquals(expected, ElementBarriers.touch(a, 0), type);
      assertEquals(0, ElementBarriers.touch(a, 1), type + " past the end");
      assertEquals(0, ElementBarriers.touch(a, -1), type + " below zero");
      assertEquals(0, ElementBarriers.touch(a, Integer.MIN_VALUE), type);
    }
  }

  @Test
  void aStoreOutOfBoundsThrowsAtTheSiteAfterTheLock() {
    int[] a = {1, 2, 3};
    boolean[] b = {true, false};
    Ame.atomic(() -> ElementSitesTest.store(a, 0, 1, Txn.current())); // turn the stripes written
    Ame.atomic(() -> FieldWrites.writeElement(b, 0, true, Txn.current()));
    Ame.atomic(() -> {
      Txn tx = Txn.current();
      // The lock of an index out of bounds is taken without an exception (a spurious lock at
      // worst); the program's own exception comes from the site's load and store.
      assertTrue(ElementSites.openWrite(a, 3, tx));
      assertThrows(ArrayIndexOutOfBoundsException.class, () -> ElementSites.logInt(a, 3, true, tx));
      assertTrue(ElementSites.openWrite(a, -1, tx));
      assertThrows(
          ArrayIndexOutOfBoundsException.class, () -> FieldWrites.writeElement(b, 2, true, tx));
    });
    assertArrayEquals(new int[] {1, 2, 3}, a);
    assertArrayEquals(new boolean[] {true, false}, b);
  }

  @Test
  void aRolledBackAttemptThatTouchedAndWroteRestoresEverything() {
    int[] a = {1, 2, 3, 4};
    boolean[] b = {true, false, true, false};
    Object[] o = {"a", null};
    Ame.atomic(() -> { // turn the stripes written: the next attempt locks element words
      Txn tx = Txn.current();
      ElementSitesTest.store(a, 0, 1, tx);
      FieldWrites.writeElement(b, 0, true, tx);
      FieldWrites.writeElement(o, 0, "a", tx);
    });
    assertThrows(IllegalStateException.class, () -> Ame.atomic(() -> {
      Txn tx = Txn.current();
      for (int k = 0; k < 4; k++) {
        ElementSitesTest.add(a, k, 10, tx);
        FieldWrites.writeElement(b, k, k % 2 == 0 ? false : true, tx);
      }
      FieldWrites.writeElement(o, 1, "b", tx);
      assertEquals(14, a[3]);
      throw new IllegalStateException("roll back");
    }));
    assertArrayEquals(new int[] {1, 2, 3, 4}, a);
    assertArrayEquals(new boolean[] {true, false, true, false}, b);
    assertArrayEquals(new Object[] {"a", null}, o);
  }
}
