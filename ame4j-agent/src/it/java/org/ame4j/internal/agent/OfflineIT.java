package org.ame4j.internal.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.ame4j.testkit.ChildJvm;
import org.ame4j.testkit.HangGuard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Offline mode through the agent jar's {@code Main-Class}: {@code java -jar ame4j-agent.jar
 * instrument in.jar out.jar}, then the instrumented program runs in a child JVM <em>without</em>
 * {@code -javaagent} (the agent jar only on the class path, for ame4j-core and the agent's
 * runtime) and gives the transactional results. The classes produced offline are byte for byte
 * those the load-time agent produces (its {@code dump}), and the load-time agent leaves them
 * unchanged.
 */
@HangGuard(seconds = 300)
class OfflineIT {
  static final String PKG = "org/ame4jtest/agentit/";

  @TempDir Path work;

  /** The agentit programs as an application jar (with a Main-Class, like a user's jar). */
  Path appJar() throws IOException {
    Path jar = work.resolve("app.jar");
    Manifest mf = new Manifest();
    mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    mf.getMainAttributes().put(Attributes.Name.MAIN_CLASS, AgentIT.BANK);
    Path dir = ChildJvm.pathProperty("ame4j.test.classes").resolve(PKG);
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), mf);
        Stream<Path> files = Files.list(dir)) {
      for (Path f : files.sorted().toList()) {
        out.putNextEntry(new JarEntry(PKG + f.getFileName()));
        out.write(Files.readAllBytes(f));
        out.closeEntry();
      }
      out.putNextEntry(new JarEntry("agentit/readme.txt"));
      out.write("a resource".getBytes());
      out.closeEntry();
    }
    return jar;
  }

  ChildJvm.Result instrument(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("-jar", ChildJvm.agentJar().toString()));
    command.addAll(List.of(args));
    return ChildJvm.runJava(work, command);
  }

  @Test
  void instrumentedJarRunsTransactionallyWithoutTheAgent() throws Exception {
    Path in = appJar();
    Path out = work.resolve("out/app-instrumented.jar");
    ChildJvm.Result r = instrument("instrument", in.toString(), out.toString());
    assertEquals(0, r.status(), r.describe());
    assertTrue(r.err().contains("classes instrumented"), r.describe());

    ChildJvm.Result run = ChildJvm.runJava(work,
        "-cp", ChildJvm.classPath(out, ChildJvm.agentJar()), AgentIT.BANK);
    assertEquals(0, run.status(), run.describe());
    assertEquals(List.of(
        "instrumented: true",
        "ordered equals sequential: true",
        "unordered total: 1600 of 1600",
        "commits: 40000"), run.outLines(), run.describe());

    try (ZipFile z = new ZipFile(out.toFile())) {
      assertEquals("a resource", new String(z.getInputStream(z.getEntry("agentit/readme.txt")).readAllBytes()));
    }
  }

  @Test
  void offlineBytesEqualLoadTimeBytesAndTheAgentLeavesThemAlone() throws Exception {
    Path in = appJar();
    Path out = work.resolve("app-instrumented.jar");
    ChildJvm.Result r = instrument("instrument", in.toString(), out.toString());
    assertEquals(0, r.status(), r.describe());

    Path dump = work.resolve("dump");
    ChildJvm.Result loadTime = ChildJvm.runJava(work,
        "-javaagent:" + ChildJvm.agentJar() + "=dump=" + dump,
        "-cp", ChildJvm.pathProperty("ame4j.test.classes").toString(), AgentIT.BANK, "10");
    assertEquals(0, loadTime.status(), loadTime.describe());
    try (ZipFile z = new ZipFile(out.toFile())) {
      for (String c : List.of("BankProgram", "BankProgram$Account")) {
        byte[] offline = z.getInputStream(z.getEntry(PKG + c + ".class")).readAllBytes();
        assertArrayEquals(Files.readAllBytes(dump.resolve(PKG + c + ".class")), offline, c);
      }
    }

    // Offline-instrumented classes under the agent: recognised, left as they are, still right.
    ChildJvm.Result both = ChildJvm.runJava(work,
        "-javaagent:" + ChildJvm.agentJar() + "=verbose=true", "-cp", out.toString(), AgentIT.BANK);
    assertEquals(0, both.status(), both.describe());
    assertTrue(both.outLines().contains("ordered equals sequential: true"), both.describe());
    assertTrue(both.errLines().contains(
        "ame4j: unchanged " + AgentIT.BANK + " (already instrumented)"), both.describe());
    assertFalse(both.errLines().contains("ame4j: instrumented " + AgentIT.BANK), both.describe());
  }

  /**
   * Issue 16: a class the instrumenter cannot read would run untracked, so the command fails
   * (status 1, nothing written) unless --copy-unreadable accepts it; and the output jar has the
   * input's permissions, not the temporary's owner-only ones.
   */
  @Test
  void unreadableClassFailsUnlessAcceptedAndOutputKeepsPermissions() throws Exception {
    Path in = work.resolve("with-broken.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(in));
        Stream<Path> files = Files.list(ChildJvm.pathProperty("ame4j.test.classes").resolve(PKG))) {
      for (Path f : files.sorted().toList()) {
        out.putNextEntry(new JarEntry(PKG + f.getFileName()));
        out.write(Files.readAllBytes(f));
        out.closeEntry();
      }
      out.putNextEntry(new JarEntry(PKG + "Broken.class"));
      out.write(new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0, 0, 61, 0, 16, 'x'});
      out.closeEntry();
    }
    Files.setPosixFilePermissions(in, PosixFilePermissions.fromString("rw-r--r--"));
    Path out = work.resolve("out.jar");
    ChildJvm.Result refused = instrument("instrument", in.toString(), out.toString());
    assertEquals(1, refused.status(), refused.describe());
    assertTrue(refused.errLines().get(0).startsWith(
        "ame4j: cannot instrument org.ame4jtest.agentit.Broken ("), refused.describe());
    assertTrue(refused.errLines().get(1).startsWith("ame4j: instrument failed: 1 class could not be"
        + " instrumented and would run untracked (org.ame4jtest.agentit.Broken)."),
        refused.describe());
    assertTrue(refused.err().contains("nothing was written to " + out), refused.describe());
    assertFalse(Files.exists(out), refused.describe());

    ChildJvm.Result copied = instrument("instrument", "--copy-unreadable", in.toString(), out.toString());
    assertEquals(0, copied.status(), copied.describe());
    assertTrue(copied.err().contains("org.ame4jtest.agentit.Broken (")
        && copied.err().contains("left unchanged: its code is NOT tracked"), copied.describe());
    assertTrue(copied.err().contains(", 1 left untracked (could not be read)"), copied.describe());
    assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(out)),
        copied.describe());
  }

  @Test
  void commandLineErrorsAreClearAndLeaveNoOutput() throws Exception {
    ChildJvm.Result none = instrument();
    assertEquals(2, none.status(), none.describe());
    assertTrue(none.err().startsWith("usage: java -jar ame4j-agent.jar"), none.describe());

    ChildJvm.Result help = instrument("help");
    assertEquals(0, help.status(), help.describe());
    assertTrue(help.out().contains("instrument [--classpath CP]"), help.describe());

    Path out = work.resolve("never.jar");
    ChildJvm.Result missing = instrument("instrument", work.resolve("missing.jar").toString(), out.toString());
    assertEquals(1, missing.status(), missing.describe());
    assertTrue(missing.err().contains("missing.jar does not exist"), missing.describe());

    Path corrupt = work.resolve("corrupt.jar");
    try (OutputStream o = Files.newOutputStream(corrupt)) {
      o.write("this is not a zip file".getBytes());
    }
    ChildJvm.Result bad = instrument("instrument", corrupt.toString(), out.toString());
    assertEquals(1, bad.status(), bad.describe());
    assertTrue(bad.err().contains("not a valid jar or zip file"), bad.describe());
    assertFalse(Files.exists(out), "no output after a failure");
    try (Stream<Path> left = Files.list(work)) {
      assertTrue(left.noneMatch(p -> p.getFileName().toString().contains(".ame4j-")),
          "no temporary file left behind");
    }
  }
}
