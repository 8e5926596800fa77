package org.ame4jexamples;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ame4j.Ame;
import org.ame4j.Stats;

/**
 * The demo behind {@code ./ame demo}: single-source shortest paths on a random graph, first with
 * the ordinary sequential worklist program ({@link SequentialShortestPaths}), then with the same
 * program, its loop changed into ame4j tasks ({@link ParallelShortestPaths}: still {@code int[]
 * dist}, no cells) on 1 and N workers, unordered and ordered. Prints the times, speedups and
 * transaction statistics, and checks that every parallel run computed exactly the sequential
 * distances (exit status 1 if not).
 *
 * <p>The plain arrays are transactional only under the ame4j agent: without it the demo says
 * so, tells how to start it ({@code ./ame demo}) and exits with status 3 instead of computing
 * wrong results ({@link AgentCheck}).
 *
 * <p>Options (each also settable as a system property {@code ame4j.demo.<name>}):
 *
 * <pre>
 *   --vertices N     graph size                      (default 300000)
 *   --degree D       out-edges per vertex            (default 16)
 *   --max-weight W   edge weights are 1..W           (default 1000)
 *   --seed S         graph seed                      (default 42)
 *   --workers N      the "N workers" runs            (default: ame4j.threads, else all cores)
 *   --mode M         both | unordered | ordered      (default both)
 *   --warmup V       JIT warm-up graph size, 0: none (default 20000)
 *   --repeat R       time each run R times, report the fastest (default 1)
 *   --cells          also run the explicit-cells version (IntRef[], {@link CellShortestPaths})
 * </pre>
 */
public final class ShortestPathsDemo {
  private static final int SOURCE = 0;

  private ShortestPathsDemo() {}

  public static void main(String[] args) {
    int status = run(args, System.out, System.err);
    if (status != 0) {
      System.exit(status);
    }
  }

  /** The parameters of one demo run. */
  record Options(
      int vertices,
      int degree,
      int maxWeight,
      long seed,
      int workers,
      String mode,
      int warmup,
      int repeat,
      boolean cells) {

    static Options parse(String[] args) {
      String vertices = prop("vertices", "300000");
      String degree = prop("degree", "16");
      String maxWeight = prop("max-weight", "1000");
      String seed = prop("seed", "42");
      String workers =
          prop("workers", System.getProperty(
              "ame4j.threads", String.valueOf(Runtime.getRuntime().availableProcessors())));
      String mode = prop("mode", "both");
      String warmup = prop("warmup", "20000");
      String repeat = prop("repeat", "1");
      boolean cells = Boolean.parseBoolean(prop("cells", "false"));
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        if (arg.equals("--cells")) {
          cells = true;
          continue;
        }
        String value = null;
        int eq = arg.indexOf('=');
        if (arg.startsWith("--") && eq > 0) {
          value = arg.substring(eq + 1);
          arg = arg.substring(0, eq);
        }
        if (arg.equals("-h") || arg.equals("--help")) {
          throw new UsageException(null);
        }
        if (value == null) {
          if (i + 1 >= args.length) {
            throw new UsageException("missing value after " + arg);
          }
          value = args[++i];
        }
        switch (arg) {
          case "--vertices", "-n" -> vertices = value;
          case "--degree", "-d" -> degree = value;
          case "--max-weight" -> maxWeight = value;
          case "--seed" -> seed = value;
          case "--workers", "-t" -> workers = value;
          case "--mode" -> mode = value;
          case "--warmup" -> warmup = value;
          case "--repeat" -> repeat = value;
          case "--cells" -> cells = Boolean.parseBoolean(value); // --cells=true|false
          default -> throw new UsageException("unknown option " + arg);
        }
      }
      if (!List.of("both", "unordered", "ordered").contains(mode)) {
        throw new UsageException("--mode must be both, unordered or ordered, not " + mode);
      }
      Options o = new Options(
          toInt("vertices", vertices), toInt("degree", degree), toInt("max-weight", maxWeight),
          toLong("seed", seed), toInt("workers", workers), mode, toInt("warmup", warmup),
          toInt("repeat", repeat), cells);
      if (o.vertices < 1 || o.degree < 1 || o.maxWeight < 1 || o.workers < 1 || o.repeat < 1
          || o.warmup < 0) {
        throw new UsageException(
            "vertices, degree, max-weight, workers and repeat must be >= 1, warmup >= 0");
      }
      return o;
    }

