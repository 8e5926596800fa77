package org.ame4j.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.ame4j.bench.report.BarChart;
import org.ame4j.bench.report.Report;
import org.ame4j.testkit.ResultLine;

/**
 * The agent-overhead harness behind {@code ame4j-bench/run-agent-overhead.sh}: for the demo's
 * program ({@code sssp}) and every corpus program ({@code org.ame4jexamples.corpus}), the plain
 * sequential program without the agent against the same program under {@code -javaagent}, on 1
 * and 2 workers, unordered and ordered, each run in its own JVM.
 *
 * <h2>Method</h2>
 * One repetition runs every (program, configuration) pair once, in a fresh JVM each, cycling
 * through the configurations; repetitions follow each other, so slow drifts of the machine
 * (thermal, other load) hit every configuration alike instead of whichever ran last. A child is
 * {@code org.ame4jexamples.corpus.CorpusMain}: it builds the input, runs {@code --warmup}
 * unmeasured runs of the same configuration (JIT, class loading and instrumentation), then times
 * one run in-process ({@code System.nanoTime} around the loop only: no JVM start, no input
 * generation, no check) and checks the result. The table reports medians over the repetitions,
 * and the ratios of medians:
 *
 * <ul>
 *   <li><b>overhead</b> = agent, unordered, 1 worker / plain: what tracking costs a program
 *       that gains nothing from parallelism;
 *   <li><b>speedup</b> = plain / agent, unordered, 2 workers: the issue's figure of merit (above
 *       1.0 the parallel program beats the plain one);
 *   <li><b>scaling</b> = agent 1 worker / agent 2 workers, per queue kind.
 * </ul>
 *
 * <p><b>Parallelism probe.</b> Right before every 2-worker child, the harness spins two threads
 * for a second ({@link ParallelismProbe}) and records CPU time / wall time with the run; the table
 * gives each row's probes and marks a 2-worker cell whose median probe is below
 * {@link ParallelismProbe#MIN_FOR_TWO_WORKERS} (the machine was too busy for that figure to mean
 * anything about ame4j). {@code --quick} writes to {@code ame4j-bench/target/agent-overhead-quick}
 * unless {@code --out} says otherwise, never over the committed results.
 *
 * <p><b>addRange.</b> Two more columns queue the same one-iteration tasks with
 * {@code TransactionQueue.addRange} ({@code CorpusMain --range}) instead of one {@code add} per
 * iteration, on 1 and 2 unordered workers: the price of the queue insert itself.
 *
 * <p><b>Task granularity.</b> The corpus loops make one task per iteration, 8 to 60 ns of plain
 * work, against a per-task cost (queueing, begin, commit) of tens of nanoseconds. So each
 * program also runs with one task per K consecutive iterations ({@code --chunks 1,32}: rows per
 * K, the same plain runs; {@code CorpusProgram.runChunkedTasks}): at K = 32 the per-task cost is
 * amortised and what remains is mostly the barriers' cost. Both are reported, labelled by K.
 *
 * Every run's check must hold: a run that broke its program's invariants still has its time
 * counted, but its cell is marked {@code !}, and a child that crashed or timed out makes its
 * cell {@code FAIL}; the CSV has every run with its check message. This class uses the JDK only:
 * it never loads the corpus itself, it starts JVMs.
 */
public final class AgentOverhead {
  private AgentOverhead() {}

  /**
   * One column of the table: how a child JVM is started ({@code chunk}: iterations per task;
   * {@code range}: the one-iteration tasks queued with {@code addRange}).
   */
  record Config(String id, String label, boolean agent, String mode, int workers, int chunk,
      boolean range) {}

