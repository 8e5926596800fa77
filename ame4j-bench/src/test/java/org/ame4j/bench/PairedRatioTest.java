package org.ame4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The paired verdict of the Redis benchmark: median, bootstrap interval, and what it says. */
class PairedRatioTest {
  @Test
  void theIntervalHoldsTheMedianAndLiesWithinTheRatios() {
    double[] ratios = {0.97, 1.01, 0.99, 1.04, 1.00, 0.98, 1.02, 1.03, 0.96, 1.01, 1.00, 0.99};
    PairedRatio p = PairedRatio.of(ratios);
    assertEquals(1.00, p.median(), 1e-12);
    assertTrue(p.low() <= p.median() && p.median() <= p.high(), p.toString());
    assertTrue(p.low() >= 0.96 && p.high() <= 1.04, p.toString());
    assertEquals(5, p.above());
    assertEquals(12, p.rounds());
    assertEquals(p, PairedRatio.of(ratios), "a fixed seed: the same data give the same report");
  }

  @Test
  void theVerdictReadsTheInterval() {
    assertEquals("at least as fast: shown",
        PairedRatio.of(new double[] {1.01, 1.02, 1.03, 1.01, 1.05}).verdict(0.03));
    assertEquals("slower: shown (by 2–8 %)",
        new PairedRatio(0.95, 0.92, 0.98, 0, 12).verdict(0.03));
    assertEquals("equal within ±3 %", new PairedRatio(1.0, 0.98, 1.02, 6, 12).verdict(0.03));
    assertEquals("unresolved", new PairedRatio(1.0, 0.90, 1.10, 6, 12).verdict(0.03));
    assertEquals("no verdict from 1 round",
        PairedRatio.of(new double[] {1.5}).verdict(0.03));
  }

  @Test
  void theRobustSpreadIgnoresOneOutlier() {
    // deviations from the median 1.00: 0.01, 0.01, 0, 0.02, 0.50 -> median 0.01
    assertEquals(0.014826, PairedRatio.robustSd(new double[] {0.99, 1.01, 1.00, 1.02, 1.50}),
        1e-9);
    assertEquals(0, PairedRatio.robustSd(new double[] {1.2}), 1e-12);
  }

  @Test
  void evenCountsTakeTheMiddlePairsMean() {
    assertEquals(1.5, PairedRatio.median(new double[] {2, 1, 1, 2}), 1e-12);
    assertThrows(IllegalArgumentException.class, () -> PairedRatio.of(new double[0]));
  }
}
