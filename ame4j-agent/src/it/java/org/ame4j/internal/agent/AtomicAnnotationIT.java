package org.ame4j.internal.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.ame4j.testkit.ChildJvm;
import org.ame4j.testkit.HangGuard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6 under the real agent: a program with its own threads whose atomic sections are marked
 * with Deuce's annotation (default) and with a project annotation named by {@code annotations=}.
 */
@HangGuard(seconds = 300)
class AtomicAnnotationIT {
  static final String PROGRAM = "org.ame4jtest.agentit.ThreadsProgram";

  @TempDir Path work;

  ChildJvm.Result run(String options) throws Exception {
    return ChildJvm.runJava(work,
        "-javaagent:" + ChildJvm.agentJar() + options,
        "-cp", ChildJvm.pathProperty("ame4j.test.classes").toString(), PROGRAM, "5000");
  }

  @Test
  void deuceAndNamedAnnotationsMakeMethodsAtomic() throws Exception {
    ChildJvm.Result r = run("=annotations=org.ame4jtest.agentit.MyAtomic");
    assertEquals(0, r.status(), r.describe());
    assertTrue(r.outLines().contains("deuce: 20000 of 20000, cells 20000"), r.describe());
    assertTrue(r.outLines().contains("mine: 20000 of 20000"), r.describe());
    assertTrue(r.outLines().contains("aborts happened: true"), r.describe());
  }

  @Test
  void withoutTheOptionTheProjectAnnotationMeansNothing() throws Exception {
    ChildJvm.Result r = run("");
    assertEquals(0, r.status(), r.describe());
    assertTrue(r.outLines().contains("deuce: 20000 of 20000, cells 20000"), r.describe());
    String mine = r.outLines().stream().filter(l -> l.startsWith("mine: ")).findFirst().orElseThrow();
    assertNotEquals("mine: 20000 of 20000", mine, "plain racing threads lose updates: " + r.describe());
  }
}
