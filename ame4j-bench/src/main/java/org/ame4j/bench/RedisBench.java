package org.ame4j.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import org.ame4j.bench.report.BarChart;

/**
 * The Redis example on the transactional reactor against its baselines, driven by Debian's
 * {@code redis-benchmark} (50 clients, {@code -P 1} and {@code -P 16}, SET/GET/INCR), all in the
 * same run: the real {@code redis-server} (the anchor), the example without the agent in the
 * reactor's serial mode (the sequential baseline: same program, one event-loop thread that reads,
 * runs the handlers one at a time and writes, nothing tracked), and the example under the agent
 * with 1 and 2 workers (event loops).
 *
 * <p><b>Design of the comparison.</b> All four servers run for the whole benchmark. A round
 * measures every cell (pipeline depth × test) in turn; within a cell the three JVM servers run
 * in a mirrored order around {@code redis-server}, e.g. serial, 1 worker, 2 workers,
 * redis-server, 2 workers, 1 worker, serial, the first JVM server rotating from round to round.
 * Every server's runs then have the same mean position in the cell, so a load that drifts
 * linearly during the cell hits them alike (plain ABAB alternation would favour the one that
 * runs second). The verdicts are paired: per round the ratio of a server's mean to the serial
 * baseline's mean in that same cell, then the median over rounds with a bootstrap interval
 * ({@link PairedRatio}); the absolute medians are printed too, but the noisy absolutes decide
 * nothing. Each round starts with the parallelism probe ({@link ParallelismProbe}).
 *
 * <p>Each run is its own {@code redis-benchmark} run of one test, N requests at {@code -P 1}
 * and 16 N at {@code -P 16}, so the server's CPU time per request is that test's own
 * ({@code /proc/<pid>/stat}, 10 ms ticks: about 1 % of a run of a second). The agent servers run
 * with {@code --stats}: their commit and abort counters over the whole run (warm-up included)
 * close the report.
 *
 * <p><b>Selecting.</b> {@code --cells P1:SET,P16:GET} measures only those cells (all six by
 * default), {@code --servers serial,1w} only those servers ({@code redis}, {@code serial},
 * {@code 1w}, {@code 2w}; all four by default; the serial baseline is always one of them, every
 * verdict being a ratio to it). The mirrored order keeps its shape with fewer servers: without
 * the 2-worker server a cell is serial, 1 worker, redis-server, 1 worker, serial (or 1 worker
 * first, alternating); without redis-server nothing sits in the middle. A verdict whose server
 * was not run is printed as "—".
 *
 * <p><b>Per-round spread.</b> For each cell the report gives the per-round spread of the
 * 1-worker (else 2-worker) requests/s ratio ({@link PairedRatio#robustSd}), the seconds a round
 * spends in the cell, and from the two how many rounds (and minutes) would make the interval
 * about ±1.5 %: the median's standard error is about 1.25 SD / √rounds, so its 95 % interval is
 * about ±2.46 SD / √rounds. Cells of different length ({@code --requests}) are compared by SD ×
 * √(seconds per round): the lower one narrows the interval faster per minute of benchmark.
 *
 * <p>Usage (from {@code run-redis-bench.sh}): {@code RedisBench --classes CP --agent JAR
 * --patch DIR [--rounds R | --minutes M] [--requests N] [--cells P1:SET,...] [--servers serial,1w,...]
 * [--out results/redis.md] [--png docs/img/x.png]}.
 */
public final class RedisBench {
  static final String[] PIPELINES = {"1", "16"};
  static final String[] TESTS = {"SET", "GET", "INCR"};
  static final String REDIS = "redis-server";
  static final String SERIAL = "serial, no agent";
  static final String ONE = "agent, 1 worker";
  static final String TWO = "agent, 2 workers";
  /** The servers in the mirrored order's rotation (redis-server sits in the middle). */
  static final List<String> JVMS = List.of(SERIAL, ONE, TWO);
  /** "Equal within" this for a verdict of parity: what the benchmark is built to resolve. */
  static final double TOLERANCE = 0.03;
  /** The interval half-width the rounds estimate aims at: half of {@link #TOLERANCE}. */
  static final double AIM = 0.015;
  /** The short names {@code --servers} takes, in report order. */
  static final Map<String, String> SHORT = Map.of("redis", REDIS, "serial", SERIAL, "1w", ONE,
      "2w", TWO);

