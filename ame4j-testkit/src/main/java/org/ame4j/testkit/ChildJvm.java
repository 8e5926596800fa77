package org.ame4j.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts a child JVM (the test's own {@code java}, from {@code java.home}) for an integration
 * test, and collects its exit status and output: {@code ChildJvm.java().agent().classPath(cp)
 * .run(MainClass.class.getName(), args)}. Also runs any other command ({@link #exec}) and builds
 * the command of a long-running child ({@link #command}, {@link #processBuilder}).
 *
 * <p>Why child JVMs: a test that needs the agent, a JVM-wide switch read once at class load, or
 * a JVM's first-time behaviour (a warning printed once) cannot get them in the test JVM; the
 * agent in the test JVM would also instrument JUnit, so that a transformer bug would break the
 * harness rather than fail a test. A crash or hang in a child costs one test: every run has a
 * time limit ({@link Patience}: seconds on a free machine, stretched while the machine is
 * loaded), after which the child's threads are dumped ({@link ThreadDumps#ofProcess}), the child
 * is killed, and the test fails with what it printed and the dump.
 *
 * <p>Guarantees: the child does not inherit {@code JAVA_TOOL_OPTIONS}, {@code _JAVA_OPTIONS} or
 * {@code JDK_JAVA_OPTIONS} (its stderr is its own, e.g. the agent's reports); output goes to
 * temporary files (no pipe can fill up and block the child), deleted once read. Does not
 * guarantee the child's class path: each test says what it runs against. Failures are
 * {@link AssertionError}s with the command and the output, so that JUnit reports them as
 * failures.
 *
 * <p>The agent jar comes from the system property {@code ame4j.agent.jar}, which the failsafe
 * configuration of each module sets to the jar the same build packaged.
 */
public final class ChildJvm {
  /**
   * The time limit of a run unless {@link #timeout} says otherwise, in seconds on a free machine
   * ({@link Patience}): 120 s, or 600 s in the stress profile ({@code ame4j.stress}), whose
   * C2-only JIT stress flags (JDK 25 adds two) make HistoryIT's 60-seed child take 60-130 s
   * alone on 2 cores.
   */
  public static final long DEFAULT_TIMEOUT_SECONDS = Boolean.getBoolean("ame4j.stress") ? 600 : 120;

  private final List<String> jvmArgs = new ArrayList<>();
  private String classPath;
  private Path workDir;
  private long timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;
  private boolean mergeStderr;

  private ChildJvm() {}

  /** A child JVM with no options yet. */
  public static ChildJvm java() {
    return new ChildJvm();
  }

  /** Adds JVM options (before the main class). */
  public ChildJvm jvmArgs(String... args) {
    jvmArgs.addAll(List.of(args));
    return this;
  }

  /** Runs the child under the agent ({@code -javaagent:} {@link #agentJar()}). */
  public ChildJvm agent() {
    return jvmArgs("-javaagent:" + agentJar());
  }

  /** Under the agent if {@code on}. */
  public ChildJvm agent(boolean on) {
    return on ? agent() : this;
  }

  /** With the java.base patch ({@link #jdkPatch()}) if {@code on}, as {@code ./ame run} starts programs. */
  public ChildJvm jdkPatch(boolean on) {
    return on ? jvmArgs("--patch-module", "java.base=" + jdkPatch()) : this;
  }

  /** The child's class path ({@code -cp}); none by default. */
  public ChildJvm classPath(String classPath) {
    this.classPath = classPath;
    return this;
  }

  /**
   * The class path the module's build gives its children: system property
   * {@code ame4j.child.classpath} (set by its failsafe configuration).
   */
  public ChildJvm childClassPath() {
    return classPath(property("ame4j.child.classpath"));
  }

  /** The child's working directory, where its output files go too; the default temporary directory otherwise. */
  public ChildJvm in(Path workDir) {
    this.workDir = workDir;
    return this;
  }

  /**
   * The child is killed and the test fails after this many seconds on a free machine (more on a
   * loaded one: {@link Patience}).
   */
  public ChildJvm timeout(long seconds) {
    this.timeoutSeconds = seconds;
    return this;
  }

  /** Stdout and stderr in one stream ({@link Result#out()}, interleaved as printed). */
  public ChildJvm mergeStderr() {
    this.mergeStderr = true;
    return this;
  }

  /** {@code java [jvm options] [-cp cp] mainClass args…}. */
  public List<String> command(String mainClass, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(javaExecutable().toString());
    command.addAll(jvmArgs);
    if (classPath != null) {
      command.add("-cp");
      command.add(classPath);
    }
    command.add(mainClass);
    command.addAll(args);
    return command;
  }

  /** Runs {@code mainClass args…} to its end. */
  public Result run(String mainClass, List<String> args) {
    return exec(command(mainClass, args), workDir, timeoutSeconds, mergeStderr);
  }

  public Result run(String mainClass, String... args) {
    return run(mainClass, List.of(args));
  }

  /**
   * Runs {@code java args…} in {@code workDir} (stdout and stderr apart), for tests that write the
   * whole command line themselves ({@code -jar}, agent options).
   */
  public static Result runJava(Path workDir, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(javaExecutable().toString());
    command.addAll(args);
    return exec(command, workDir, DEFAULT_TIMEOUT_SECONDS, false);
  }

  public static Result runJava(Path workDir, String... args) {
    return runJava(workDir, List.of(args));
  }

  /**
   * Runs {@code command} (any program) in {@code workDir} (null: the current one) to its end,
   * at most {@code timeoutSeconds} on a free machine ({@link Patience}); stdout and stderr apart
   * unless {@code mergeStderr}. A child that runs out of time is dumped ({@link
   * ThreadDumps#ofProcess}: a JVM's threads; anything else says it cannot be), then killed.
   */
  public static Result exec(List<String> command, Path workDir, long timeoutSeconds, boolean mergeStderr) {
    Path out = null;
    Path err = null;
    try {
      Path dir = workDir != null ? workDir : Path.of(System.getProperty("java.io.tmpdir"));
      out = Files.createTempFile(dir, "child", ".out");
      err = Files.createTempFile(dir, "child", ".err");
      ProcessBuilder pb = processBuilder(command).redirectOutput(out.toFile());
      if (workDir != null) {
        pb.directory(workDir.toFile());
      }
      if (mergeStderr) {
        pb.redirectErrorStream(true);
      } else {
        pb.redirectError(err.toFile());
      }
      Process p = pb.start();
      p.getOutputStream().close(); // no input: a child that reads stdin sees its end
      Patience limit = Patience.of(timeoutSeconds);
      boolean ended;
      try {
        ended = limit.await(p);
      } catch (InterruptedException e) {
        // The test's own timeout (JUnit's @Timeout interrupts): the child goes too, dumped first.
        String dump = dumpAndKill(p);
        Thread.currentThread().interrupt();
        throw new AssertionError(report("interrupted while running", command, out, err, dump), e);
      }
      if (!ended) {
        String dump = dumpAndKill(p);
        throw new AssertionError(report("child did not finish in " + limit.describe(), command, out, err, dump));
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8), List.copyOf(command));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } finally {
      deleteQuietly(out);
      deleteQuietly(err);
    }
  }

  /** The thread dump of a child that ran out of time, taken before it is killed. */
  private static String dumpAndKill(Process p) {
    String dump = ThreadDumps.ofProcess(p.pid());
    p.destroyForcibly();
    return dump;
  }

  /** A failure message: what happened, the command, what the child printed, its dump. */
  private static String report(String what, List<String> command, Path out, Path err, String dump)
      throws IOException {
    return what + ": " + String.join(" ", command)
        + "\n--- stdout\n" + Files.readString(out, StandardCharsets.UTF_8)
        + "--- stderr\n" + Files.readString(err, StandardCharsets.UTF_8) + dump;
  }

  /** A process builder for {@code command} without the JVM option variables of the test's environment. */
  public static ProcessBuilder processBuilder(List<String> command) {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    pb.environment().remove("_JAVA_OPTIONS");
    pb.environment().remove("JDK_JAVA_OPTIONS");
    return pb;
  }

  /** The test JVM's own {@code java}. */
  public static Path javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  /** The shaded agent jar that the build packaged (system property {@code ame4j.agent.jar}). */
  public static Path agentJar() {
    Path jar = pathProperty("ame4j.agent.jar");
    if (!Files.isRegularFile(jar) || !jar.toString().endsWith(".jar")) {
      throw new AssertionError("ame4j.agent.jar = " + jar + " is not a packaged jar: run the"
          + " integration tests with mvn verify from the repository root (ame4j-agent is packaged first)");
    }
    return jar;
  }

  /** The path in system property {@code name}, which the module's failsafe configuration sets. */
  public static Path pathProperty(String name) {
    return Path.of(property(name));
  }

  /** System property {@code name}, which the module's failsafe configuration sets. */
  public static String property(String name) {
    String value = System.getProperty(name);
    if (value == null || value.isEmpty() || value.contains("${")) {
      throw new AssertionError("system property " + name + " is not set: run the integration tests"
          + " through Maven (mvn verify from the repository root)");
    }
    return value;
  }

  /** {@code entries} joined with the platform's path separator. */
  public static String classPath(Object... entries) {
    List<String> s = new ArrayList<>();
    for (Object e : entries) {
      s.add(e.toString());
    }
    return String.join(File.pathSeparator, s);
  }

  private static Path jdkPatch;

  /**
   * The java.base patch for this JDK, made once per test JVM by the agent jar's
   * {@code jdk-patch} command into a fresh cache directory (so that a stale patch of an older
   * build is never used), as {@code ./ame run} passes it to {@code --patch-module}.
   */
  public static synchronized Path jdkPatch() {
    if (jdkPatch == null) {
      try {
        Path cache = Files.createTempDirectory("ame4j-it-jdk-patch");
        Result r = runJava(cache, "-jar", agentJar().toString(), "jdk-patch", "--cache", cache.toString());
        String dir = r.out().strip();
        if (r.status() != 0 || dir.isEmpty() || !Files.isDirectory(Path.of(dir))) {
          throw new AssertionError("making the java.base patch failed:\n" + r.describe());
        }
        jdkPatch = Path.of(dir);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return jdkPatch;
  }

  private static void deleteQuietly(Path p) {
    if (p != null) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException ignored) {
        // a temporary file: left for the OS
      }
    }
  }

  /**
   * What a finished child printed: {@code out} is stdout (with stderr if it was merged),
   * {@code err} stderr (empty if merged).
   */
  public record Result(int status, String out, String err, List<String> command) {
    /** Stdout then stderr: everything the child printed. */
    public String output() {
      return out + err;
    }

    public List<String> outLines() {
      return out.lines().toList();
    }

    public List<String> errLines() {
      return err.lines().toList();
    }

    /** The lines of {@link #output()} that contain {@code text}. */
    public List<String> linesContaining(String text) {
      return output().lines().filter(l -> l.contains(text)).toList();
    }

    /** For assertion messages: everything needed to understand a failure. */
    public String describe() {
      return "command: " + String.join(" ", command) + "\nstatus: " + status
          + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }

    /** The {@code key=value} tokens of the first {@code RESULT} line ({@link #results()}). */
    public Map<String, String> result() {
      List<Map<String, String>> all = results();
      if (all.isEmpty()) {
        throw new AssertionError("no RESULT line in the child's output:\n" + describe());
      }
      return all.get(0);
    }

    /**
     * The {@code key=value} tokens of every {@code RESULT key=value …} line of stdout, in order
     * (the line protocol of the examples' and benchmarks' children, {@link ResultLine}).
     */
    public List<Map<String, String>> results() {
      List<Map<String, String>> all = new ArrayList<>();
      for (String line : outLines()) {
        if (ResultLine.is(line)) {
          all.add(ResultLine.parse(line));
        }
      }
      return all;
    }
  }
}
