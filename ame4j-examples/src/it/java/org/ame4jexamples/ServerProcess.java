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
import org.ame4j.testkit.ChildJvm;
import org.ame4j.testkit.Patience;
import org.ame4j.testkit.ThreadDumps;

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
    ProcessBuilder pb = ChildJvm.processBuilder(command).redirectErrorStream(true);
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
    // 180 s on a free machine: a JVM with the agent and the java.base patch under the JIT
    // stress flags takes tens of seconds to listen on 2 loaded cores.
    Patience limit = Patience.of(180);
    if (!limit.await(() -> ready.getCount() == 0 || !process.isAlive(), 200) || ready.getCount() != 0) {
      String dump = process.isAlive() ? ThreadDumps.ofProcess(process.pid()) : "(the server exited)\n";
      process.destroyForcibly();
      fail("server did not start in " + limit.describe() + ": " + command + "\n" + output + dump);
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
    List<String> serverArgs = new ArrayList<>(List.of("--port", Integer.toString(port)));
    serverArgs.addAll(List.of(args));
    return new ServerProcess(ChildJvm.java().jdkPatch(true).agent().childClassPath()
        .command(mainClass, serverArgs), port, "listening");
  }

  /**
   * Runs a command to its end (at most 10 minutes on a free machine, longer on a loaded one:
   * {@link Patience}); stdout and stderr together.
   */
  public static ChildJvm.Result runForOutput(List<String> command) {
    return ChildJvm.exec(command, null, 600, true);
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
