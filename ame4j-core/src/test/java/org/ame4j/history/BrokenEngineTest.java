package org.ame4j.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
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
@Timeout(600)
class BrokenEngineTest {
  static final String MODES = "unordered,atomic";

  static Child campaign(Path dir, String switchProperty, int seeds) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (switchProperty != null) {
      cmd.add("-D" + switchProperty + "=true");
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Campaign.class.getName());
    cmd.addAll(List.of(MODES, "2", String.valueOf(seeds), "2000"));
    Path out = Files.createTempFile(dir, "campaign", ".out");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError("the campaign did not finish in 300 s: " + String.join(" ", cmd)
          + "\n" + Files.readString(out, StandardCharsets.UTF_8));
    }
    return new Child(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
  }

  record Child(int status, String out) {}

  @ParameterizedTest
  @ValueSource(strings = {"ame4j.test.skipReadValidation", "ame4j.test.releaseLocksEarly"})
  void aBrokenEngineIsCaught(String switchProperty, @TempDir Path dir) throws Exception {
    Child c = campaign(dir, switchProperty, 20);
    System.out.println(switchProperty + ": " + c.out());
    assertEquals(1, c.status(), c.out());
    assertTrue(c.out().contains("runs with anomalies"), c.out());
    assertTrue(c.out().matches("(?s).*(G-single|G2|G1a|G1b|G0|G1c|lost update|opacity|final state).*"), c.out());
  }

  @ParameterizedTest
  @ValueSource(strings = {"none"})
  void theSameCampaignOnTheRealEngineIsClean(String none, @TempDir Path dir) throws Exception {
    Child c = campaign(dir, null, 2);
    System.out.println("real engine: " + c.out());
    assertEquals(0, c.status(), c.out());
    assertTrue(c.out().contains(": 0 anomalies"), c.out());
  }
}
