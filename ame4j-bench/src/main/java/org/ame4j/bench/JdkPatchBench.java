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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.ame4j.bench.report.BarChart;
import org.ame4j.bench.report.Report;

/**
 * The java.base patch harness behind {@code ame4j-bench/run-jdk-patch-bench.sh} (issue 4):
 *
 * <ul>
 *   <li><b>Workloads</b> ({@code org.ame4jexamples.jdk.JdkWorkloads}: word count into a shared
 *       {@code HashMap}, the same into a map that already holds every word (no inserts: what the
 *       engine does without the conflicts on {@code HashMap}'s own size and modCount), a
 *       memoising {@code HashMap} cache): the plain sequential program without
 *       the agent, against the same program under the agent with the patch on 1 and 2 unordered
 *       workers, and under the agent without the patch on 2 workers (every task inevitable: the
 *       serial fallback). Each child warms up in-process and reports the median of its measured
 *       runs; repetitions cycle through the configurations so drifts of the machine hit them
 *       alike; the table has medians over repetitions and ratios of medians.</li>
 *   <li><b>Start-up</b>: wall time of a whole JVM running a trivial program, plain (class-data
 *       sharing on), plain with {@code -Xshare:off} (what losing CDS costs by itself), under the
 *       agent, and under the agent with the patch (cached); plus the one-time generation of the
 *       patch into an empty cache.</li>
 * </ul>
 * Uses the JDK only: it starts JVMs, it never loads the workloads itself.
 */
public final class JdkPatchBench {
  private JdkPatchBench() {}

  record Config(String id, String label, boolean agent, boolean patch, String mode, int workers) {}

  static final List<Config> CONFIGS = List.of(
      new Config("plain", "plain", false, false, "sequential", 1),
      new Config("patch-u1", "agent+patch u1", true, true, "unordered", 1),
      new Config("patch-u2", "agent+patch u2", true, true, "unordered", 2),
      new Config("nopatch-u2", "agent, no patch u2", true, false, "unordered", 2));

  static final List<String> WORKLOADS = List.of("wordcount", "wordcount-known", "cache");

