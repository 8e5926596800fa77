package org.ame4j.internal.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ame4j.history.History;
import org.ame4j.testkit.ChildJvm;
import org.ame4j.testkit.HangGuard;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checked histories under the agent (issue 18): child JVMs with {@code -javaagent} and the
 * java.base patch run {@code PlainHistoryProgram}, a randomized workload over plain fields,
 * {@code long[]} elements, a HashMap, an ArrayList and freshly allocated nodes published into a
 * {@code Node[]}, in every mode (unordered and ordered queues with nested adds, throwing tasks
 * and retry; {@code Ame.atomic} blocks from plain threads), every attempt recorded and checked
 * by {@code org.ame4j.history.HistoryChecker}. The real engine: zero anomalies. With the
 * engine's test-only switch that skips read validation: the checker reports the anomaly.
 * {@code -Pstress} (ame4j.stress) runs many more seeds.
 */
@HangGuard(seconds = 1800)
class HistoryIT {
  static final String PROGRAM = "org.ame4jtest.history.PlainHistoryProgram";
  static final boolean STRESS = Boolean.getBoolean("ame4j.stress");

  static Path patch;

  @BeforeAll
  static void makePatch(@TempDir Path dir) throws Exception {
    ChildJvm.Result r = ChildJvm.runJava(dir, "-jar", ChildJvm.agentJar().toString(), "jdk-patch", "--cache",
        dir.resolve("cache").toString());
    assertEquals(0, r.status(), r.describe());
    patch = Path.of(r.out().strip());
  }

  /** Class path of the child: the agent's test classes and ame4j-core's (the checker). */
  static String classPath() throws Exception {
    Path checker = Path.of(History.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    return ChildJvm.classPath(ChildJvm.pathProperty("ame4j.test.classes"), checker);
  }

  static ChildJvm.Result campaign(Path work, String engineSwitch, String seeds, String tasks) throws Exception {
    return campaign(work, engineSwitch, seeds, tasks, "unordered,ordered,atomic", List.of());
  }

  static ChildJvm.Result campaign(Path work, String engineSwitch, String seeds, String tasks,
      String modes, List<String> jvmOptions) throws Exception {
    List<String> args = new ArrayList<>(jitFlags());
    args.addAll(jvmOptions);
    args.addAll(List.of("--patch-module", "java.base=" + patch, "-javaagent:" + ChildJvm.agentJar(),
        "-Dame4j.test.skipReadValidation=" + engineSwitch, "-cp", classPath(), PROGRAM,
        modes, "1,2", seeds, tasks));
    return ChildJvm.runJava(work, args);
  }

  /** The test JVM's own -XX flags (the stress profile's JIT stress flags), for the children. */
  static List<String> jitFlags() {
    return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("-XX:") || a.equals("-Xcomp")).toList();
  }

  @Test
  void plainFieldsArraysAndCollectionsHaveNoAnomalies(@TempDir Path work) throws Exception {
    ChildJvm.Result r = campaign(work, "false", STRESS ? "60" : "2", "1500");
    System.out.println(r.out());
    assertEquals(0, r.status(), r.describe());
    assertTrue(r.out().contains(": 0 anomalies"), r.describe());
    assertEquals("", r.err(), "a quiet agent prints nothing\n" + r.describe());
  }

  /** Unordered runs with every transaction taking 64 queued tasks when it can (test mode). */
  @Test
  void forcedTaskBatchesHaveNoAnomalies(@TempDir Path work) throws Exception {
    ChildJvm.Result r = campaign(work, "false", STRESS ? "60" : "2", "1500", "unordered",
        List.of("-Dame4j.batch=64", "-Dame4j.batch.fixed=true"));
    System.out.println(r.out());
    assertEquals(0, r.status(), r.describe());
    assertTrue(r.out().contains(": 0 anomalies"), r.describe());
  }

  @Test
  void skippedReadValidationIsCaught(@TempDir Path work) throws Exception {
    ChildJvm.Result r = campaign(work, "true", "20", "1500");
    System.out.println(r.out());
    assertEquals(1, r.status(), r.describe());
    assertTrue(r.out().contains("runs with anomalies"), r.describe());
  }
}
