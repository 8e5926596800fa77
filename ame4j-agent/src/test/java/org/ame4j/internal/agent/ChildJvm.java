package org.ame4j.internal.agent;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a child JVM (the same {@code java} as the test's own, {@code java.home}) and collects its
 * exit status, stdout and stderr, for the integration tests. Knows where the shaded agent jar
 * and the test classes are (system properties set by the failsafe configuration).
 */
final class ChildJvm {
  /** What a finished child printed. */
  record Result(int status, String out, String err, List<String> command) {
    List<String> outLines() {
      return out.lines().toList();
    }

    List<String> errLines() {
      return err.lines().toList();
    }

    /** For assertion messages: everything needed to understand a failure. */
    String describe() {
      return "command: " + String.join(" ", command) + "\nstatus: " + status
          + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  private ChildJvm() {}

  /**
   * How long a child may run: 120 s, or 600 s in the stress profile ({@code ame4j.stress}), whose
   * C2-only JIT stress flags (JDK 25 adds two) make HistoryIT's 60-seed child take 60-100 s alone
   * on 2 busy cores, and more than 120 s when Maven's own JVMs run beside it.
   */
  static final long TIMEOUT_SECONDS = Boolean.getBoolean("ame4j.stress") ? 600 : 120;

  static Path java() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  /** The shaded agent jar that the build just produced. */
  static Path agentJar() {
    String p = System.getProperty("ame4j.agent.jar");
    assertTrue(p != null, "system property ame4j.agent.jar is not set: run the ITs with mvn verify");
    Path jar = Path.of(p);
    assertTrue(Files.isRegularFile(jar), "no agent jar at " + jar + ": run mvn verify (package first)");
    return jar;
  }

  /** target/test-classes: the programs of org.ame4jtest.agentit. */
  static Path testClasses() {
    String p = System.getProperty("ame4j.test.classes");
    assertTrue(p != null, "system property ame4j.test.classes is not set: run the ITs with mvn verify");
    return Path.of(p);
  }

  static String classPath(Path... entries) {
    List<String> s = new ArrayList<>();
    for (Path e : entries) {
      s.add(e.toString());
    }
    return String.join(File.pathSeparator, s);
  }

  /** Runs {@code java args…} in {@code workDir} and waits (at most {@link #TIMEOUT_SECONDS}). */
  static Result run(Path workDir, List<String> args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(java().toString());
    command.addAll(args);
    Path out = Files.createTempFile(workDir, "child", ".out");
    Path err = Files.createTempFile(workDir, "child", ".err");
    ProcessBuilder pb = new ProcessBuilder(command)
        .directory(workDir.toFile())
        .redirectOutput(out.toFile())
        .redirectError(err.toFile());
    pb.environment().remove("JAVA_TOOL_OPTIONS"); // the child's stderr must be the agent's only
    pb.environment().remove("_JAVA_OPTIONS");
    Process p = pb.start();
    if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      p.waitFor();
      fail("child JVM did not finish in " + TIMEOUT_SECONDS + " s: " + String.join(" ", command)
          + "\n--- stdout\n" + Files.readString(out, StandardCharsets.UTF_8)
          + "--- stderr\n" + Files.readString(err, StandardCharsets.UTF_8));
    }
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8), command);
  }

  static Result run(Path workDir, String... args) throws IOException, InterruptedException {
    return run(workDir, List.of(args));
  }
}