  public static void main(String[] args) throws Exception {
    String agent = null;
    String cp = null;
    Path out = Path.of("ame4j-bench/results");
    Path docs = null;
    int reps = 5;
    boolean quick = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--agent" -> agent = args[++i];
        case "--cp" -> cp = args[++i];
        case "--out" -> out = Path.of(args[++i]);
        case "--docs" -> docs = Path.of(args[++i]);
        case "--reps" -> reps = Integer.parseInt(args[++i]);
        case "--quick" -> quick = true;
        default -> throw new IllegalArgumentException("unknown option " + args[i]
            + " (options: --agent JAR --cp CP [--out DIR] [--docs FILE] [--reps N] [--quick])");
      }
    }
    if (agent == null || cp == null) {
      throw new IllegalArgumentException("--agent and --cp are required");
    }
    if (quick) {
      reps = 1;
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Files.createDirectories(out);
    Path cache = Files.createTempDirectory("ame4j-jdk-patch-bench");

    // Start-up: generation (fresh cache each time), then the cached patch for everything else.
    List<Long> generation = new ArrayList<>();
    String patchDir = null;
    for (int r = 0; r < Math.max(1, Math.min(reps, 3)); r++) {
      Path fresh = cache.resolve("gen-" + r);
      long t0 = System.nanoTime();
      String dir = run(List.of(java, "-jar", agent, "jdk-patch", "--cache", fresh.toString()), 300).strip();
      generation.add(System.nanoTime() - t0);
      patchDir = dir;
    }
    System.err.println("jdk-patch: patch in " + patchDir);

    Map<String, List<Long>> startup = new LinkedHashMap<>();
    List<List<String>> starts = List.of(
        List.of(java, "-cp", cp, "org.ame4jexamples.jdk.StartupProbe"),
        List.of(java, "-Xshare:off", "-cp", cp, "org.ame4jexamples.jdk.StartupProbe"),
        List.of(java, "-javaagent:" + agent, "-cp", cp, "org.ame4jexamples.jdk.StartupProbe"),
        List.of(java, "--patch-module", "java.base=" + patchDir, "-javaagent:" + agent, "-cp", cp,
            "org.ame4jexamples.jdk.StartupProbe"));
    List<String> startLabels = List.of("plain (CDS on)", "plain, -Xshare:off", "agent", "agent + patch (cached)");
    int startReps = quick ? 1 : Math.max(5, reps * 2);
    for (int r = 0; r < startReps; r++) {
      for (int i = 0; i < starts.size(); i++) {
        long t0 = System.nanoTime();
        run(starts.get(i), 120);
        startup.computeIfAbsent(startLabels.get(i), k -> new ArrayList<>()).add(System.nanoTime() - t0);
      }
    }

    // Workloads.
    Map<String, List<Long>> times = new LinkedHashMap<>();
    Map<String, String> stats = new LinkedHashMap<>();
    StringBuilder csv = new StringBuilder("workload,config,rep,nanos,commits,aborts,inevitable,check\n");
    for (int r = 0; r < reps; r++) {
      for (String w : WORKLOADS) {
        for (Config c : CONFIGS) {
          List<String> cmd = new ArrayList<>(List.of(java, "-Xmx2g"));
          if (c.patch) {
            cmd.addAll(List.of("--patch-module", "java.base=" + patchDir));
          }
          if (c.agent) {
            cmd.add("-javaagent:" + agent);
          }
          cmd.addAll(List.of("-cp", cp, "org.ame4jexamples.jdk.JdkWorkloads", w, c.mode, String.valueOf(c.workers)));
          if (quick) {
            cmd.addAll(List.of("--size", "20000", "--warmup", "1", "--repeat", "1"));
          }
          Map<String, String> kv = result(run(cmd, 600));
          if (!"ok".equals(kv.get("check"))) {
            throw new IllegalStateException(w + " " + c.label + " computed a wrong result: " + kv);
          }
          long nanos = Long.parseLong(kv.get("nanos"));
          times.computeIfAbsent(w + "/" + c.id, k -> new ArrayList<>()).add(nanos);
          stats.put(w + "/" + c.id, "aborts " + kv.get("aborts") + ", inevitable " + kv.get("inevitable"));
          csv.append(String.join(",", w, c.id, String.valueOf(r), kv.get("nanos"), kv.get("commits"),
              kv.get("aborts"), kv.get("inevitable"), kv.get("check"))).append('\n');
          System.err.printf(Locale.ROOT, "[%d/%d] %-10s %-20s %8.1f ms  %s%n", r + 1, reps, w, c.label,
              nanos / 1e6, stats.get(w + "/" + c.id));
        }
      }
    }

    String table = table(times, stats, startup, generation, reps, startReps, quick, java);
    Files.writeString(out.resolve("jdk-patch.csv"), csv);
    Files.writeString(out.resolve("jdk-patch.md"), table);
    System.out.println(table);
    if (docs != null) {
      BarChart chart = new BarChart("HashMap workloads: time relative to the plain sequential program",
          "time / plain (lower is better)", false,
          CONFIGS.stream().skip(1).map(Config::label).toList());
      for (String w : WORKLOADS) {
        double plain = median(times.get(w + "/plain"));
        chart.add(w, CONFIGS.stream().skip(1).mapToDouble(c -> median(times.get(w + "/" + c.id)) / plain).toArray());
      }
      chart.note("1.0 = the plain program without the agent; same run, medians of " + reps + " repetitions");
      chart.write(docs.resolveSibling("img").resolve("jdk-patch.png"));
      String text = Files.readString(docs);
      Files.writeString(docs, Report.replaceRegion(text, "jdk-patch", table + "\n![java.base patch workloads](img/jdk-patch.png)\n"));
      System.err.println("jdk-patch: updated " + docs);
    }
  }

  static String table(Map<String, List<Long>> times, Map<String, String> stats, Map<String, List<Long>> startup,
      List<Long> generation, int reps, int startReps, boolean quick, String java) {
    StringBuilder b = new StringBuilder();
    b.append("Median of ").append(reps).append(" repetitions (each a child JVM reporting the median of its")
        .append(" measured runs after warm-up), ").append(quick ? "quick sizes" : "bench sizes").append("; ")
        .append(machine(java)).append(", ")
        .append(ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"))).append(".\n\n");
    b.append("| workload | plain s | agent+patch u1 s | agent+patch u2 s | agent, no patch u2 s |")
        .append(" 1-worker overhead (u1/plain) | 2 workers vs plain (plain/u2) | u1/u2 | aborts, inevitable (u2) |\n");
    b.append("|---|--:|--:|--:|--:|--:|--:|--:|---|\n");
    for (String w : WORKLOADS) {
      double plain = median(times.get(w + "/plain"));
      double u1 = median(times.get(w + "/patch-u1"));
      double u2 = median(times.get(w + "/patch-u2"));
      double np = median(times.get(w + "/nopatch-u2"));
      b.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.3f | %.3f | %.2fx | %.2fx | %.2fx | %s |%n",
          w, plain / 1e9, u1 / 1e9, u2 / 1e9, np / 1e9, u1 / plain, plain / u2, u1 / u2,
          stats.get(w + "/patch-u2")));
    }
    b.append("\nStart-up, wall time of a whole JVM running a trivial program (median of ").append(startReps)
        .append("):\n\n| JVM | ms |\n|---|--:|\n");
    for (Map.Entry<String, List<Long>> e : startup.entrySet()) {
      b.append(String.format(Locale.ROOT, "| %s | %.0f |%n", e.getKey(), median(e.getValue()) / 1e6));
    }
    b.append(String.format(Locale.ROOT, "| making the patch once (`jdk-patch`, empty cache; median of %d) | %.0f |%n",
        generation.size(), median(generation) / 1e6));
    return b.toString();
  }

  static double median(List<Long> v) {
    long[] a = v.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(a);
    return a.length == 0 ? Double.NaN : a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2.0;
  }

  private static Map<String, String> result(String output) {
    for (String line : output.split("\\R")) {
      if (line.startsWith("RESULT ")) {
        Map<String, String> kv = new LinkedHashMap<>();
        for (String part : line.substring(7).split(" ")) {
          int eq = part.indexOf('=');
          if (eq > 0) {
            kv.put(part.substring(0, eq), part.substring(eq + 1));
          }
        }
        return kv;
      }
    }
    throw new IllegalStateException("no RESULT line in:\n" + output);
  }

  /** Runs a child to completion; its standard output (stderr goes to ours); fails on a non-zero exit. */
  static String run(List<String> command, long timeoutSeconds) {
    try {
      Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      byte[] out;
      try (InputStream in = p.getInputStream()) {
        out = in.readAllBytes();
      }
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
        throw new IllegalStateException("timed out: " + command);
      }
      String text = new String(out, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new IllegalStateException("exit " + p.exitValue() + ": " + String.join(" ", command) + "\n" + text);
      }
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String machine(String java) {
    return Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.name") + " "
        + System.getProperty("os.arch") + ", JDK " + System.getProperty("java.runtime.version");
  }
}
