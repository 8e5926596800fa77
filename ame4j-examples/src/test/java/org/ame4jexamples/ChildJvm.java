package org.ame4jexamples;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts a child JVM, with or without the ame4j agent, for the integration tests ({@code *IT},
 * run by maven-failsafe in {@code mvn verify}).
 *
 * <p>Why child JVMs rather than {@code -javaagent} on the test JVM itself: the agent instruments
 * every class outside {@code org.ame4j} that the JVM loads, which in the test JVM includes JUnit,
 * opentest4j and the failsafe booter. A transformer bug would then break the test harness rather
 * than fail a test, and the sequential reference runs must be made <em>without</em> the agent
 * anyway. So the test JVM stays plain (it computes the references), and each configuration runs
 * in a fresh JVM whose class path is just this module's classes and ame4j-core: classes are
 * initialized and instrumented from scratch for every configuration, and a crash or hang costs
 * one test, not the run.
 *
 * <p>The agent jar and the child class path come from system properties that the pom sets:
 * {@code ame4j.agent.jar} is {@code ${org.ame4j:ame4j-agent:jar}} from the
 * maven-dependency-plugin {@code properties} goal, the reactor's freshly packaged jar.
 */
public final class ChildJvm {
  private ChildJvm() {}

  /** What a child printed (stdout and stderr interleaved) and its exit status. */
  public record Result(int exit, String output) {
    /** The {@code key=value} tokens of the first {@code RESULT} line. */
    public Map<String, String> result() {
      List<Map<String, String>> all = results();
      if (all.isEmpty()) {
        throw new AssertionError("no RESULT line in the child's output:\n" + output);
      }
      return all.get(0);
    }

    /**
     * The {@code key=value} tokens of every {@code RESULT} line, in order; {@code check} is the
     * rest of the line after {@code " check="}.
     */
    public List<Map<String, String>> results() {
      List<Map<String, String>> all = new ArrayList<>();
      for (String line : output.split("\\R")) {
        if (!line.startsWith("RESULT ")) {
          continue;
        }
        Map<String, String> kv = new LinkedHashMap<>();
        int check = line.indexOf(" check=");
        String head = check < 0 ? line : line.substring(0, check);
        for (String token : head.substring("RESULT ".length()).split(" ")) {
          int eq = token.indexOf('=');
          if (eq > 0) {
            kv.put(token.substring(0, eq), token.substring(eq + 1));
          }
        }
        if (check >= 0) {
          kv.put("check", line.substring(check + " check=".length()));
        }
        all.add(kv);
      }
      return all;
    }
  }

  /** The agent jar, checked to be a packaged jar. */
  public static Path agentJar() {
    String p = System.getProperty("ame4j.agent.jar");
    if (p == null || p.isEmpty() || p.startsWith("${")) {
      fail("system property ame4j.agent.jar is not set: run the integration tests through Maven"
          + " from the repository root (mvn verify), which packages ame4j-agent first");
    }
    Path jar = Path.of(p);
    if (!Files.isRegularFile(jar) || !p.endsWith(".jar")) {
      fail("ame4j.agent.jar = " + p + " is not a packaged jar: run at least the package phase of"
          + " ame4j-agent in the same reactor (mvn verify from the repository root)");
    }
    return jar;
  }

  /** This module's classes, ame4j-core and ame4j-reactor: the class path of every child. */
  public static String classPath() {
    String cp = System.getProperty("ame4j.child.classpath");
    if (cp == null || cp.isEmpty() || cp.contains("${")) {
      fail("system property ame4j.child.classpath is not set: run through Maven (mvn verify)");
    }
    return cp;
  }

  /** Runs {@code mainClass args} in a new JVM, with the agent if {@code agent}. */
  public static Result run(boolean agent, String mainClass, List<String> args, long timeoutSeconds) {
    return run(agent, false, mainClass, args, timeoutSeconds);
  }

  private static Path jdkPatch;

  /**
   * The java.base patch for this JDK, made once per test JVM (the agent jar's {@code jdk-patch}
   * command, into a fresh cache directory), as {@code ./ame run} passes it.
   */
  public static synchronized Path jdkPatch() {
    if (jdkPatch == null) {
      try {
        Path cache = Files.createTempDirectory("ame4j-it-jdk-patch");
        Process p = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
            agentJar().toString(), "jdk-patch", "--cache", cache.toString()).start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        String out = read(p.getInputStream()).strip();
        if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0 || out.isEmpty()) {
          fail("making the java.base patch failed: " + out + "\n" + err.getNow(""));
        }
        jdkPatch = Path.of(out);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    return jdkPatch;
  }

  /**
   * Runs {@code mainClass args} in a new JVM, with the agent if {@code agent}, and with the
   * java.base patch ({@link #jdkPatch()}) if {@code patch}.
   */
  public static Result run(boolean agent, boolean patch, String mainClass, List<String> args,
      long timeoutSeconds) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (patch) {
      command.add("--patch-module");
      command.add("java.base=" + jdkPatch());
    }
    if (agent) {
      command.add("-javaagent:" + agentJar());
    }
    command.add("-cp");
    command.add(classPath());
    command.add(mainClass);
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    pb.environment().remove("JDK_JAVA_OPTIONS");
    try {
      Process p = pb.start();
      CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
        fail("child JVM did not finish in " + timeoutSeconds + " s: " + String.join(" ", command)
            + "\noutput so far:\n" + out.getNow("(unavailable)"));
      }
      return new Result(p.exitValue(), out.join());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static String read(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Lines in which the agent reports a class it could not instrument. */
  public static List<String> fallbackReports(String output) {
    List<String> lines = new ArrayList<>();
    Matcher m = Pattern.compile("(?m)^.*cannot instrument.*$").matcher(output);
    while (m.find()) {
      lines.add(m.group());
    }
    return lines;
  }
}
