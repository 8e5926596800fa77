package example.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ame4j.Ame;
import org.ame4j.Stats;
import org.ame4j.TransactionQueue;
import org.ame4j.internal.diag.InevitableReasons;
import org.junit.jupiter.api.Test;

/**
 * Diagnostics from a user's point of view (this class is deliberately outside {@code org.ame4j},
 * like user code): {@code stats().inevitableSites()} names the user's source line that made a
 * transaction inevitable, and the report lists it with its reason (untracked calls are named by
 * kind: native method, I/O call, other untracked code).
 */
class InevitableSiteTest {

  @Test
  void inevitableStatsCountAndNameTheSite() {
    Stats before = Ame.stats();
    TransactionQueue q = new TransactionQueue();
    for (int i = 0; i < 10; i++) {
      q.add(InevitableSiteTest::goInevitable);
    }
    q.run(1); // one worker: no contention, so no escalations either
    Stats d = Ame.stats().minus(before);
    assertEquals(10, d.inevitable(), d.toString());
    long named =
        d.inevitableSites().entrySet().stream()
            .filter(e -> e.getKey().contains("InevitableSiteTest.goInevitable(InevitableSiteTest.java:"))
            .mapToLong(e -> e.getValue())
            .sum();
    assertEquals(10, named, "sites: " + d.inevitableSites());
  }

  @Test
  void theReportListsTheSiteWithItsReason() {
    TransactionQueue q = new TransactionQueue();
    q.add(InevitableSiteTest::goInevitable);
    q.run(1);
    String report = Ame.stats().report();
    assertTrue(report.lines().anyMatch(l -> l.contains("InevitableSiteTest.goInevitable(InevitableSiteTest.java:")
        && l.endsWith("[Ame.inevitable()]")), report);
  }

  @Test
  void untrackedCallsAreNamedByKind() {
    String at = "com.acme.Main.run(Main.java:9) -> ";
    assertEquals("native method", InevitableReasons.ofUntracked(at + "com.acme.Native.call (native)"));
    assertEquals("I/O call", InevitableReasons.ofUntracked(at + "java.io.PrintStream.println"));
    assertEquals("I/O call", InevitableReasons.ofUntracked(at + "java.nio.channels.FileChannel.write"));
    assertEquals("untracked code", InevitableReasons.ofUntracked(at + "java.util.concurrent.locks.LockSupport.park"));
  }

  private static void goInevitable() {
    Ame.inevitable();
  }
}
