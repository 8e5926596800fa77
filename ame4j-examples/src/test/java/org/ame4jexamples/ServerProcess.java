package org.ame4jexamples;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A server in a child process for the integration tests: an example server in a JVM with the
 * agent and the java.base patch (as {@code ./ame redis} starts it), or Debian's
 * {@code redis-server}. Started on a free loopback port, waited for, destroyed at close.
 */
public final class ServerProcess implements AutoCloseable {
  private final Process process;
  private final StringBuffer output = new StringBuffer();
  public final int port;

  private ServerProcess(List<String> command, int port, String readyText) {
    this.port = port;
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    pb.environment().remove("JDK_JAVA_OPTIONS");
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
    CountDownLatch ready = new CountDownLatch(1);
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          output.append(line).append('\n');
          if (line.contains(readyText)) {
            ready.countDown();
          }
        }
      } catch (IOException ignored) {
        // the process ended
      }
    }, "server-output");
    reader.setDaemon(true);
    reader.start();
    try {
      if (!ready.await(180, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        fail("server did not start in 180 s: " + command + "\n" + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Everything the server printed so far. */
  public String output() {
    return output.toString();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  /** A loopback port that was free a moment ago. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Debian's redis-server on {@code port}, no persistence, in the foreground. */
  public static ServerProcess redisServer(int port) {
    return new ServerProcess(List.of("redis-server", "--port", Integer.toString(port),
        "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no"),
        port, "Ready to accept connections");
  }

  /**
   * {@code mainClass args} in a JVM with the agent and the java.base patch (the example's
   * plain collections transactional), waiting for a line containing "listening".
   */
  public static ServerProcess exampleUnderAgent(String mainClass, int port, String... args) {
    List<String> command = new ArrayList<>();
    command.add(java());
    command.add("--patch-module");
    command.add("java.base=" + jdkPatch());
    command.add("-javaagent:" + ChildJvm.agentJar());
    command.add("-cp");
    command.add(ChildJvm.classPath());
    command.add(mainClass);
    command.add("--port");
    command.add(Integer.toString(port));
    command.addAll(List.of(args));
    return new ServerProcess(command, port, "listening");
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static String patch;

  /** The java.base patch for this JDK (made by the agent jar on first use, then cached). */
  public static synchronized String jdkPatch() {
    if (patch == null) {
      ChildJvm.Result r = runForOutput(List.of(java(), "-jar", ChildJvm.agentJar().toString(),
          "jdk-patch"));
      String[] lines = r.output().trim().split("\\R");
      String dir = lines[lines.length - 1].trim();
      if (r.exit() != 0 || !Files.isDirectory(Path.of(dir))) {
        fail("jdk-patch failed:\n" + r.output());
      }
      patch = dir;
    }
    return patch;
  }

  /** Runs a command to its end (at most 10 minutes); stdout and stderr together. */
  public static ChildJvm.Result runForOutput(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getOutputStream().close();
      java.util.concurrent.CompletableFuture<String> out = java.util.concurrent.CompletableFuture
          .supplyAsync(() -> {
            try {
              return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
      if (!p.waitFor(10, TimeUnit.MINUTES)) {
        p.destroyForcibly().waitFor();
        fail("did not finish in 10 minutes: " + command);
      }
      return new ChildJvm.Result(p.exitValue(), out.join());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** True if {@code program} is on the PATH. */
  public static boolean onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}
