package org.ame4j.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.ame4j.bench.report.BarChart;

/**
 * The Redis example on the transactional reactor against its baselines, driven by Debian's
 * {@code redis-benchmark} (50 clients, {@code -P 1} and {@code -P 16}, SET/GET/INCR), all in the
 * same run: the real {@code redis-server} (the anchor), the example without the agent in the
 * reactor's serial mode (the sequential baseline: same program, one event-loop thread that reads,
 * runs the handlers one at a time and writes, nothing tracked), and the example under the agent
 * with 1 and 2 workers (event loops).
 *
 * <p>All four servers run for the whole benchmark; each round runs every (server, pipeline)
 * pair once, the order of servers rotating from round to round, so drift of the shared
 * machine's load hits all of them alike; the table reports medians over rounds. Each round also
 * runs the parallelism probe (two threads spinning for a second: CPU time over wall time, 2.0
 * on a free 2-core machine) and records how many cores the client and the server used.
 *
 * <p>Each test is its own {@code redis-benchmark} run, so the server's CPU time per request is
 * that test's ({@code /proc/<pid>/stat}, 10 ms ticks: about 1 % of a one-second cell). The
 * report gives, per cell, how far apart the rounds were (spread) and the server's CPU per
 * request against the serial baseline's: where {@code redis-benchmark} saturates its core, the
 * servers' requests/s differ by less than the rounds' spread and the CPU ratio is the verdict.
 *
 * <p>Usage (from {@code run-redis-bench.sh}): {@code RedisBench --classes CP --agent JAR
 * --patch DIR [--rounds R] [--requests N] [--out results/redis.md] [--png docs/img/x.png]}.
 */
public final class RedisBench {
  static final String[] PIPELINES = {"1", "16"};
  static final String[] TESTS = {"SET", "GET", "INCR"};

  private RedisBench() {}