  /**
   * The configurations for the given chunk sizes: plain, agent-seq and the {@code addRange}
   * pair once, the rest per size.
   */
  static List<Config> configs(List<Integer> chunks) {
    List<Config> all = new ArrayList<>(List.of(
        new Config("plain", "plain", false, "sequential", 1, 1, false),
        new Config("agent-seq", "agent, seq", true, "sequential", 1, 1, false),
        new Config("agent-r1", "agent r1", true, "unordered", 1, 1, true),
        new Config("agent-r2", "agent r2", true, "unordered", 2, 1, true)));
    for (int k : chunks) {
      String suffix = k == 1 ? "" : "-c" + k;
      all.add(new Config("agent-u1" + suffix, "agent u1", true, "unordered", 1, k, false));
      all.add(new Config("agent-u2" + suffix, "agent u2", true, "unordered", 2, k, false));
      all.add(new Config("agent-o1" + suffix, "agent o1", true, "ordered", 1, k, false));
      all.add(new Config("agent-o2" + suffix, "agent o2", true, "ordered", 2, k, false));
    }
    return all;
  }

  static Config config(List<Config> configs, String mode, int workers, int chunk) {
    return configs.stream().filter(c -> c.agent && !c.range && c.mode.equals(mode)
        && c.workers == workers && c.chunk == chunk).findFirst().orElseThrow();
  }

  static Config rangeConfig(List<Config> configs, int workers) {
    return configs.stream().filter(c -> c.range && c.workers == workers).findFirst().orElseThrow();
  }

  static final List<String> DEFAULT_PROGRAMS = List.of("sssp", "bank", "components", "kmeans",
      "kmeans-local", "nodegraph", "orchestra", "heat", "wordcount", "json");

  /**
   * The programs that use {@code HashMap} inside tasks: their agent runs get the java.base patch
   * ({@code --jdk-patch}), as {@code ./ame run} gives it ({@code Corpus.needsJdkPatch}).
   */
  static final List<String> PATCH_PROGRAMS = List.of("wordcount", "json");

  /**
   * One measured run; {@code probe}: the parallelism probe taken right before it (2-worker runs),
   * else NaN.
   */
  record Run(String program, Config config, int rep, int exit, long size, long nanos,
      long cpuNanos, long commits, long aborts, long inevitable, String fingerprint, String check,
      double probe) {
    boolean ok() {
      return exit == 0 && "ok".equals(check) && nanos > 0;
    }

    /** Ran to the end and was timed (its check may still have failed: exit status 1). */
    boolean timed() {
      return (exit == 0 || exit == 1) && nanos > 0;
    }
  }

  public static void main(String[] args) throws Exception {
    String agent = null;
    String cp = null;
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> programs = DEFAULT_PROGRAMS;
    List<Integer> chunks = List.of(1, 32);
    List<String> jvmOptions = new ArrayList<>();
    int reps = 5;
    int warmup = 1;
    boolean quick = false;
    Path out = null;
    String patch = null;
    String name = "agent-overhead";
    long timeout = 900;
    Path docs = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--agent" -> agent = args[++i];
        case "--cp" -> cp = args[++i];
        case "--java" -> java = args[++i];
        case "--programs" -> programs = Arrays.asList(args[++i].split(","));
        case "--chunks" -> chunks = Arrays.stream(args[++i].split(",")).map(Integer::valueOf)
            .distinct().sorted().toList();
        case "--reps" -> reps = Integer.parseInt(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--jvm-option" -> jvmOptions.add(args[++i]);
        case "--quick" -> quick = true;
        case "--out" -> out = Path.of(args[++i]);
        case "--name" -> name = args[++i];
        case "--timeout" -> timeout = Long.parseLong(args[++i]);
        case "--docs" -> docs = Path.of(args[++i]);
        case "--jdk-patch" -> patch = args[++i];
        case "-h", "--help" -> {
          System.out.println(usage());
          return;
        }
        default -> {
          System.err.println("agent-overhead: unknown option " + args[i] + "\n" + usage());
          System.exit(2);
        }
      }
    }
    if (agent == null || cp == null) {
      System.err.println("agent-overhead: --agent and --cp are required\n" + usage());
      System.exit(2);
    }
    if (quick) {
      reps = Math.min(reps, 1);
    }
    if (out == null) {
      // A smoke run must not overwrite the committed results of a full run.
      out = quick ? Path.of("ame4j-bench", "target", "agent-overhead-quick")
          : Path.of("ame4j-bench", "results");
    }
    if (chunks.isEmpty() || chunks.get(0) < 1 || !chunks.contains(1)) {
      System.err.println("agent-overhead: --chunks must include 1 (and only sizes >= 1)");
      System.exit(2);
    }
    List<Config> configs = configs(chunks);
    String machine = machine(java);
    System.out.println("agent overhead: " + programs + ", " + reps + " repetitions, warm-up "
        + warmup + (quick ? ", quick (test sizes)" : ", bench sizes"));
    System.out.println(machine);

