package org.ame4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.ame4j.internal.diag.Conflicts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The API side of the conflict report, on records put in the engine's table directly (the
 * records themselves, with the report on and the agent, are ConflictReportIT's): conflicts()
 * most time lost first, minus() per group, the text report, and when the report prints at exit.
 */
class ConflictStatsTest {
  static final Conflicts.Key HOT = new Conflicts.Key("read/write", "com.acme.Account.balance",
      "Bank.java:41 (com.acme.Bank.transfer)", "Bank.java:42 (com.acme.Bank.transfer)");
  static final Conflicts.Key COLD = new Conflicts.Key("write/write", "int[] @ 17",
      "Grid.java:9 (com.acme.Grid.step)", "line unknown");

  @AfterEach
  void clean() {
    Ame.resetStats();
  }

  @Test
  void conflictsComeMostTimeLostFirstAndSubtractPerGroup() {
    Ame.resetStats();
    Conflicts.record(COLD, 1_000);
    Stats before = Ame.stats();
    Conflicts.record(HOT, 5_000_000);
    Conflicts.record(HOT, 5_000_000);
    Conflicts.record(COLD, 2_000);
    Stats now = Ame.stats();
    assertEquals(List.of(
        new Conflict(AbortKind.READ_WRITE, HOT.location(), HOT.aborted(), HOT.other(), 2, 10_000_000),
        new Conflict(AbortKind.WRITE_WRITE, COLD.location(), COLD.aborted(), COLD.other(), 2, 3_000)),
        now.conflicts());
    assertEquals(1, now.conflicts(1).size());
    assertThrows(IllegalArgumentException.class, () -> now.conflicts(-1));
    List<Conflict> since = now.minus(before).conflicts();
    assertEquals(2, since.size());
    assertEquals(1, since.get(1).count());
    assertEquals(2_000, since.get(1).lostNanos());
    String report = now.report();
    assertTrue(report.contains("top conflicts (2 of 2 locations and line pairs, most time lost first):"), report);
    assertTrue(report.contains("read/write  com.acme.Account.balance"), report);
    assertTrue(report.contains("aborted at Bank.java:41 (com.acme.Bank.transfer)"), report);
    assertTrue(report.contains("other side Bank.java:42 (com.acme.Bank.transfer)"), report);
  }

  @Test
  void withoutRecordsTheReportSaysHowToGetThem() {
    Ame.resetStats();
    assertTrue(Ame.stats().conflicts().isEmpty());
    assertTrue(Ame.stats().report().endsWith("top conflicts: none"), Ame.stats().report());
  }

  @Test
  void theReportPrintsAtExitPastTheDocumentedShareOfAborts() {
    Ame.resetStats();
    IntRef cell = new IntRef(0);
    for (int i = 0; i < 1_000; i++) {
      Ame.atomic(() -> cell.set(cell.get() + 1));
    }
    Stats calm = Ame.stats();
    assertNull(ExitReport.textAtExit(calm, false), "no abort: nothing printed");
    assertTrue(ExitReport.textAtExit(calm, true).startsWith("ame4j report:"), "always with -Dame4j.report=true");
    assertEquals(0.2, ExitReport.AUTO_SHARE);
    assertEquals(1000, ExitReport.AUTO_MIN_ATTEMPTS);
  }
}