  private RedisBench() {}

  /**
   * One run (one redis-benchmark run of one test) in round {@code round}. {@code serverMicros}:
   * the server process's CPU time during the run over its requests, in microseconds.
   */
  record Sample(int round, double rps, double p50, double p99, double clientCores,
      double serverCores, double serverMicros, double seconds) {}

  /** One cell: a pipeline depth and a test, e.g. {@code P16:GET}. */
  record Cell(String pipeline, String test) {
    /** The key part of the samples' map: "16|GET". */
    String key() {
      return pipeline + "|" + test;
    }

    @Override
    public String toString() {
      return "P" + pipeline + ":" + test;
    }
  }

  /** {@code P1:SET,P16:GET} into cells, in the given order (null: all six). */
  static List<Cell> cells(String spec) {
    List<Cell> all = new ArrayList<>();
    for (String pl : PIPELINES) {
      for (String test : TESTS) {
        all.add(new Cell(pl, test));
      }
    }
    if (spec == null) {
      return all;
    }
    List<Cell> chosen = new ArrayList<>();
    for (String part : spec.split(",")) {
      Cell c = all.stream().filter(x -> x.toString().equalsIgnoreCase(part.trim())).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("--cells: unknown cell '" + part
              + "' (one of " + all + ")"));
      if (!chosen.contains(c)) {
        chosen.add(c);
      }
    }
    return chosen;
  }

  /** {@code serial,1w} into server names in report order (null: all four); serial required. */
  static List<String> servers(String spec) {
    if (spec == null) {
      return names();
    }
    List<String> wanted = new ArrayList<>();
    for (String part : spec.split(",")) {
      String name = SHORT.get(part.trim().toLowerCase(Locale.ROOT));
      if (name == null) {
        throw new IllegalArgumentException("--servers: unknown server '" + part
            + "' (redis, serial, 1w, 2w)");
      }
      wanted.add(name);
    }
    if (!wanted.contains(SERIAL)) {
      throw new IllegalArgumentException("--servers: the serial baseline must be one of them"
          + " (every verdict is a ratio to it)");
    }
    return names().stream().filter(wanted::contains).toList();
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opt = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      opt.put(args[i], args[i + 1]);
    }
    String classes = need(opt, "--classes");
    String agent = need(opt, "--agent");
    String patch = need(opt, "--patch");
    int rounds = Integer.parseInt(opt.getOrDefault("--rounds", "12"));
    double budget = Double.parseDouble(opt.getOrDefault("--minutes", "0"));
    int requests = Integer.parseInt(opt.getOrDefault("--requests", "100000"));
    List<Cell> cells = cells(opt.get("--cells"));
    List<String> chosen = servers(opt.get("--servers"));
    if (rounds < 1 || requests < 1 || budget < 0) {
      throw new IllegalArgumentException("--rounds and --requests must be positive, --minutes"
          + " not negative");
    }
    Path out = Path.of(opt.getOrDefault("--out", "ame4j-bench/results/redis.md"));
    Path png = Path.of(opt.getOrDefault("--png", "docs/img/redis-bench.png"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String main = "org.ame4jexamples.redis.RedisServer";

    Map<String, Server> servers = new LinkedHashMap<>();
    List<Server> started = new ArrayList<>();
    try {
      int p;
      if (chosen.contains(REDIS)) {
        p = freePort();
        servers.put(REDIS, start(List.of("redis-server", "--port", "" + p, "--bind",
            "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no"), p,
            "Ready to accept connections", started));
      }
      p = freePort();
      servers.put(SERIAL, start(List.of(java, "-cp", classes, main, "--port", "" + p,
          "--serial"), p, "listening", started));
      for (String name : agentServers(chosen)) {
        p = freePort();
        servers.put(name, start(List.of(java, "--patch-module", "java.base=" + patch,
            "-javaagent:" + agent, "-cp", classes, main, "--port", "" + p, "--workers",
            name.equals(ONE) ? "1" : "2", "--stats"), p, "listening", started));
      }
      List<Double> probes = new ArrayList<>();
      long t0 = System.nanoTime();
      Map<String, List<Sample>> samples = rounds(servers, chosen.contains(REDIS) ? REDIS : null,
          cells, rounds, budget, requests, probes);
      double minutes = (System.nanoTime() - t0) / 60e9;
      Map<String, String> stats = new LinkedHashMap<>();
      for (String name : agentServers(chosen)) {
        stats.put(name, stop(servers.get(name)));
      }
      rounds = samples.get(SERIAL + "|" + cells.get(0).key()).stream()
          .mapToInt(Sample::round).max().orElse(-1) + 1;
      String report = report(samples, probes, chosen, cells, rounds, requests, minutes, stats);
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.writeString(out, report);
      chart(samples, probes, chosen, cells, png);
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
   * Warms every server up, then runs {@code rounds} rounds (see the class comment for the
   * order), with a parallelism probe per round (appended to {@code probes}, plus one at the
   * end). Samples are keyed "server|pipeline|test". With a budget of {@code minutes} (0: none),
   * rounds go on until the next one would end past it, however many {@code rounds} says, but
   * at least {@link PairedRatio#MIN_ROUNDS}: a stopping rule that looks at the clock, never at
   * the ratios, so it does not bias the interval.
   */
  static Map<String, List<Sample>> rounds(Map<String, Server> servers, String middle,
      List<Cell> cells, int rounds, double minutes, int requests, List<Double> probes)
      throws IOException, InterruptedException {
    List<String> mirroredNames = new ArrayList<>(servers.keySet());
    mirroredNames.remove(middle);
    int runsPerCell = 2 * mirroredNames.size() + (middle == null ? 0 : 1);
    System.err.printf(Locale.ROOT, "warm-up (JIT, class loading, the agent's first "
        + "instrumentation), then %s of %d runs ...%n", minutes > 0 ? String.format(Locale.ROOT,
        "%.1f min of rounds", minutes) : rounds + " rounds", runsPerCell * cells.size());
    for (String name : servers.keySet()) {
      for (Cell c : cells) {
        bench(servers.get(name), c.pipeline(), c.test(), Math.max(requests / 2, 10_000), -1);
      }
    }
    Map<String, List<Sample>> samples = new LinkedHashMap<>();
    long start = System.nanoTime();
    for (int r = 0; minutes > 0 ? r < PairedRatio.MIN_ROUNDS
        || (System.nanoTime() - start) / 60e9 * (r + 1) / r <= minutes : r < rounds; r++) {
      probes.add(ParallelismProbe.measure(1_000));
      for (Cell c : cells) {
        for (String name : mirrored(mirroredNames, middle, r)) {
          samples.computeIfAbsent(name + "|" + c.key(), x -> new ArrayList<>())
              .add(bench(servers.get(name), c.pipeline(), c.test(), requests, r));
        }
      }
      System.err.printf(Locale.ROOT, "round %d%s done (probe %.2f)%n", r + 1,
          minutes > 0 ? String.format(Locale.ROOT, " (%.1f of %.1f min)",
          (System.nanoTime() - start) / 60e9, minutes) : "/" + rounds,
          probes.get(probes.size() - 1));
    }
    probes.add(ParallelismProbe.measure(1_000));
    return samples;
  }

  /**
   * Round {@code r}'s order within a cell: {@code names} rotated by r, then {@code middle} once
   * (if not null), then the same names backwards.
   */
  static List<String> mirrored(List<String> names, String middle, int r) {
    List<String> order = new ArrayList<>();
    for (int k = 0; k < names.size(); k++) {
      order.add(names.get((k + r) % names.size()));
    }
    List<String> back = new ArrayList<>(order);
    Collections.reverse(back);
    if (middle != null) {
      order.add(middle);
    }
    order.addAll(back);
    return order;
  }

  static String need(Map<String, String> opt, String key) {
    String v = opt.get(key);
    if (v == null) {
      throw new IllegalArgumentException("missing " + key);
    }
    return v;
  }

  /** A started server, what it printed after it said it was ready, and the thread reading it. */
  record Server(Process process, int port, StringBuffer output, Thread reader) {}

  static Server start(List<String> command, int port, String ready, List<Server> started)
      throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    StringBuffer output = new StringBuffer();
    CountDownLatch up = new CountDownLatch(1);
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
          StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          if (up.getCount() > 0 && line.contains(ready)) {
            up.countDown();
          } else if (up.getCount() == 0) {
            output.append(line).append('\n');
          }
        }
      } catch (IOException ignored) {
        // process ended
      }
    });
    t.setDaemon(true);
    Server s = new Server(p, port, output, t);
    started.add(s);
    t.start();
    if (!up.await(300, TimeUnit.SECONDS)) {
      throw new IllegalStateException("did not start: " + command);
    }
    return s;
  }

  /** Stops a server started with {@code --stats} and returns what it printed at exit. */
  static String stop(Server s) throws InterruptedException {
    // SIGTERM, and the shutdown hook prints the counters. Through the handle: Process.destroy()
    // also closes the pipe, and what the hook prints would be lost.
    s.process.toHandle().destroy();
    if (!s.process.waitFor(30, TimeUnit.SECONDS)) {
      return "(did not stop within 30 s)";
    }
    s.reader.join(30_000); // it ends at the end of the output
    return s.output.toString().trim();
  }

  /**
   * The requests of one run at pipeline {@code pipeline}: {@code requests} times the pipeline
   * depth, so that a {@code -P 16} run lasts about as long as a {@code -P 1} run (100000
   * pipelined requests took 0.09 s on 2 cores, too short to measure a few per cent).
   */
  static int cellRequests(int requests, String pipeline) {
    return Math.multiplyExact(requests, Integer.parseInt(pipeline));
  }

  /**
   * One redis-benchmark run of {@code test} with {@link #cellRequests} requests, so that the
   * server's CPU time is the test's own: its rps, p50, p99 (ms), client/server cores used.
   */
  static Sample bench(Server s, String pipeline, String test, int requests, int round)
      throws IOException, InterruptedException {
    int n = cellRequests(requests, pipeline);
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
        return new Sample(round, Double.parseDouble(f[1]), Double.parseDouble(f[4]),
            Double.parseDouble(f[6]), clientCpu / wall, serverCpu / 1e9 / wall,
            serverCpu / 1e3 / n, wall);
      }
    }
    throw new IllegalStateException("unexpected redis-benchmark output:\n" + output);
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

  static double median(List<Double> xs) {
    return PairedRatio.median(xs.stream().mapToDouble(Double::doubleValue).toArray());
  }

  static double med(List<Sample> s, ToDoubleFunction<Sample> f) {
    return PairedRatio.median(s.stream().mapToDouble(f).toArray());
  }

  /**
   * Per round, the mean of {@code f} over server a's runs in the cell over the mean over server
   * b's runs in the same cell and round; rounds where either has no run are skipped.
   */
  static double[] ratios(Map<String, List<Sample>> samples, String a, String b, String cell,
      ToDoubleFunction<Sample> f) {
    List<Sample> sa = samples.get(a + "|" + cell);
    List<Sample> sb = samples.get(b + "|" + cell);
    int rounds = sa.stream().mapToInt(Sample::round).max().orElse(-1) + 1;
    List<Double> ratios = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      int round = r;
      OptionalDouble ma = sa.stream().filter(x -> x.round() == round).mapToDouble(f).average();
      OptionalDouble mb = sb.stream().filter(x -> x.round() == round).mapToDouble(f).average();
      if (ma.isPresent() && mb.isPresent()) {
        ratios.add(ma.getAsDouble() / mb.getAsDouble());
      }
    }
    return ratios.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** The paired ratio of a over b in the cell ({@link #ratios}), or "—" if one was not run. */
  static String paired(Map<String, List<Sample>> samples, String a, String b, String cell,
      ToDoubleFunction<Sample> f) {
    if (!samples.containsKey(a + "|" + cell) || !samples.containsKey(b + "|" + cell)) {
      return "—";
    }
    return PairedRatio.of(ratios(samples, a, b, cell, f)).toString();
  }

  private static String report(Map<String, List<Sample>> samples, List<Double> probes,
      List<String> names, List<Cell> cells, int rounds, int requests, double minutes,
      Map<String, String> stats) {
    StringBuilder sb = new StringBuilder();
    double probe = median(probes);
    double minProbe = probes.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    List<String> jvms = JVMS.stream().filter(names::contains).toList();
    sb.append(String.format(Locale.ROOT, "redis-benchmark -c 50, one run per test, -n %d at -P 1"
        + " and %d at -P 16; cells %s; %d rounds, in each cell the order %s (rotating); %.1f min"
        + " of rounds; parallelism probe per round: %s (median %.2f)%n%n",
        cellRequests(requests, "1"), cellRequests(requests, "16"), cells, rounds,
        String.join(" → ", mirrored(jvms, names.contains(REDIS) ? REDIS : null, 0)), minutes,
        probes.stream().map(d -> String.format(Locale.ROOT, "%.2f", d)).toList(), probe));
    if (minProbe < ParallelismProbe.MIN_FOR_TWO_WORKERS) {
      sb.append(String.format(Locale.ROOT, "**A probe read %.2f (< %.1f): the machine was busy;"
          + " the 2-worker figures are not results, and requests/s of every server carry that "
          + "load.**%n%n", minProbe, ParallelismProbe.MIN_FOR_TWO_WORKERS));
    }
    sb.append("Medians over all runs (absolute figures; the verdicts are the paired ratios "
        + "below):\n\n");
    sb.append("| server | -P | test | requests/s | p50 ms | p99 ms | client cores | server cores"
        + " | server CPU µs/request |\n");
    sb.append("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (Cell c : cells) {
      for (String name : names) {
        List<Sample> s = samples.get(name + "|" + c.key());
        sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %,.0f | %.3f | %.3f | %.2f "
            + "| %.2f | %.3f |%n", name, c.pipeline(), c.test(), med(s, Sample::rps),
            med(s, Sample::p50), med(s, Sample::p99), med(s, Sample::clientCores),
            med(s, Sample::serverCores), med(s, Sample::serverMicros)));
      }
    }
    sb.append("\nPaired ratios: per round, a server's mean over its runs in the cell divided "
        + "by the other's in the same cell; median over rounds, [95 % bootstrap interval of the "
        + "median], rounds above 1 / rounds. rps = requests/s (above 1: faster), CPU = server "
        + "CPU per request (above 1: costlier). Best = the agent's worker count with the higher "
        + "median rps ratio; its verdict against the serial baseline's requests/s. —: a server "
        + "not run.\n\n");
    sb.append("| -P | test | 1 worker / serial, rps | 1 worker / serial, CPU | 2 workers / serial"
        + ", rps | 2 workers / serial, CPU | 2 workers / 1 worker, rps | best / redis-server, "
        + "rps | best: ≥ serial? |\n");
    sb.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for (Cell c : cells) {
      String cell = c.key();
      String best = bestAgent(samples, names, cell);
      String verdict = best == null ? "—" : (best.equals(TWO) ? "2 workers" : "1 worker")
          + ": " + PairedRatio.of(ratios(samples, best, SERIAL, cell, Sample::rps))
          .verdict(TOLERANCE) + (minProbe < ParallelismProbe.MIN_FOR_TWO_WORKERS
          ? " (busy machine: no result)" : "");
      sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
          c.pipeline(), c.test(), paired(samples, ONE, SERIAL, cell, Sample::rps),
          paired(samples, ONE, SERIAL, cell, Sample::serverMicros),
          paired(samples, TWO, SERIAL, cell, Sample::rps),
          paired(samples, TWO, SERIAL, cell, Sample::serverMicros),
          paired(samples, TWO, ONE, cell, Sample::rps),
          best == null ? "—" : paired(samples, best, REDIS, cell, Sample::rps), verdict));
    }
    sb.append(String.format(Locale.ROOT, "%n\"equal within ±%.0f %%\": the interval lies inside "
        + "1 ± %.2f; \"unresolved\": it covers 1 and reaches beyond 1 ± %.2f.%n",
        100 * TOLERANCE, TOLERANCE, TOLERANCE));
    spread(sb, samples, names, cells);
    for (Map.Entry<String, String> e : stats.entrySet()) {
      sb.append("\n").append(e.getKey()).append(", transactions over the whole run (warm-up "
          + "included):\n\n```\n").append(e.getValue()).append("\n```\n");
    }
    return sb.toString();
  }

  /** The agent server with the higher median rps ratio to the baseline; null if none ran. */
  private static String bestAgent(Map<String, List<Sample>> samples, List<String> names,
      String cell) {
    String best = null;
    double bestMedian = 0;
    for (String name : List.of(ONE, TWO)) {
      if (names.contains(name)) {
        double m = PairedRatio.median(ratios(samples, name, SERIAL, cell, Sample::rps));
        if (best == null || m > bestMedian) {
          best = name;
          bestMedian = m;
        }
      }
    }
    return best;
  }

  /**
   * Per cell: the per-round spread of the best agent server's rps ratio to the baseline, the
   * seconds a round spends in the cell, and the rounds and minutes for an interval of about
   * ±{@link #AIM} (see the class comment).
   */
  private static void spread(StringBuilder sb, Map<String, List<Sample>> samples,
      List<String> names, List<Cell> cells) {
    sb.append(String.format(Locale.ROOT, "%nPer-round spread of the rps ratio (robust SD: 1.4826"
        + " × median absolute deviation), the seconds a round spends in the cell (all servers' "
        + "runs), SD × √seconds (lower: the interval narrows faster per minute), and the rounds "
        + "and minutes of this cell for a 95 %% interval of about ±%.1f %% (2.46 SD / √rounds):"
        + "%n%n| -P | test | ratio | SD | s per round | SD × √s | rounds for ±%.1f %% | minutes |%n"
        + "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |%n", 100 * AIM, 100 * AIM));
    for (Cell c : cells) {
      String best = bestAgent(samples, names, c.key());
      if (best == null) {
        continue;
      }
      double sd = PairedRatio.robustSd(ratios(samples, best, SERIAL, c.key(), Sample::rps));
      int rounds = samples.get(SERIAL + "|" + c.key()).stream().mapToInt(Sample::round).max()
          .orElse(0) + 1;
      double seconds = names.stream().flatMap(n -> samples.get(n + "|" + c.key()).stream())
          .mapToDouble(Sample::seconds).sum() / rounds;
      double need = Math.ceil(Math.pow(2.46 * sd / AIM, 2));
      sb.append(String.format(Locale.ROOT, "| %s | %s | %s / serial | %.4f | %.1f | %.4f | %.0f "
          + "| %.1f |%n", c.pipeline(), c.test(), best.equals(TWO) ? "2 workers" : "1 worker",
          sd, seconds, sd * Math.sqrt(seconds), need, need * seconds / 60));
    }
    sb.append("\nThe per-round ratios, round by round (to pool runs):\n\n");
    for (Cell c : cells) {
      String best = bestAgent(samples, names, c.key());
      if (best != null) {
        sb.append("* ").append(c).append(": ").append(Arrays.stream(ratios(samples, best,
            SERIAL, c.key(), Sample::rps)).mapToObj(r -> String.format(Locale.ROOT, "%.4f", r))
            .collect(Collectors.joining(" "))).append('\n');
      }
    }
  }

  /** The servers in report order. */
  static List<String> names() {
    return List.of(REDIS, SERIAL, ONE, TWO);
  }

  /** The agent servers among {@code names}. */
  static List<String> agentServers(List<String> names) {
    return names.stream().filter(n -> n.equals(ONE) || n.equals(TWO)).toList();
  }

  private static void chart(Map<String, List<Sample>> samples, List<Double> probes,
      List<String> names, List<Cell> cells, Path png) throws IOException {
    BarChart c = new BarChart("redis-benchmark, 50 clients (median requests/s)", "requests/s",
        false, names).highlight("agent");
    for (Cell cell : cells) {
      double[] v = new double[names.size()];
      for (int i = 0; i < names.size(); i++) {
        v[i] = med(samples.get(names.get(i) + "|" + cell.key()), Sample::rps);
      }
      c.add(cell.test() + " -P " + cell.pipeline(), v);
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