    String loadBefore = loadAverage();
    List<Run> runs = new ArrayList<>();
    for (int rep = 1; rep <= reps; rep++) {
      for (String program : programs) {
        for (Config c : configs) {
          double probe = c.workers == 2 ? ParallelismProbe.measure(1_000) : Double.NaN;
          List<String> options = new ArrayList<>(jvmOptions);
          if (c.agent && patch != null && PATCH_PROGRAMS.contains(program)) {
            options.addAll(List.of("--patch-module", "java.base=" + patch));
          }
          Run r = runChild(java, agent, cp, options, program, c, rep, warmup, quick, timeout,
              probe);
          runs.add(r);
          System.out.printf(Locale.ROOT,
              "rep %d/%d  %-11s %-12s %9.3f s  aborts %,d  inevitable %,d%s%s%n",
              rep, reps, program, c.id, r.nanos / 1e9, r.aborts, r.inevitable,
              Double.isNaN(probe) ? "" : String.format(Locale.ROOT, "  probe %.2f", probe),
              r.ok() ? "" : "   FAILED: exit " + r.exit + ", " + r.check);
        }
      }
    }

    machine = machine + "; load average (1, 5, 15 min) before / after: " + loadBefore + " / "
        + loadAverage();
    Files.createDirectories(out);
    Path csv = out.resolve(name + ".csv");
    Files.writeString(csv, csv(runs), StandardCharsets.UTF_8);
    String table = table(runs, programs, chunks, configs, reps, warmup, quick, machine);
    Path md = out.resolve(name + ".md");
    Files.writeString(md, table, StandardCharsets.UTF_8);
    System.out.println();
    System.out.print(table);
    System.out.println();
    System.out.println("wrote " + csv + " and " + md);
    if (docs != null) {
      writeDocs(docs, table, runs, programs, chunks, configs);
    }
    if (runs.stream().anyMatch(r -> !r.ok())) {
      System.exit(1);
    }
  }

  /**
   * Rewrites the {@code agent} region of {@code docs/benchmarks.md} with the table and draws
   * {@code docs/img/agent-overhead.png}: each configuration's time relative to the plain program.
   */
  static void writeDocs(Path md, String table, List<Run> runs, List<String> programs,
      List<Integer> chunks, List<Config> configs) throws IOException {
    Path png = md.toAbsolutePath().getParent().resolve("img/agent-overhead.png");
    // Four series at most: the chart's palette has four colours, and the table has the rest
    // (outside transactions, ordered runs).
    int k = chunks.size() > 1 ? chunks.get(chunks.size() - 1) : 1;
    List<String> series = k == 1
        ? List.of("instrumented, no transaction", "1 worker", "2 workers", "ordered, 2 workers")
        : List.of("1 worker", "2 workers", k + " iterations/task, 1 worker",
            k + " iterations/task, 2 workers");
    BarChart chart = new BarChart(
        "Under the agent: time relative to the plain sequential program (lower is better; 1 = plain)",
        "x plain sequential time", true, series);
    for (String program : programs) {
      double plain = median(runs, program, configs.get(0));
      double u1 = median(runs, program, config(configs, "unordered", 1, 1)) / plain;
      double u2 = median(runs, program, config(configs, "unordered", 2, 1)) / plain;
      if (k == 1) {
        chart.add(program, median(runs, program, configs.get(1)) / plain, u1, u2,
            median(runs, program, config(configs, "ordered", 2, 1)) / plain);
      } else {
        chart.add(program, u1, u2, median(runs, program, config(configs, "unordered", 1, k)) / plain,
            median(runs, program, config(configs, "unordered", 2, k)) / plain);
      }
    }
    chart.note("Medians, one JVM per run (machine and load: docs/benchmarks.md). Unordered queue.");
    chart.write(png);
    String text = Files.readString(md, StandardCharsets.UTF_8);
    Files.writeString(md, Report.replaceRegion(text, "agent",
        table + "\n![Agent overhead](img/agent-overhead.png)\n"), StandardCharsets.UTF_8);
    System.out.println("updated " + md + " (region agent) and " + png);
  }

  static Run runChild(String java, String agent, String cp, List<String> jvmOptions,
      String program, Config c, int rep, int warmup, boolean quick, long timeout, double probe) {
    List<String> command = new ArrayList<>();
    command.add(java);
    command.addAll(jvmOptions);
    if (c.agent) {
      command.add("-javaagent:" + agent);
    }
    command.addAll(List.of("-cp", cp, "org.ame4jexamples.corpus.CorpusMain", program,
        "--mode", c.mode, "--workers", String.valueOf(c.workers), "--chunk",
        String.valueOf(c.chunk), "--warmup", String.valueOf(warmup)));
    if (!quick) {
      command.add("--bench-size");
    }
    if (c.agent) {
      command.add("--require-agent");
    }
    if (c.range) {
      command.add("--range");
    }
    String output;
    int exit;
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      CompletableFuture<String> text = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
      if (!p.waitFor(timeout, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
        return new Run(program, c, rep, -1, 0, 0, 0, 0, 0, 0, "", "timed out after " + timeout + " s",
            probe);
      }
      exit = p.exitValue();
      output = text.join();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    Map<String, String> kv = null;
    for (String line : output.split("\\R")) {
      if (ResultLine.is(line)) {
        kv = ResultLine.parse(line);
      }
    }
    if (kv == null) {
      String last = output.strip();
      last = last.substring(Math.max(0, last.length() - 300)).replace('\n', ' ');
      return new Run(program, c, rep, exit, 0, 0, 0, 0, 0, 0, "", "no result: " + last, probe);
    }
    return new Run(program, c, rep, exit, num(kv, "size"), num(kv, "nanos"), num(kv, "cpuNanos"),
        num(kv, "commits"),
        num(kv, "aborts"), num(kv, "inevitable"), kv.getOrDefault("fingerprint", ""),
        kv.getOrDefault("check", "?"), probe);
  }

  private static long num(Map<String, String> kv, String key) {
    try {
      return Long.parseLong(kv.getOrDefault(key, "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static String read(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String csv(List<Run> runs) {
    StringBuilder s = new StringBuilder(
        "program,config,agent,mode,workers,chunk,range,rep,size,seconds,cpu_seconds,commits,aborts,inevitable,exit,check,fingerprint,probe\n");
    for (Run r : runs) {
      s.append(String.format(Locale.ROOT, "%s,%s,%s,%s,%d,%d,%s,%d,%d,%.6f,%.3f,%d,%d,%d,%d,\"%s\",%s,%s%n",
          r.program, r.config.id, r.config.agent, r.config.mode, r.config.workers, r.config.chunk,
          r.config.range, r.rep, r.size,
          r.nanos / 1e9, r.cpuNanos / 1e9, r.commits, r.aborts, r.inevitable, r.exit,
          r.check.replace("\"", "'"), r.fingerprint,
          Double.isNaN(r.probe) ? "" : String.format(Locale.ROOT, "%.2f", r.probe)));
    }
    return s.toString();
  }

  /** Median of the runs' times in seconds, or NaN if any run crashed or none ran. */
  static double median(List<Run> runs, String program, Config c) {
    List<Run> mine = runs.stream()
        .filter(r -> r.program.equals(program) && r.config.equals(c)).toList();
    if (mine.isEmpty() || mine.stream().anyMatch(r -> !r.timed())) {
      return Double.NaN;
    }
    double[] t = mine.stream().mapToDouble(r -> r.nanos / 1e9).sorted().toArray();
    int n = t.length;
    return n % 2 == 1 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
  }

  static long medianOf(List<Run> runs, String program, Config c, boolean aborts) {
    long[] v = runs.stream().filter(r -> r.program.equals(program) && r.config.equals(c))
        .mapToLong(r -> aborts ? r.aborts : r.inevitable).sorted().toArray();
    return v.length == 0 ? 0 : v[v.length / 2];
  }

  static String table(List<Run> runs, List<String> programs, List<Integer> chunks,
      List<Config> configs, int reps, int warmup, boolean quick, String machine) {
    StringBuilder s = new StringBuilder();
    s.append("Agent overhead: median seconds of ").append(reps).append(reps == 1 ? " run" : " runs")
        .append(" per cell, each in its own JVM (").append(warmup)
        .append(" unmeasured warm-up run(s) first, same JVM), ")
        .append(quick ? "test sizes (--quick)" : "bench sizes").append(".\n")
        .append(machine).append(", ")
        .append(ZonedDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE)).append(".\n\n");
    s.append("| program | size | iterations per task | plain | agent, seq | agent u1 | agent u2 "
        + "| agent o1 | agent o2 | overhead (u1/plain) | speedup (plain/u2) | u1/u2 | o1/o2 "
        + "| aborts u2 / o2 | inevitable u2 | probe (2 workers) |\n");
    s.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
    for (String program : programs) {
      long size = runs.stream().filter(r -> r.program.equals(program) && r.size > 0)
          .mapToLong(Run::size).findFirst().orElse(0);
      for (int k : chunks) {
        List<Config> row = List.of(configs.get(0), configs.get(1),
            config(configs, "unordered", 1, k), config(configs, "unordered", 2, k),
            config(configs, "ordered", 1, k), config(configs, "ordered", 2, k));
        double[] m = new double[row.size()];
        String[] cell = cells(runs, program, row, m);
        s.append(String.format(Locale.ROOT,
            "| %s | %,d | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %,d / %,d | %,d | %s |%n",
            program, size, k, cell[0], cell[1], cell[2], cell[3], cell[4], cell[5],
            ratio(m[2], m[0]), ratio(m[0], m[3]), ratio(m[2], m[3]), ratio(m[4], m[5]),
            medianOf(runs, program, row.get(3), true), medianOf(runs, program, row.get(5), true),
            medianOf(runs, program, row.get(3), false), probes(runs, program, row)));
      }
    }
    s.append("\nplain: the sequential program without the agent; agent, seq: the same, under the"
        + " agent (instrumented code outside any transaction); u1/u2: unordered queue on 1/2"
        + " workers; o1/o2: ordered queue; iterations per task: 1 is the corpus loop as written"
        + " (one task per iteration), K > 1 one task per K consecutive iterations (same plain and"
        + " agent-seq runs). Medians of the runs' own timing (the loop only: no JVM"
        + " start, no input generation). !: at least one run broke the program's invariants"
        + " (its check message is in the CSV); FAIL: a child crashed or timed out. probe: the"
        + " parallelism probe taken right before each 2-worker run (two threads spinning 1 s, CPU"
        + " time / wall time; 2.0 on a free 2-core machine), median and lowest of the row; †: the"
        + " median probe of that cell's runs was below " + ParallelismProbe.MIN_FOR_TWO_WORKERS
        + ", so the figure shows the machine's load, not ame4j's scaling, and is not a result.\n");

    s.append("\nThe same one-iteration tasks queued with `addRange` (one queue entry) instead of"
        + " one `add` per iteration, unordered (programs whose loop is a worklist queue with `add`"
        + " in both columns):\n\n");
    s.append("| program | plain | agent u1 (add) | agent r1 (addRange) | u1/r1 | agent u2 (add) "
        + "| agent r2 (addRange) | speedup (plain/r2) | probe (2 workers) |\n");
    s.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|\n");
    for (String program : programs) {
      List<Config> row = List.of(configs.get(0), config(configs, "unordered", 1, 1),
          rangeConfig(configs, 1), config(configs, "unordered", 2, 1), rangeConfig(configs, 2));
      double[] m = new double[row.size()];
      String[] cell = cells(runs, program, row, m);
      s.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
          program, cell[0], cell[1], cell[2], ratio(m[1], m[2]), cell[3], cell[4],
          ratio(m[0], m[4]), probes(runs, program, row)));
    }
    return s.toString();
  }

  /** The cells of a row: median seconds, marked ! (a check failed) and † (probe too low). */
  private static String[] cells(List<Run> runs, String program, List<Config> row, double[] m) {
    String[] cell = new String[row.size()];
    for (int i = 0; i < m.length; i++) {
      Config c = row.get(i);
      m[i] = median(runs, program, c);
      boolean broken = runs.stream().anyMatch(
          r -> r.program.equals(program) && r.config.equals(c) && r.timed() && !r.ok());
      double probe = medianProbe(runs.stream()
          .filter(r -> r.program.equals(program) && r.config.equals(c)).toList());
      boolean loaded = probe < ParallelismProbe.MIN_FOR_TWO_WORKERS; // false for NaN
      cell[i] = sec(m[i]) + (loaded ? " †" : "") + (broken ? " !" : "");
    }
    return cell;
  }

  /** Median (and lowest) probe of the 2-worker runs of a row, or "-" if it has none. */
  private static String probes(List<Run> runs, String program, List<Config> row) {
    List<Run> mine = runs.stream()
        .filter(r -> r.program.equals(program) && row.contains(r.config) && !Double.isNaN(r.probe))
        .toList();
    if (mine.isEmpty()) {
      return "-";
    }
    double low = mine.stream().mapToDouble(Run::probe).min().orElse(Double.NaN);
    return String.format(Locale.ROOT, "%.2f (%.2f)", medianProbe(mine), low);
  }

  static double medianProbe(List<Run> runs) {
    double[] p = runs.stream().mapToDouble(Run::probe).filter(v -> !Double.isNaN(v)).sorted()
        .toArray();
    if (p.length == 0) {
      return Double.NaN;
    }
    return p.length % 2 == 1 ? p[p.length / 2] : (p[p.length / 2 - 1] + p[p.length / 2]) / 2;
  }

  private static String sec(double v) {
    return Double.isNaN(v) ? "FAIL" : String.format(Locale.ROOT, "%.3f", v);
  }

  private static String ratio(double a, double b) {
    return Double.isNaN(a) || Double.isNaN(b) ? "-" : String.format(Locale.ROOT, "%.2fx", a / b);
  }

  /** The first three fields of {@code /proc/loadavg}, or "?" where there is none. */
  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  private static String machine(String java) {
    String version = "?";
    try {
      Process p = new ProcessBuilder(java, "-version").redirectErrorStream(true).start();
      String text = read(p.getInputStream());
      p.waitFor();
      version = text.lines().findFirst().orElse("?").trim();
    } catch (IOException e) {
      version = e.toString();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.name")
        + " " + System.getProperty("os.arch") + ", children: " + version;
  }

  static String usage() {
    return String.join("\n",
        "usage: AgentOverhead --agent AGENT.jar --cp CLASSPATH [options]",
        "  --programs a,b,...  default " + String.join(",", DEFAULT_PROGRAMS),
        "  --chunks 1,K,...    iterations per task (default 1,32; must include 1)",
        "  --reps N            repetitions (default 5); each runs every configuration once",
        "  --warmup K          unmeasured runs in each child before the measured one (default 1)",
        "  --quick             1 repetition at the corpus test sizes (smoke run)",
        "  --jvm-option OPT    extra option for every child JVM (repeatable)",
        "  --out DIR           where the CSV and the markdown table go (default ame4j-bench/results;",
        "                      with --quick ame4j-bench/target/agent-overhead-quick)",
        "  --name NAME         file name stem (default agent-overhead)",
        "  --java PATH         java for the children (default: this JVM's)",
        "  --timeout SECONDS   per child (default 900)",
        "  --docs FILE         also rewrite FILE's generated:agent region and img/agent-overhead.png",
        "  --jdk-patch DIR     java.base patch for the agent runs of " + PATCH_PROGRAMS
            + " (without it their tasks run inevitable)");
  }
}
