package org.ame4jexamples.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.ame4j.testkit.ChildJvm;
import org.ame4j.testkit.Patience;
import org.ame4jexamples.ServerProcess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The RESP2 example under the agent (2 workers, plain HashMap), checked with clients written by
 * nobody here: Debian's {@code redis-benchmark} and {@code redis-cli}, and against Debian's
 * {@code redis-server} byte for byte. Skipped when redis-tools / redis-server are not installed
 * ({@code .ci/run} installs them). {@code -Dame4j.redis.requests=N} changes the benchmark's
 * request count (default 100000).
 */
class RedisIT {
  static final int REQUESTS = Integer.getInteger("ame4j.redis.requests", 100_000);
  static final String TESTS = "ping,set,get,incr,lpush,lpop,sadd,hset,mset";
  /** How long a server may send nothing, on a free machine, before a reply counts as lost. */
  static final double STALL_SECONDS = 60;

  @BeforeAll
  static void redisInstalled() {
    assumeTrue(ServerProcess.onPath("redis-server") && ServerProcess.onPath("redis-benchmark")
        && ServerProcess.onPath("redis-cli"),
        "redis-server / redis-tools not installed (apt-get install redis-tools redis-server)");
  }

  /** Malformed and edge-case inputs, each on its own connection (Redis closes on most). */
  static final List<String> RAW_CASES = List.of(
      "PING\r\n*2\r\n$4\r\nECHO\r\n$3\r\nabc\r\n*x\r\nPING\r\n",
      "*2\r\n$4\r\nECHO\r\n:3\r\nabc\r\n",
      "*2\r\n$4\r\nECHO\r\n$-3\r\nabc\r\n",
      "ECHO \"a\r\n",
      "*0\r\n*-1\r\nPING\r\n*3000000000\r\n",
      "\r\n\n   \r\nPING \"a b\" 'c d' \"\\x41\\n\"\r\n*1\r\n$4\r\nPINGxx*1\r\n$4\r\nPING\r\n",
      "ECHO \"a\"b\r\n",
      "ECHO 'it\\'s'\r\n",
      "*1\r\n$01\r\n",
      "*01\r\n",
      "*1\r\n$4\r\nPING",
      "PING",
      "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3\r\nv\r\n\r\n",
      "*2\r\n$4\r\nECHO\r\n$5\r\n\u0000\u00ff\r\n\u0001\r\n",
      "GET " + "x".repeat(300) + " y\r\nNOSUCH " + "z".repeat(200) + " w\r\n");

  @Test
  void sameRepliesAsRedisServer() throws Exception {
    String script;
    try (InputStream in = RedisIT.class.getResourceAsStream("commands.txt")) {
      script = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).replace("\n", "\r\n");
    }
    List<String> inputs = new ArrayList<>();
    inputs.add("FLUSHALL\r\n" + script);
    inputs.addAll(RAW_CASES);
    try (ServerProcess redis = ServerProcess.redisServer(ServerProcess.freePort());
        ServerProcess ours = ServerProcess.exampleUnderAgent(RedisServer.class.getName(),
            ServerProcess.freePort(), "--workers", "2")) {
      for (String input : inputs) {
        String want = exchange(redis.port, input);
        String got = exchange(ours.port, input);
        assertEquals(want, got, "replies to:\n" + input);
      }
      assertTrue(ours.isAlive(), ours.output());
    }
  }

  /**
   * Sends {@code input}, half-closes, and reads until the server closes. A server that sends
   * nothing for {@link #STALL_SECONDS} on a free machine ({@link Patience}: longer while the
   * machine is loaded) fails the test; a slow one does not (a fixed 60 s read timeout was a
   * limit that a JIT-stressed agent server on two loaded cores could reach).
   */
  private static String exchange(int port, String input) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(1_000); // a poll: each timeout asks the patience, the socket stays usable
      s.getOutputStream().write(input.getBytes(StandardCharsets.ISO_8859_1));
      s.shutdownOutput();
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[8192];
      Patience stall = Patience.of(STALL_SECONDS);
      for (int n; ; ) {
        try {
          n = in.read(buf);
        } catch (SocketTimeoutException quiet) {
          if (stall.exhausted()) {
            throw new AssertionError("port " + port + " sent nothing for " + stall.describe()
                + " after " + got.size() + " bytes: "
                + got.toString(StandardCharsets.ISO_8859_1), quiet);
          }
          continue;
        }
        if (n < 0) {
          return got.toString(StandardCharsets.ISO_8859_1);
        }
        got.write(buf, 0, n);
        stall = Patience.of(STALL_SECONDS); // progress: the wait starts again
      }
    }
  }

  @Test
  void redisBenchmarkCompletesAndLosesNoUpdate() throws Exception {
    try (ServerProcess ours = ServerProcess.exampleUnderAgent(RedisServer.class.getName(),
        ServerProcess.freePort(), "--workers", "2")) {
      String port = Integer.toString(ours.port);
      for (String pipeline : List.of("1", "16")) {
        ChildJvm.Result r = ServerProcess.runForOutput(List.of("redis-benchmark", "-h",
            "127.0.0.1", "-p", port, "-n", Integer.toString(REQUESTS), "-c", "50", "-P", pipeline,
            "-q", "-t", TESTS));
        String summary = lastLines(r.output());
        assertEquals(0, r.status(), summary);
        assertFalse(summary.toLowerCase().contains("error"), summary);
        for (String t : new String[] {"PING_INLINE", "PING_MBULK", "SET", "GET", "INCR", "LPUSH",
            "LPOP", "SADD", "HSET", "MSET"}) {
          assertTrue(summary.contains(t + ":") || summary.contains(t + " "), t + " missing:\n" + summary);
        }
      }
      // A multiple of the pipeline depth: redis-benchmark sends whole pipelines.
      int pushes = 16 * 789;
      ChildJvm.Result r = ServerProcess.runForOutput(List.of("redis-benchmark", "-h", "127.0.0.1",
          "-p", port, "-n", Integer.toString(pushes), "-c", "50", "-P", "16", "-q", "-t", "rpush"));
      assertEquals(0, r.status(), r.output());
      // Every INCR of both runs counted once; lists: pushes minus pops.
      assertEquals(Integer.toString(2 * REQUESTS), cli(port, "GET", "counter:__rand_int__"));
      assertEquals(Integer.toString(pushes), cli(port, "LLEN", "mylist"));
      assertEquals("1", cli(port, "SCARD", "myset"));
      assertEquals("5", cli(port, "DBSIZE"));
      assertTrue(ours.isAlive(), ours.output());
    }
  }

  private static String cli(String port, String... command) {
    List<String> cmd = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", port));
    cmd.addAll(List.of(command));
    ChildJvm.Result r = ServerProcess.runForOutput(cmd);
    assertEquals(0, r.status(), r.output());
    return r.output().trim();
  }

  /** redis-benchmark's final lines (its progress lines end in \r). */
  private static String lastLines(String output) {
    StringBuilder sb = new StringBuilder();
    for (String line : output.split("\n")) {
      int cr = line.lastIndexOf('\r');
      sb.append(cr >= 0 ? line.substring(cr + 1) : line).append('\n');
    }
    return sb.toString();
  }
}
