package org.ame4j.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.ame4j.testkit.ChildJvm;
import org.ame4j.testkit.HangGuard;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The checker fails on purpose: a child JVM runs a {@link Campaign} over explicit cells with one
 * of the engine's test-only switches set ({@code ame4j.test.skipReadValidation},
 * {@code ame4j.test.releaseLocksEarly}; read once at class load, so a JVM of its own), and the
 * checker must report anomalies and name them; the same campaign without a switch reports none.
 * The children's own output gives the time to the first anomaly (docs/testing.md); nothing here
 * is timed beyond the bound that turns a hang into a failure.
 */
@HangGuard(seconds = 600)
class BrokenEngineIT {
  static final String MODES = "unordered,atomic";

  static ChildJvm.Result campaign(Path dir, String switchProperty, int seeds) {
    ChildJvm child = ChildJvm.java().in(dir).classPath(System.getProperty("java.class.path"))
        .mergeStderr().timeout(300);
    if (switchProperty != null) {
      child.jvmArgs("-D" + switchProperty + "=true");
    }
    return child.run(Campaign.class.getName(), MODES, "2", String.valueOf(seeds), "2000");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ame4j.test.skipReadValidation", "ame4j.test.releaseLocksEarly"})
  void aBrokenEngineIsCaught(String switchProperty, @TempDir Path dir) throws Exception {
    // The campaign stops at its first anomaly, so a generous seed budget costs nothing when the
    // workers overlap; on two busy cores they seldom do, and 20 seeds once found none.
    ChildJvm.Result c = campaign(dir, switchProperty, 200);
    System.out.println(switchProperty + ": " + c.out());
    assertEquals(1, c.status(), c.out());
    assertTrue(c.out().contains("runs with anomalies"), c.out());
    // Any named anomaly: a broken engine with skipped validation may show as a garbage read first.
    assertTrue(c.out().matches("(?s).*(G-single|G2|G1a|G1b|G0|G1c|lost update|opacity|final state|garbage read).*"), c.out());
  }

  @ParameterizedTest
  @ValueSource(strings = {"none"})
  void theSameCampaignOnTheRealEngineIsClean(String none, @TempDir Path dir) throws Exception {
    ChildJvm.Result c = campaign(dir, null, 2);
    System.out.println("real engine: " + c.out());
    assertEquals(0, c.status(), c.out());
    assertTrue(c.out().contains(": 0 anomalies"), c.out());
  }
}