    private static String prop(String name, String fallback) {
      return System.getProperty("ame4j.demo." + name, fallback);
    }

    private static int toInt(String name, String value) {
      try {
        return Integer.parseInt(value.replace("_", ""));
      } catch (NumberFormatException e) {
        throw new UsageException(name + " must be an integer, not '" + value + "'");
      }
    }

    private static long toLong(String name, String value) {
      try {
        return Long.parseLong(value.replace("_", ""));
      } catch (NumberFormatException e) {
        throw new UsageException(name + " must be an integer, not '" + value + "'");
      }
    }
  }

  static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  /** One parallel configuration: how many workers, which queue, plain arrays or cells. */
  record Variant(int workers, boolean ordered, boolean cells) {
    String label() {
      return (cells ? "cells, " : "") + (ordered ? "ordered" : "unordered") + ", " + workers
          + (workers == 1 ? " worker" : " workers");
    }

    int[] solve(Graph g, int source) {
      return cells
          ? CellShortestPaths.solve(g, source, workers, ordered)
          : ParallelShortestPaths.solve(g, source, workers, ordered);
    }
  }

  /** Exit status when the agent is missing. */
  static final int NO_AGENT = 3;

  /**
   * Runs the demo; returns the process exit status (0 ok, 1 wrong result, 2 bad usage, 3 not
   * running with the agent).
   */
  static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, out, err, AgentCheck.isActive());
  }

  static int run(String[] args, PrintStream out, PrintStream err, boolean agent) {
    Options o;
    try {
      o = Options.parse(args);
    } catch (UsageException e) {
      if (e.getMessage() != null) {
        err.println("demo: " + e.getMessage());
      }
      (e.getMessage() == null ? out : err).println(usage());
      return e.getMessage() == null ? 0 : 2;
    }
    if (!agent) {
      err.println("demo: the ame4j agent is not loaded.");
      err.println(AgentCheck.missingAgentMessage(
          "The shortest-paths demo", "./ame demo [options]", ShortestPathsDemo.class));
      return NO_AGENT;
    }
    Graph g;
    try {
      g = Graph.random(o.vertices, o.degree, o.maxWeight, o.seed);
    } catch (IllegalArgumentException e) {
      err.println("demo: " + e.getMessage());
      return 2;
    }
    List<Variant> variants = variants(o);

    out.println("ame4j demo: single-source shortest paths, label-correcting worklist (SPFA)");
    out.printf(Locale.ROOT, "graph: %,d vertices, %,d edges (out-degree %d, weights 1..%d, "
        + "seed %d), source %d%n", g.vertices(), g.edges(), o.degree, o.maxWeight, o.seed, SOURCE);
    out.printf(Locale.ROOT, "machine: %d cores, Java %s; parallel runs use 1 and %d workers%s%n",
        Runtime.getRuntime().availableProcessors(), Runtime.version(), o.workers,
        o.repeat > 1 ? "; times are the best of " + o.repeat : "");

    if (o.warmup > 0) {
      out.printf(Locale.ROOT, "warming up the JIT on a %,d-vertex graph ...%n", o.warmup);
      Graph small = Graph.random(o.warmup, o.degree, o.maxWeight, o.seed + 1);
      int[] expected = SequentialShortestPaths.solve(small, SOURCE);
      for (Variant v : variants) {
        int[] got = v.solve(small, SOURCE);
        String diff = difference(expected, got);
        if (diff != null) {
          err.println("demo: WRONG RESULT in warm-up (" + v.label() + "): " + diff);
          return 1;
        }
      }
    }
    out.println();

    SequentialShortestPaths seq = null;
    long seqNanos = Long.MAX_VALUE;
    for (int r = 0; r < o.repeat; r++) {
      gc();
      long t0 = System.nanoTime();
      SequentialShortestPaths run = SequentialShortestPaths.run(g, SOURCE);
      long nanos = System.nanoTime() - t0;
      if (nanos < seqNanos) {
        seqNanos = nanos;
        seq = run;
      }
    }
    int[] expected = seq.dist();
    long reachable = 0;
    for (int d : expected) {
      if (d != Graph.INFINITY) {
        reachable++;
      }
    }

    String header = String.format(Locale.ROOT, "%-31s %9s %8s %8s %12s %10s %10s",
        "run", "time", "vs seq", "vs 1 wkr", "tasks", "aborts", "inevitable");
    out.println(header);
    out.println("-".repeat(header.length()));
    out.printf(Locale.ROOT, "%-31s %9s %8s %8s %,12d %10s %10s%n",
        "sequential (plain Java)", seconds(seqNanos), "1.00x", "", seq.polls(), "-", "-");

    List<String> failures = new ArrayList<>();
    Map<String, Stats> reports = new LinkedHashMap<>();
    List<String> otherCounts = new ArrayList<>();
    long oneWorkerNanos = 0;
    for (Variant v : variants) {
      long nanos = Long.MAX_VALUE;
      Stats s = null;
      String diff = null;
      for (int r = 0; r < o.repeat; r++) {
        gc();
        Ame.resetStats();
        long start = System.nanoTime();
        int[] got = v.solve(g, SOURCE);
        long elapsed = System.nanoTime() - start;
        Stats stats = Ame.stats();
        if (elapsed < nanos) {
          nanos = elapsed;
          s = stats;
        }
        if (diff == null) {
          diff = difference(expected, got);
        }
      }
      if (v.workers == 1) {
        oneWorkerNanos = nanos;
      }
      if (diff != null) {
        failures.add(v.label() + ": " + diff);
      }
      out.printf(Locale.ROOT, "%-31s %9s %8s %8s %,12d %,10d %,10d%s%n",
          v.label(), seconds(nanos), ratio(seqNanos, nanos),
          v.workers == 1 ? "1.00x" : ratio(oneWorkerNanos, nanos),
          s.commits(), s.aborts(), s.inevitable(), diff == null ? "" : "   WRONG");
      if (v.workers > 1) {
        reports.put(v.label(), s);
      }
      if (s.commits() != seq.polls()) {
        otherCounts.add(taskCountDifference(v.label(), s.commits(), seq.polls()));
      }
    }
    out.println();
    out.println("tasks: transactions committed (sequential: loop iterations);"
        + " vs seq: sequential time / this time;");
    out.println("vs 1 wkr: the same queue's time on 1 worker / this time.");
    out.println(TASK_COUNT_NOTE);
    if (!otherCounts.isEmpty()) {
      out.println("Here: " + String.join("; ", otherCounts) + ".");
    }
    out.println("The task runs execute the sequential program's own code (int[] dist, boolean[]"
        + " queued),");
    out.println("its loop changed into tasks; the ame4j agent makes their array accesses"
        + " transactional.");
    if (o.cells) {
      out.println("cells: the same algorithm with explicit transactional cells (IntRef[],"
          + " Ref<Boolean>[]).");
    }
    reports.forEach((label, stats) -> {
      out.println();
      out.println("Ame.stats() of the run \"" + label + "\":");
      for (String line : stats.toString().split("\\R")) {
        out.println("  " + line);
      }
    });
    out.println();
    if (!failures.isEmpty()) {
      err.println("demo: WRONG RESULT: parallel distances differ from the sequential ones:");
      failures.forEach(f -> err.println("  " + f));
      return 1;
    }
    out.printf(Locale.ROOT, "OK: all %d parallel runs computed exactly the sequential distances"
        + " (%,d of %,d vertices reachable).%n", variants.size(), reachable, g.vertices());
    return 0;
  }

  /**
   * Why the task counts of unordered runs differ from the loop's iterations. SPFA queues a vertex
   * again whenever its distance drops after it was taken off the queue, so how many times each
   * vertex is relaxed depends on the order of the relaxations, never the distances it ends with.
   */
  static final String TASK_COUNT_NOTE = String.join("\n",
      "A task relaxes one vertex, and a vertex is queued again each time its distance drops after"
          + " it was taken",
      "off the queue: the task count depends on the order in which vertices are relaxed, the"
          + " distances do not.",
      "Ordered runs commit in the loop's FIFO order, so they run exactly its iterations; unordered"
          + " runs on",
      "several workers commit in another order, and may run more or fewer tasks.");

  /** "unordered, 2 workers: 1,859 more tasks than the loop's iterations (+0.18%)". */
  static String taskCountDifference(String label, long tasks, long iterations) {
    long d = tasks - iterations;
    return String.format(Locale.ROOT, "%s: %,d %s tasks than the loop's iterations (%+.2f%%)",
        label, Math.abs(d), d > 0 ? "more" : "fewer", 100.0 * d / iterations);
  }

  private static List<Variant> variants(Options o) {
    List<Variant> variants = new ArrayList<>();
    for (boolean cells : o.cells ? new boolean[] {false, true} : new boolean[] {false}) {
      for (boolean ordered : new boolean[] {false, true}) {
        if (o.mode.equals("both") || o.mode.equals(ordered ? "ordered" : "unordered")) {
          variants.add(new Variant(1, ordered, cells));
          if (o.workers != 1) {
            variants.add(new Variant(o.workers, ordered, cells));
          }
        }
      }
    }
    return variants;
  }

  /** Null if equal, else a description of the first difference. */
  static String difference(int[] expected, int[] got) {
    if (expected.length != got.length) {
      return "length " + got.length + " instead of " + expected.length;
    }
    int wrong = 0;
    int first = -1;
    for (int v = 0; v < expected.length; v++) {
      if (expected[v] != got[v]) {
        wrong++;
        if (first < 0) {
          first = v;
        }
      }
    }
    if (wrong == 0) {
      return null;
    }
    return String.format(Locale.ROOT, "%,d vertices differ; first: dist[%d] = %s, expected %s",
        wrong, first, show(got[first]), show(expected[first]));
  }

  private static String show(int d) {
    return d == Graph.INFINITY ? "unreachable" : String.valueOf(d);
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.3f s", nanos / 1e9);
  }

  private static String ratio(long base, long nanos) {
    return String.format(Locale.ROOT, "%.2fx", (double) base / nanos);
  }

  /** Lets the previous run's garbage go before timing the next one, to reduce noise. */
  private static void gc() {
    System.gc();
  }

  static String usage() {
    return String.join("\n",
        "usage: ./ame demo [options]   (or java org.ame4jexamples.ShortestPathsDemo [options])",
        "  --vertices N     graph size                      (default 300000)",
        "  --degree D       out-edges per vertex            (default 16)",
        "  --max-weight W   edge weights are 1..W           (default 1000)",
        "  --seed S         graph seed                      (default 42)",
        "  --workers N      the \"N workers\" runs            (default: -Dame4j.threads,"
            + " else all cores)",
        "  --mode M         both | unordered | ordered      (default both)",
        "  --warmup V       JIT warm-up graph size, 0: none (default 20000)",
        "  --repeat R       time each run R times, report the fastest (default 1)",
        "  --cells          also run the explicit-cells version (IntRef[]) for comparison",
        "Needs the ame4j agent (./ame demo loads it); without it the demo exits with status 3.",
        "Each option can also be given as a system property -Dame4j.demo.<name>=VALUE"
            + " (--cells: -Dame4j.demo.cells=true).");
  }
}
