package org.ame4j.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ame4j.Ame;
import org.ame4j.testkit.HangGuard;
import org.junit.jupiter.api.Test;

/**
 * The capture set's memo of the last objects found ({@link FreshObjects}): it answers what a
 * search would, for the attempt that recorded the objects only, with the level each was
 * recorded at; so an array the last attempt allocated and looked up is tracked again in the
 * next one (locked, logged, restored by a rollback), and a nested block logs a write to an array
 * of the level around it. What these tests ask holds with the front off too (the default); ame4j-core's
 * pom runs them once more with it on ({@code -Dame4j.freshFront=true}), and its mutants too.
 */
@HangGuard(seconds = 60)
class FreshMemoTest {
  /** Enough other arrays that the set is past its linear part (the hash set answers). */
  private static void allocateOthers(Txn tx) {
    for (int i = 0; i < 6; i++) {
      FieldBarriers.allocated(new int[3], tx);
    }
  }

  private static int read(int[] a, int i, Txn tx) {
    FieldBarriers.beforeReadElement(a, i, tx);
    int v = a[i];
    FieldBarriers.afterReadElement(tx);
    return v;
  }

  @Test
  void answersLikeTheSetAndForgetsOnClear() {
    FreshObjects fresh = new FreshObjects();
    Object[] in = new Object[12];
    for (int i = 0; i < in.length; i++) {
      in[i] = new long[1];
      fresh.add(in[i], i % 3);
    }
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < in.length; i++) { // found, found again from the memo, in any order
        int j = (i * 5 + round) % in.length;
        assertTrue(fresh.contains(in[j]));
        assertTrue(fresh.contains(in[j]));
        assertEquals(j % 3, fresh.levelOf(in[j]));
        assertEquals(i % 3, fresh.levelOf(in[i]));
        assertFalse(fresh.contains(new long[1]));
        assertFalse(fresh.contains(null), "the empty memo holds no null");
      }
    }
    fresh.clear();
    for (Object o : in) {
      assertFalse(fresh.contains(o), "the memo is emptied with the set");
      assertEquals(-1, fresh.levelOf(o));
    }
  }

  @Test
  void anArrayBornInTheLastAttemptIsTrackedInTheNext() {
    int[][] published = new int[1][];
    Ame.atomic(() -> {
      Txn tx = Txn.current();
      allocateOthers(tx);
      int[] a = new int[] {1, 2, 3};
      FieldBarriers.allocated(a, tx);
      assertEquals(2, read(a, 1, tx)); // found: the memo holds it now
      FieldWrites.writeElement(a, 1, 20, tx);
      assertEquals(0, tx.locks.size, "born here: no lock");
      published[0] = a;
    });
    int[] a = published[0];
    assertEquals(20, a[1]);
    RuntimeException failure = new RuntimeException("task fails");
    assertThrows(RuntimeException.class, () -> Ame.atomic(() -> {
      Txn tx = Txn.current();
      allocateOthers(tx); // the next attempt allocates arrays too: its element barriers search
      assertEquals(20, read(a, 1, tx));
      FieldWrites.writeElement(a, 1, 99, tx);
      assertTrue(tx.undo.size > 0, "an array of an earlier attempt: its old value is logged");
      throw failure;
    }));
    assertEquals(20, a[1], "the rollback restores the element");
  }

  @Test
  void aNestedBlockLogsAWriteToAnArrayOfTheLevelAround() {
    int[][] kept = new int[2][];
    Ame.atomic(() -> {
      Txn tx = Txn.current();
      int[] first = new int[] {7, 8}; // in the front array: the first object of the attempt
      FieldBarriers.allocated(first, tx);
      allocateOthers(tx);
      int[] a = new int[] {1, 2, 3}; // in the hash set
      FieldBarriers.allocated(a, tx);
      assertEquals(3, read(a, 2, tx)); // in the memo, at level 0
      assertEquals(8, read(first, 1, tx));
      assertThrows(IllegalStateException.class, () -> Ame.atomic(() -> {
        Txn inner = Txn.current();
        assertEquals(3, read(a, 2, inner));
        FieldWrites.writeElement(a, 2, 30, inner);
        FieldWrites.writeElement(first, 1, 80, inner);
        int[] b = new int[] {4};
        FieldBarriers.allocated(b, inner);
        assertEquals(4, read(b, 0, inner));
        FieldWrites.writeElement(b, 0, 40, inner);
        FieldWrites.writeElement(a, 1, 20, inner); // behind b in the memo now
        throw new IllegalStateException("the nested block fails alone");
      }));
      assertEquals(3, a[2], "the nested block's write is undone");
      assertEquals(2, a[1], "the nested block's write is undone");
      assertEquals(8, first[1], "the nested block's write to a front array is undone");
      kept[0] = a;
      kept[1] = first;
    });
    assertEquals(3, kept[0][2]);
    assertEquals(8, kept[1][1]);
  }

  @Test
  void theFirstObjectsStayInFrontAfterTheSetGrows() {
    FreshObjects fresh = new FreshObjects();
    Object[] all = new Object[40];
    for (int i = 0; i < all.length; i++) {
      all[i] = new byte[i];
      fresh.add(all[i], i % 2);
      fresh.add(all[i], 5); // recorded once: the first level stays
      for (int j = 0; j <= i; j++) {
        assertEquals(j % 2, fresh.levelOf(all[j]), j + " of " + (i + 1));
      }
    }
    assertFalse(fresh.contains(new byte[0]));
    fresh.clear();
    Object later = new byte[1];
    fresh.add(later, 3);
    assertEquals(3, fresh.levelOf(later));
    for (Object o : all) {
      assertFalse(fresh.contains(o), "cleared");
    }
  }
}
