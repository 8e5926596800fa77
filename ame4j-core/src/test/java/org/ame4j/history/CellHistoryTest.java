package org.ame4j.history;

import static org.ame4j.history.Campaign.STRESS;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.ame4j.history.Workload.Mode;
import org.ame4j.testkit.HangGuard;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The real engine over explicit cells: randomized workloads in every mode, on 1, 2 and 4
 * workers, every attempt recorded and checked: zero anomalies. {@code mvn verify} checks a few
 * ten thousand transactions; {@code -Pstress} (ame4j.stress) over a million.
 */
@HangGuard(seconds = 3600)
class CellHistoryTest {
  @ParameterizedTest
  @EnumSource(Mode.class)
  void theRealEngineHasNoAnomalies(Mode mode) throws InterruptedException {
    int seeds = STRESS ? 40 : 3;
    int tasks = STRESS ? 3_000 : 1_000;
    Campaign c = new Campaign(() -> new CellStore(24, 4), tasks, 20);
    Campaign.Summary s = c.run(1000, seeds, List.of(mode), new int[] {1, 2, 4}, false);
    Campaign.log("cells, " + mode, s);
    assertTrue(s.ok(), s.toString());
    assertTrue(s.committed() >= (long) seeds * 3 * tasks * 9 / 10, s.toString());
  }
}