  /**
   * One test (one redis-benchmark run of that test alone). {@code serverMicros}: the server
   * process's CPU time during the run over its requests, in microseconds: on a busy machine, or
   * when the client saturates its core, a steadier measure of the server's cost than requests/s.
   */
  record Sample(double rps, double p50, double p99, double clientCores, double serverCores,
      double serverMicros) {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opt = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      opt.put(args[i], args[i + 1]);
    }
    String classes = need(opt, "--classes");
    String agent = need(opt, "--agent");
    String patch = need(opt, "--patch");
    int rounds = Integer.parseInt(opt.getOrDefault("--rounds", "5"));
    int requests = Integer.parseInt(opt.getOrDefault("--requests", "100000"));
    Path out = Path.of(opt.getOrDefault("--out", "ame4j-bench/results/redis.md"));
    Path png = Path.of(opt.getOrDefault("--png", "docs/img/redis-bench.png"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String main = "org.ame4jexamples.redis.RedisServer";

    Map<String, Server> servers = new LinkedHashMap<>();
    List<Server> started = new ArrayList<>();
    try {
      int p = freePort();
      servers.put("redis-server", start(List.of("redis-server", "--port", "" + p, "--bind",
          "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no"), p,
          "Ready to accept connections", started));
      p = freePort();
      servers.put("serial, no agent", start(List.of(java, "-cp", classes, main, "--port", "" + p,
          "--serial"), p, "listening", started));
      for (String w : new String[] {"1", "2"}) {
        p = freePort();
        servers.put("agent, " + w + " worker" + (w.equals("1") ? "" : "s"), start(List.of(java,
            "--patch-module", "java.base=" + patch, "-javaagent:" + agent, "-cp", classes, main,
            "--port", "" + p, "--workers", w), p, "listening", started));
      }
      List<String> names = new ArrayList<>(servers.keySet());
      List<Double> probes = new ArrayList<>();
      Map<String, List<Sample>> samples = rounds(servers, rounds, requests, probes);
      String report = report(names, samples, probes, rounds, requests);
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.writeString(out, report);
      chart(names, samples, probes, png);
      System.out.print(report);
    } finally {
      for (Server s : started) {
        s.process.destroy();
        s.process.waitFor(10, TimeUnit.SECONDS);
        s.process.destroyForcibly();
      }
    }
  }

  /**
   * Warms every server up, then runs {@code rounds} rounds of every (server, pipeline) pair, the
   * order of servers rotating from round to round, with a parallelism probe per round (appended
   * to {@code probes}, plus one at the end). Samples are keyed "server|pipeline|test".
   */
  static Map<String, List<Sample>> rounds(Map<String, Server> servers, int rounds, int requests,
      List<Double> probes) throws IOException, InterruptedException {
    List<String> names = new ArrayList<>(servers.keySet());
    System.err.println("warm-up (JIT, class loading, the agent's first instrumentation) ...");
    for (String name : names) {
      for (String pl : PIPELINES) {
        bench(servers.get(name), pl, Math.max(requests / 2, 10_000));
      }
    }
    Map<String, List<Sample>> samples = new LinkedHashMap<>();
    for (int r = 0; r < rounds; r++) {
      probes.add(parallelismProbe());
      for (int k = 0; k < names.size(); k++) {
        String name = names.get((k + r) % names.size());
        for (String pl : PIPELINES) {
          Map<String, Sample> res = bench(servers.get(name), pl, requests);
          for (Map.Entry<String, Sample> e : res.entrySet()) {
            samples.computeIfAbsent(name + "|" + pl + "|" + e.getKey(), x -> new ArrayList<>())
                .add(e.getValue());
          }
        }
      }
      System.err.printf(Locale.ROOT, "round %d/%d done (probe %.2f)%n", r + 1, rounds,
          probes.get(probes.size() - 1));
    }
    probes.add(parallelismProbe());
    return samples;
  }

  static String need(Map<String, String> opt, String key) {
    String v = opt.get(key);
    if (v == null) {
      throw new IllegalArgumentException("missing " + key);
    }
    return v;
  }

  record Server(Process process, int port) {}

  static Server start(List<String> command, int port, String ready, List<Server> started)
      throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    Server s = new Server(p, port);
    started.add(s);
    CountDownLatch up = new CountDownLatch(1);
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
          StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          if (line.contains(ready)) {
            up.countDown();
          }
        }
      } catch (IOException ignored) {
        // process ended
      }
    });
    t.setDaemon(true);
    t.start();
    if (!up.await(300, TimeUnit.SECONDS)) {
      throw new IllegalStateException("did not start: " + command);
    }
    return s;
  }

  /**
   * The requests of one cell at pipeline {@code pipeline}: {@code requests} times the pipeline
   * depth, so that a {@code -P 16} run lasts about as long as a {@code -P 1} run (100000
   * pipelined requests took 0.09 s on 2 cores, too short to measure a few per cent).
   */
  static int cellRequests(int requests, String pipeline) {
    return Math.multiplyExact(requests, Integer.parseInt(pipeline));
  }

  /**
   * One redis-benchmark run per test, each with {@link #cellRequests} requests, so that the
   * server's CPU time is the test's own: its rps, p50, p99 (ms), and client/server cores used.
   */
  static Map<String, Sample> bench(Server s, String pipeline, int requests)
      throws IOException, InterruptedException {
    Map<String, Sample> res = new LinkedHashMap<>();
    int n = cellRequests(requests, pipeline);
    for (String test : TESTS) {
      long serverCpu0 = cpuNanos(s.process.pid());
      long t0 = System.nanoTime();
      // bash's `times` prints the children's user and system CPU time: the client's own cost.
      String cmd = "redis-benchmark -h 127.0.0.1 -p " + s.port + " -n " + n + " -c 50 -P "
          + pipeline + " -t " + test.toLowerCase(Locale.ROOT) + " --csv; times";
      Process p = new ProcessBuilder("bash", "-c", cmd).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IllegalStateException("redis-benchmark failed:\n" + output);
      }
      double wall = (System.nanoTime() - t0) / 1e9;
      long serverCpu = cpuNanos(s.process.pid()) - serverCpu0;
      String[] lines = output.trim().split("\\R");
      double clientCpu = timesLine(lines[lines.length - 1]);
      for (String line : lines) {
        String[] f = line.replace("\"", "").split(",");
        if (f.length >= 7 && f[0].equals(test)) {
          res.put(test, new Sample(Double.parseDouble(f[1]), Double.parseDouble(f[4]),
              Double.parseDouble(f[6]), clientCpu / wall, serverCpu / 1e9 / wall,
              serverCpu / 1e3 / n));
        }
      }
      if (!res.containsKey(test)) {
        throw new IllegalStateException("unexpected redis-benchmark output:\n" + output);
      }
    }
    return res;
  }

  /** Sums "0m1.234s 0m0.567s" (children's user and system time) from bash's {@code times}. */
  private static double timesLine(String line) {
    double sum = 0;
    for (String t : line.trim().split("\\s+")) {
      int m = t.indexOf('m');
      sum += Double.parseDouble(t.substring(0, m)) * 60
          + Double.parseDouble(t.substring(m + 1, t.length() - 1));
    }
    return sum;
  }

  /** utime + stime of a process, from /proc (Linux), in nanoseconds. */
  private static long cpuNanos(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15
    return ticks * 10_000_000L; // USER_HZ = 100 on Linux
  }

  /** Two threads spin for ~1 s: their CPU time over wall time (2.0 if two cores were free). */
  static double parallelismProbe() throws InterruptedException {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long[] cpu = new long[2];
    Thread[] ts = new Thread[2];
    long end = System.nanoTime() + 1_000_000_000L;
    long t0 = System.nanoTime();
    for (int i = 0; i < 2; i++) {
      int me = i;
      ts[i] = new Thread(() -> {
        long x = 0;
        while (System.nanoTime() < end) {
          x += x * 31 + 7;
        }
        cpu[me] = mx.getCurrentThreadCpuTime() + (x == 42 ? 1 : 0);
      });
      ts[i].start();
    }
    for (Thread t : ts) {
      t.join();
    }
    return (cpu[0] + cpu[1]) / (double) (System.nanoTime() - t0);
  }

  static double median(List<Double> xs) {
    double[] a = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
  }

  static double med(List<Sample> s, java.util.function.ToDoubleFunction<Sample> f) {
    return median(s.stream().map(f::applyAsDouble).toList());
  }

  /** (max - min) / median of {@code f} over the rounds: how far apart the rounds were. */
  static double spread(List<Sample> s, java.util.function.ToDoubleFunction<Sample> f) {
    double[] a = s.stream().mapToDouble(f).sorted().toArray();
    return (a[a.length - 1] - a[0]) / med(s, f);
  }

  private static String report(List<String> names, Map<String, List<Sample>> samples,
      List<Double> probes, int rounds, int requests) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "redis-benchmark -c 50, one run per test, -n %d at -P 1"
        + " and %d at -P 16, medians of %d rounds; parallelism probe per round: %s (median %.2f)"
        + "%n%n", cellRequests(requests, "1"), cellRequests(requests, "16"), rounds,
        probes.stream().map(d -> String.format(Locale.ROOT, "%.2f", d)).toList(), median(probes)));
    sb.append("| server | -P | test | requests/s | rps spread | p50 ms | p99 ms | vs serial"
        + " | vs redis-server | client cores | server cores | server CPU µs/request"
        + " | CPU spread | CPU vs serial |\n");
    sb.append("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        + "| ---: | ---: |\n");
    StringBuilder best = new StringBuilder();
    for (String pl : PIPELINES) {
      for (String test : TESTS) {
        List<Sample> serialSamples = samples.get("serial, no agent|" + pl + "|" + test);
        double serial = med(serialSamples, Sample::rps);
        double serialCpu = med(serialSamples, Sample::serverMicros);
        double redis = med(samples.get("redis-server|" + pl + "|" + test), Sample::rps);
        String bestName = null;
        double bestRps = 0;
        for (String name : names) {
          List<Sample> s = samples.get(name + "|" + pl + "|" + test);
          double rps = med(s, Sample::rps);
          double cpu = med(s, Sample::serverMicros);
          sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %,.0f | %.0f %% | %.3f | %.3f "
              + "| %.2f | %.2f | %.2f | %.2f | %.3f | %.0f %% | %.2f |%n", name, pl, test, rps,
              100 * spread(s, Sample::rps), med(s, Sample::p50), med(s, Sample::p99),
              rps / serial, rps / redis, med(s, Sample::clientCores),
              med(s, Sample::serverCores), cpu, 100 * spread(s, Sample::serverMicros),
              cpu / serialCpu));
          if (name.startsWith("agent") && rps > bestRps) {
            bestName = name;
            bestRps = rps;
          }
        }
        if (bestName != null) {
          List<Sample> s = samples.get(bestName + "|" + pl + "|" + test);
          best.append(String.format(Locale.ROOT, "* -P %s %s: %s, %.2f× the serial baseline's "
              + "requests/s (rounds spread %.0f %% and %.0f %%), %.2f× its CPU per request, %.2f× "
              + "redis-server's requests/s%n", pl, test, bestName, bestRps / serial,
              100 * spread(s, Sample::rps), 100 * spread(serialSamples, Sample::rps),
              med(s, Sample::serverMicros) / serialCpu, bestRps / redis));
        }
      }
    }
    sb.append("\nAt the best worker count (by median requests/s):\n\n").append(best);
    return sb.toString();
  }

  private static void chart(List<String> names, Map<String, List<Sample>> samples,
      List<Double> probes, Path png) throws IOException {
    BarChart c = new BarChart("redis-benchmark, 50 clients (median requests/s)", "requests/s",
        false, names).highlight("agent");
    for (String pl : PIPELINES) {
      for (String test : TESTS) {
        double[] v = new double[names.size()];
        for (int i = 0; i < names.size(); i++) {
          v[i] = med(samples.get(names.get(i) + "|" + pl + "|" + test), Sample::rps);
        }
        c.add(test + " -P " + pl, v);
      }
    }
    c.note(String.format(Locale.ROOT, "parallelism probe (2.0 = two free cores): median %.2f",
        median(probes)));
    Files.createDirectories(png.toAbsolutePath().getParent());
    c.write(png);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
