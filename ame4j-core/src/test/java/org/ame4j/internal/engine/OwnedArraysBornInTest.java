package org.ame4j.internal.engine;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.ame4j.Ame;
import org.ame4j.testkit.HangGuard;
import org.junit.jupiter.api.Test;

/**
 * {@link OwnedArrays#bornIn}: an array is handed over only from an owner born by the running
 * attempt at its running nesting level (or taken over from a block that ended), never from a
 * shared owner, an owner born before the running nested block began, an object without a word of
 * its own, or in an inevitable attempt.
 */
@HangGuard(seconds = 60)
class OwnedArraysBornInTest {
  /** An object with a word of its own, as the agent makes instrumented classes. */
  static final class Holder extends TxObject {
    int[] a = new int[2];
  }

  @Test
  void handsOverOnlyFromAnOwnerBornAtTheRunningLevel() {
    Holder shared = new Holder();
    Ame.atomic(() -> {
      Txn tx = Txn.current();
      Holder born = new Holder();
      FieldBarriers.allocated(born, tx);
      assertSame(born.a, OwnedArrays.bornIn(born, born.a, tx));
      assertNull(OwnedArrays.bornIn(shared, shared.a, tx), "a shared owner");
      assertNull(OwnedArrays.bornIn(new Object[] {born.a}, born.a, tx), "no word of its own");
      int mark = tx.born.size;
      long outer = tx.enterNested();
      Holder inner = new Holder();
      FieldBarriers.allocated(inner, tx);
      assertNull(OwnedArrays.bornIn(born, born.a, tx), "born before the nested block began");
      assertSame(inner.a, OwnedArrays.bornIn(inner, inner.a, tx));
      tx.leaveNested(mark, outer);
      assertSame(inner.a, OwnedArrays.bornIn(inner, inner.a, tx), "taken over from the ended block");
      assertSame(born.a, OwnedArrays.bornIn(born, born.a, tx));
    });
  }

  @Test
  void anInevitableAttemptIsNeverTrusted() {
    Ame.atomic(() -> {
      Txn tx = Txn.current();
      Holder born = new Holder();
      FieldBarriers.allocated(born, tx);
      tx.becomeInevitable("test");
      assertNull(OwnedArrays.bornIn(born, born.a, tx), "untracked code may have written the field");
    });
  }

  @Test
  void keepsWhatTheSiteHeldWhenNothingIsHandedOver() {
    Object kept = new int[1];
    Object born = new int[1];
    assertSame(kept, OwnedArrays.keep(null, kept));
    assertSame(born, OwnedArrays.keep(born, kept));
  }
}
