package org.ame4j.internal.engine;

import static org.ame4j.internal.engine.ArrayRecordsTest.readOnly;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ame4j.Ame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The element read barrier's inline fast path ({@code ElementBarriers.beforeRead}: the attempt's
 * stripe bit set and the stripe not published) and its out-of-line rest: an unchecked read is
 * never the attempt's first of its stripe bit (the bit is published first, the reader's half of
 * the Dekker pattern with a turner), an attempt that allocated arrays still finds them in the
 * capture set, and {@code afterRead} checks and logs exactly the reads that left one pending.
 * Driven by hand as a twin's load site calls the barriers.
 */
@Timeout(60)
class ElementFastPathTest {
  @Test
  void aFirstUncheckedReadPublishesTheAttemptsBitFirst() {
    long[] a = readOnly(() -> new long[16]);
    Ame.atomic(() -> {
      Txn tx = Txn.current();
      int s = ArrayStripes.of(a);
      StripesRead.forgetForTesting(tx, s); // as in an attempt that has not read the stripe yet
      assertTrue(ElementBarriers.beforeRead(a, 0, tx), "a read-only stripe is read unchecked");
      assertTrue(StripesRead.has(tx, s) && tx.mayHaveReadStripe(s),
          "but only after the attempt's bit of it is published (a turner must wait for it)");
      assertTrue(ElementBarriers.beforeRead(a, 1, tx), "the fast path: bit set, not published");
      ElementBarriers.afterRead(tx);
      assertEquals(0, tx.reads.size, "nothing pending, nothing logged");
    });
  }

  @Test
  void aWrittenArrayIsCheckedAndLoggedBehindTheFastPath() {
    long[] w = readOnly(() -> new long[16]);
    Ame.atomic(() -> FieldWrites.writeElement(w, 2, 5L, Txn.current()));
    Ame.atomic(() -> {
      Txn tx = Txn.current();
      assertFalse(ElementBarriers.beforeRead(w, 2, tx), "a written stripe is never unchecked");
      assertEquals(5L, w[2]);
      ElementBarriers.afterRead(tx);
      assertEquals(1, tx.reads.size, "its element is logged");
      ElementBarriers.afterRead(tx);
      assertEquals(1, tx.reads.size, "once: the pending read was consumed");
    });
  }

  @Test
  void anAttemptWithFreshArraysAsksTheCaptureSetFirst() {
    long[] w = readOnly(() -> new long[16]);
    Ame.atomic(() -> FieldWrites.writeElement(w, 0, 1L, Txn.current()));
    Ame.atomic(() -> {
      Txn tx = Txn.current();
      long[] fresh = new long[4];
      FieldBarriers.allocated(fresh, tx);
      assertTrue(ElementBarriers.beforeRead(fresh, 3, tx), "a fresh array needs no check");
      ElementBarriers.afterRead(tx);
      assertFalse(ElementBarriers.beforeRead(w, 0, tx), "the written one is still checked");
      ElementBarriers.afterRead(tx);
      assertFalse(ElementBarriers.beforeRead(null, 0, tx), "null: the load throws");
      ElementBarriers.afterRead(tx);
      assertEquals(1, tx.reads.size);
    });
  }
}
