package org.ame4j.internal.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ame4j.internal.agent.instr.TwinLoader;
import org.ame4j.testkit.ChildJvm;
import org.ame4j.testkit.HangGuard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.Opcodes;

/**
 * Classes the agent refuses, in a child JVM under {@code -javaagent}: fail loudly, never
 * silently (docs/semantics.md, "Under the agent"). {@code LegacyCounter} rewritten to class file version 49 (no stack map
 * frames guaranteed, so no twins) must be reported with the documented line, and the program
 * must still be right: every transaction that reaches it runs inevitable, so 2 workers lose no
 * increment. A malformed class file ({@code Broken}), which the transformer cannot read, must be
 * reported too and refused (the program sees a {@code ClassFormatError}, as it would without the
 * agent), never loaded untracked.
 */
@HangGuard(seconds = 300)
class RefusedClassIT {
  static final String PKG = "org/ame4jtest/agentit/";

  @TempDir Path work;

  @Test
  void refusedClassesAreReportedAndRunInevitable() throws Exception {
    Path legacy = work.resolve("legacy");
    Files.createDirectories(legacy.resolve(PKG));
    byte[] counter = Files.readAllBytes(ChildJvm.pathProperty("ame4j.test.classes").resolve(PKG + "LegacyCounter.class"));
    Files.write(legacy.resolve(PKG + "LegacyCounter.class"), TwinLoader.withVersion(counter, Opcodes.V1_5));
    Files.write(legacy.resolve(PKG + "Broken.class"),
        new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0, 0, 61, 0, 16, 'x'});

    ChildJvm.Result r = ChildJvm.runJava(work,
        "-javaagent:" + ChildJvm.agentJar(),
        "-cp", ChildJvm.classPath(legacy, ChildJvm.pathProperty("ame4j.test.classes")),
        "org.ame4jtest.agentit.LegacyProgram");

    assertEquals(0, r.status(), r.describe());
    assertEquals(List.of(
        "broken: ClassFormatError",
        "legacy count: 2000 of 2000",
        "legacy inevitable: true"), r.outLines(), r.describe());
    List<String> err = r.errLines();
    assertTrue(err.contains("ame4j: cannot instrument org.ame4jtest.agentit.LegacyCounter"
        + " (class file version 49 may lack stack map frames);"
        + " transactions that reach its code run inevitable"), r.describe());
    assertTrue(err.stream().anyMatch(l ->
        l.startsWith("ame4j: cannot instrument org.ame4jtest.agentit.Broken (")
            && l.endsWith("; refused: the JVM is given it as a malformed class (ClassFormatError),"
                + " because its code could not be tracked. Fix or recompile it, or leave it out"
                + " with excludes=org.ame4jtest.agentit.Broken")),
        r.describe());
    assertEquals(2, err.size(), r.describe());
  }


}
