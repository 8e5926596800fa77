package org.ame4j.history;

import static org.ame4j.history.Campaign.STRESS;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.ame4j.history.Workload.Mode;
import org.ame4j.testkit.HangGuard;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The real engine over arrays that keep turning from read-only to written under their readers
 * ({@link ArrayStore}: copy-on-write rows, fresh node arrays), on 2 and 4 workers in every mode,
 * with the array stripes put back to read-only before each workload: every attempt recorded and
 * checked, zero anomalies, and turns by the hundred in each workload. {@code mvn verify} runs a
 * few ten thousand transactions; {@code -Pstress} (ame4j.stress) several hundred thousand.
 */
@HangGuard(seconds = 3600)
class ArrayHistoryTest {
  @ParameterizedTest
  @EnumSource(Mode.class)
  void arraysTurningWrittenUnderTheirReadersLoseNothing(Mode mode) throws InterruptedException {
    int seeds = STRESS ? 20 : 3;
    int tasks = STRESS ? 3_000 : 1_000;
    ArrayStore.FreshStripes stores = new ArrayStore.FreshStripes();
    Campaign c = new Campaign(stores, tasks, 20);
    Campaign.Summary s = c.run(2000, seeds, List.of(mode), new int[] {2, 4}, false);
    Campaign.log("turning arrays, " + mode, s + "; " + stores.turns() + " stripes turned");
    assertTrue(s.ok(), s.toString());
    assertTrue(s.committed() >= (long) seeds * 2 * tasks * 9 / 10, s.toString());
    assertTrue(stores.turns() >= (long) seeds * 2 * tasks / 20, stores.turns() + " turns: the workload must turn arrays all the time");
  }
}
