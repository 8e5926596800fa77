package org.ame4j.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/**
 * What a new attempt forgets of the last one's conflict ({@link TxnDiag#begin}): the cause its
 * own barrier noted and a killer's notes, which it clears only when they were set (so an
 * attempt that nobody killed stores none of the volatile fields). Whatever the last attempt was
 * told, the next one starts with no cause and no kill, and so is never named by them.
 */
class TxnDiagTest {
  /** What {@link Diagnostics#killing} writes: every field, then the flag. */
  private static void kill(TxnDiag d, TxCell cell, String untracked) {
    d.killStripe = -1;
    d.killerSite = 7;
    d.killerUntracked = untracked;
    d.killCell = cell;
    d.killIndex = 3;
    d.killed = true;
  }

  @Test
  void aNewAttemptForgetsTheLastOnesKillAndCause() {
    TxnDiag d = new TxnDiag();
    d.begin();
    IntCell cell = new IntCell(0);
    kill(d, cell, "java.io.PrintStream.flush");
    d.killSeen = true; // the attempt honoured it
    d.causeKnown = true;
    d.causeCell = cell;
    d.causeIndex = 5;
    d.causeSite = 7;

    d.begin();
    assertFalse(d.killed);
    assertFalse(d.killSeen);
    assertNull(d.killCell);
    assertNull(d.killerUntracked);
    assertFalse(d.causeKnown);
    assertNull(d.causeCell);
  }

  @Test
  void attemptsThatNobodyKilledStayUnkilledAndAKillAfterwardsIsSeenWhole() {
    TxnDiag d = new TxnDiag();
    for (int i = 0; i < 3; i++) {
      d.begin();
      assertFalse(d.killed);
      assertFalse(d.causeKnown);
    }
    IntCell cell = new IntCell(0);
    kill(d, cell, null);
    assertEquals(cell, d.killCell, "a kill of the running attempt stays until the next begin");
    d.begin();
    assertFalse(d.killed);
    assertNull(d.killCell);
  }
}
