package org.ame4j.internal.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ame4j.testkit.ChildJvm;
import org.ame4j.testkit.HangGuard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded agent jar, used as users use it: a child JVM started with
 * {@code -javaagent:ame4j-agent-<version>.jar} runs a plain sequential bank program
 * ({@code org.ame4jtest.agentit.BankProgram}, plain {@code long} fields, no ame4j-core on
 * {@code -cp}: the agent jar brings it) whose tasks run on 2 workers. Without the agent the same
 * program loses updates (its unordered total drifts, checked by hand); with it, the ordered run
 * equals the sequential one and the unordered run conserves money.
 */
@HangGuard(seconds = 300)
class AgentIT {
  static final String BANK = "org.ame4jtest.agentit.BankProgram";

  @TempDir Path work;

  @Test
  void plainFieldsAreTransactionalUnderTheAgent() throws Exception {
    ChildJvm.Result r = ChildJvm.runJava(work,
        "-javaagent:" + ChildJvm.agentJar(),
        "-cp", ChildJvm.pathProperty("ame4j.test.classes").toString(), BANK);
    assertEquals(0, r.status(), r.describe());
    assertEquals(List.of(
        "instrumented: true",
        "ordered equals sequential: true",
        "unordered total: 1600 of 1600",
        "commits: 40000"), r.outLines(), r.describe());
    assertEquals("", r.err(), "a quiet agent prints nothing\n" + r.describe());
  }

  @Test
  void verboseListsClassesAndSummarisesAtExit() throws Exception {
    ChildJvm.Result r = ChildJvm.runJava(work,
        "-javaagent:" + ChildJvm.agentJar() + "=verbose=true,excludes=*Nothing*",
        "-cp", ChildJvm.pathProperty("ame4j.test.classes").toString(), BANK, "2000");
    assertEquals(0, r.status(), r.describe());
    List<String> err = r.errLines();
    assertTrue(err.contains("ame4j: instrumented " + BANK), r.describe());
    assertTrue(err.contains("ame4j: instrumented " + BANK + "$Account"), r.describe());
    assertEquals("ame4j: 2 classes instrumented, 0 already instrumented, 0 excluded by options",
        err.get(err.size() - 1), r.describe());
  }

  @Test
  void excludedClassesRunUntransformed() throws Exception {
    // Excluding the program itself: no twins, so only the classes' own count (0) is reported.
    ChildJvm.Result r = ChildJvm.runJava(work,
        "-javaagent:" + ChildJvm.agentJar() + "=excludes=org.ame4jtest.agentit.*,verbose=true",
        "-cp", ChildJvm.pathProperty("ame4j.test.classes").toString(), BANK, "10");
    assertTrue(r.outLines().contains("instrumented: false"), r.describe());
    List<String> err = r.errLines();
    assertEquals("ame4j: 0 classes instrumented, 0 already instrumented, 2 excluded by options",
        err.get(err.size() - 1), r.describe());
  }

  @Test
  void dumpWritesTheTransformedClassFiles() throws Exception {
    Path dump = work.resolve("dump");
    ChildJvm.Result r = ChildJvm.runJava(work,
        "-javaagent:" + ChildJvm.agentJar() + "=dump=" + dump,
        "-cp", ChildJvm.pathProperty("ame4j.test.classes").toString(), BANK, "10");
    assertEquals(0, r.status(), r.describe());
    Path cls = dump.resolve("org/ame4jtest/agentit/BankProgram.class");
    assertTrue(Files.isRegularFile(cls), r.describe());
    assertTrue(Files.size(cls) > Files.size(
        ChildJvm.pathProperty("ame4j.test.classes").resolve("org/ame4jtest/agentit/BankProgram.class")));
  }
}
