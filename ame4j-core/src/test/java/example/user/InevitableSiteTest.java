package example.user;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.ame4j.Ame;
import org.ame4j.Stats;
import org.ame4j.TransactionQueue;
import org.junit.jupiter.api.Test;

/**
 * Diagnostics from a user's point of view (this class is deliberately outside {@code org.ame4j},
 * like user code): {@code stats().inevitableSites()} names the user's source line that made a
 * transaction inevitable.
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

  private static void goInevitable() {
    Ame.inevitable();
  }
}
