package org.ame4j.bench.stamp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.ame4j.Ame;
import org.ame4j.Stats;

/**
 * The STAMP-style suite behind {@code ame4j-bench/run-stamp.sh}: every workload
 * ({@link Workloads}) in every variant it supports ({@link Variant}), on each thread count,
 * validated after every run.
 *
 * <h2>Method</h2>
 * Each (workload, variant) pair runs in a fresh JVM ({@code --fork run}, the full mode), so that
 * the JIT profile of one variant never shapes the code measured for another, and so that the
 * {@link org.ame4j.bench.stamp.cells.Stm} call sites see one implementation each; the automatic
 * variant's JVM has {@code -javaagent}. In the child, every thread count gets {@code --warmup}
 * unmeasured runs and {@code --reps} measured runs. A run is: build the shared state from the
 * generated input (not timed), a full GC, time {@code execute()} with {@code System.nanoTime},
 * validate. Statistics: {@code Ame.stats()} around the timed region for ame4j; attempt counts
 * inside the atomic bodies for the cells variants. The quick mode ({@code --quick}: CI smoke)
 * runs smaller inputs, one JVM per variant, one measured run and no warm-up.
 *
 * <p>Any run that computed a wrong result is printed as {@code FAILED} and makes the suite exit
 * with status 1, after the remaining runs; a child that crashed or timed out likewise.
 */
public final class Suite {
  private Suite() {}

  static final class Options {
    Workload.Size size = Workload.Size.FULL;
    int[] threads = {1, 2};
    String only;
    Set<Variant> variants = EnumSet.allOf(Variant.class);
    int reps = 5;
    int warmup = 2;
    long seed = 42;
    String fork = "run"; // run | variant | none
    String agent;
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> jvmOptions = new ArrayList<>(List.of("-Xms2g", "-Xmx2g"));
    Path out = Path.of("ame4j-bench", "target", "stamp");
    Path docs;
    String command = "ame4j-bench/run-stamp.sh";
    long timeout = 1800;
    boolean child;
    boolean repsGiven;
    boolean warmupGiven;
    boolean forkGiven;
  }

  public static void main(String[] args) throws Exception {
    Options o;
    try {
      o = parse(args);
    } catch (RuntimeException e) {
      System.err.println("stamp: " + e.getMessage());
      System.err.println(usage());
      System.exit(2);
      return;
    }
    if (o.child) {
      System.exit(runChild(o, System.out));
    }
    System.exit(runParent(o));
  }

  static Options parse(String[] args) {
    Options o = new Options();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--quick" -> o.size = Workload.Size.QUICK;
        case "--full" -> o.size = Workload.Size.FULL;
        case "--tiny" -> o.size = Workload.Size.TINY;
        case "--threads" -> o.threads = Arrays.stream(args[++i].split(","))
            .mapToInt(s -> Integer.parseInt(s.trim())).toArray();
        case "--only" -> o.only = args[++i];
        case "--variants" -> {
          o.variants = EnumSet.noneOf(Variant.class);
          for (String v : args[++i].split(",")) {
            o.variants.add(Variant.byId(v.trim()));
          }
        }
        case "--reps" -> {
          o.reps = Integer.parseInt(args[++i]);
          o.repsGiven = true;
        }
        case "--warmup" -> {
          o.warmup = Integer.parseInt(args[++i]);
          o.warmupGiven = true;
        }
        case "--seed" -> o.seed = Long.parseLong(args[++i]);
        case "--fork" -> {
          o.fork = args[++i];
          o.forkGiven = true;
          if (!List.of("run", "variant", "none").contains(o.fork)) {
            throw new IllegalArgumentException("--fork run|variant|none, not " + o.fork);
          }
        }
        case "--agent" -> o.agent = args[++i];
        case "--java" -> o.java = args[++i];
        case "--jvm-option" -> o.jvmOptions.add(args[++i]);
        case "--out" -> o.out = Path.of(args[++i]);
        case "--docs" -> o.docs = Path.of(args[++i]);
        case "--command" -> o.command = args[++i];
        case "--timeout" -> o.timeout = Long.parseLong(args[++i]);
        case "--child" -> o.child = true;
        case "-h", "--help" -> throw new IllegalArgumentException("usage");
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
    if (o.size != Workload.Size.FULL) {
      if (!o.repsGiven) {
        o.reps = 1;
      }
      if (!o.warmupGiven) {
        o.warmup = 0; // a smoke run: every run is validated, none is worth a number
      }
      if (!o.forkGiven) {
        o.fork = "variant";
      }
    }
    Workloads.select(o.only); // validates the names
    return o;
  }

  // ------------------------------------------------------------------ in one JVM

  /** True if the ame4j agent instrumented the plain workload classes of this JVM. */
  static boolean agentActive() {
    for (var m : org.ame4jbench.plain.Bank.class.getDeclaredMethods()) {
      if (m.getName().equals("transfer$ame")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Runs the selected workloads and variants in this JVM, reporting every measured run to
   * {@code sink} (warm-up runs are validated too, and reported only if they fail). Returns false
   * if any run failed. The automatic variant needs the agent in this JVM: without it, it fails.
   */
  static boolean runHere(List<Workload> workloads, Set<Variant> variants, int[] threads,
      Workload.Size size, int reps, int warmup, long seed, Consumer<Result> sink) {
    boolean allOk = true;
    for (Workload w : workloads) {
      w.generate(size, seed);
      for (Variant v : Variant.values()) {
        if (!variants.contains(v) || !w.variants().contains(v)) {
          continue;
        }
        for (int t : threads) {
          if (v == Variant.SEQUENTIAL && t != 1) {
            continue;
          }
          for (int rep = -warmupFor(v, size, warmup); rep < repsFor(v, size, reps); rep++) {
            Result r = runOnce(w, v, t, rep);
            if (rep >= 0 || !r.ok()) {
              sink.accept(r);
            }
            allOk &= r.ok();
            if (!r.ok()) {
              break; // the rest of this configuration would only repeat the failure
            }
          }
        }
      }
    }
    return allOk;
  }

  /**
   * Clojure's refs cost several microseconds per transaction here (ensured reads take a lock):
   * in the full mode they get at most 3 measured runs after 1 warm-up, to keep the suite within
   * its budget. Medians of 3 runs are still far inside the gaps they are compared across.
   */
  static int repsFor(Variant v, Workload.Size size, int reps) {
    return v == Variant.CLOJURE && size == Workload.Size.FULL ? Math.min(reps, 3) : reps;
  }

  static int warmupFor(Variant v, Workload.Size size, int warmup) {
    return v == Variant.CLOJURE && size == Workload.Size.FULL ? Math.min(warmup, 1) : warmup;
  }

  static Result runOnce(Workload w, Variant v, int threads, int rep) {
    if (v == Variant.AME_AUTO && !agentActive()) {
      return new Result(w.name(), v, threads, rep, 0, 0, -1, -1, -1, -1, "",
          "FAILED: the automatic variant needs -javaagent:ame4j-agent.jar (plain code would race)");
    }
    try {
      Workload.Run run = w.prepare(v, threads);
      System.gc();
      Stats before = v.ame() ? Ame.stats() : null;
      long t0 = System.nanoTime();
      run.execute();
      long nanos = System.nanoTime() - t0;
      Stats s = before == null ? null : Ame.stats().minus(before);
      String check = "ok";
      String detail = "";
      try {
        run.validate();
        detail = run.detail();
      } catch (Workload.ValidationError e) {
        check = "FAILED: " + e.getMessage();
      }
      return new Result(w.name(), v, threads, rep, nanos, run.operations(), run.attempts(),
          s == null ? -1 : s.commits(), s == null ? -1 : s.aborts(),
          s == null ? -1 : s.inevitable(), detail, check);
    } catch (RuntimeException | Error e) {
      return new Result(w.name(), v, threads, rep, 0, 0, -1, -1, -1, -1, "",
          "FAILED: threw " + String.valueOf(e).replace('\n', ' ')
              + (e.getCause() != null ? " caused by " + e.getCause() : ""));
    }
  }

  private static int runChild(Options o, PrintStream out) {
    boolean ok = runHere(Workloads.select(o.only), o.variants, o.threads, o.size, o.reps,
        o.warmup, o.seed, r -> {
          out.println(r.line());
          out.flush();
        });
    return ok ? 0 : 1;
  }

  // ------------------------------------------------------------------ the parent

  /** One child JVM: which workloads and variants it runs. */
  record Job(String only, Set<Variant> variants, boolean agent) {}

  static List<Job> jobs(Options o, List<Workload> workloads) {
    List<Job> jobs = new ArrayList<>();
    if (o.fork.equals("variant")) {
      for (Variant v : Variant.values()) {
        if (o.variants.contains(v)) {
          String names = String.join(",", workloads.stream()
              .filter(w -> w.variants().contains(v)).map(Workload::name).toList());
          if (!names.isEmpty()) {
            jobs.add(new Job(names, EnumSet.of(v), v == Variant.AME_AUTO));
          }
        }
      }
    } else {
      for (Workload w : workloads) {
        for (Variant v : Variant.values()) {
          if (o.variants.contains(v) && w.variants().contains(v)) {
            jobs.add(new Job(w.name(), EnumSet.of(v), v == Variant.AME_AUTO));
          }
        }
      }
    }
    return jobs;
  }

  static int runParent(Options o) throws IOException, InterruptedException {
    List<Workload> workloads = Workloads.select(o.only);
    String loadBefore = SuiteReport.loadAverage();
    long start = System.nanoTime();
    List<Result> results = new ArrayList<>();
    int expected = 0;
    for (Workload w : workloads) {
      for (Variant v : w.variants()) {
        if (o.variants.contains(v)) {
          expected += (v == Variant.SEQUENTIAL ? 1 : o.threads.length) * repsFor(v, o.size, o.reps);
        }
      }
    }
    System.out.printf(Locale.ROOT, "stamp: %d workloads, variants %s, threads %s, %s size,"
            + " %d warm-up + %d measured runs each, fork %s; load average %s%n",
        workloads.size(), Variant.ids(new ArrayList<>(o.variants)), Arrays.toString(o.threads),
        o.size.name().toLowerCase(Locale.ROOT), o.warmup, o.reps, o.fork, loadBefore);
    boolean ok = true;
    int[] done = {0};
    int total = expected;
    Consumer<Result> sink = r -> {
      results.add(r);
      done[0]++;
      System.out.println(progress(done[0], total, r, start));
    };
    if (o.fork.equals("none")) {
      ok = runHere(workloads, o.variants, o.threads, o.size, o.reps, o.warmup, o.seed, sink);
    } else {
      for (Job job : jobs(o, workloads)) {
        ok &= runJob(o, job, sink);
      }
    }
    String loadAfter = SuiteReport.loadAverage();
    for (Workload w : workloads) {
      w.generate(o.size, o.seed); // the tables' descriptions name the generated input
    }
    double minutes = (System.nanoTime() - start) / 60e9;
    SuiteReport report = new SuiteReport(results, workloads, o, loadBefore, loadAfter, minutes);
    report.write();
    long failed = results.stream().filter(r -> !r.ok()).count();
    System.out.printf(Locale.ROOT, "stamp: %d runs in %.1f min, %d failed; load average %s%n",
        results.size(), minutes, failed, loadAfter);
    if (!ok || failed > 0) {
      System.out.println("stamp: FAILED runs:");
      results.stream().filter(r -> !r.ok()).forEach(r -> System.out.println("  " + r.line()));
      return 1;
    }
    return 0;
  }

  static String progress(int done, int total, Result r, long start) {
    String what = String.format(Locale.ROOT, "[%d/%d %4.0fs] %-13s %-10s t=%d rep %d", done, total,
        (System.nanoTime() - start) / 1e9, r.workload(), r.variant().id, r.threads(), r.rep() + 1);
    if (!r.ok()) {
      return what + "  " + r.check();
    }
    double rate = r.abortRate();
    return what + String.format(Locale.ROOT, "  %9.2f ms  %8.3f Mops/s%s%s%s  ok", r.nanos() / 1e6,
        r.ops() * 1e3 / r.nanos(),
        Double.isNaN(rate) ? "" : String.format(Locale.ROOT, "  aborts %.2f%%", 100 * rate),
        r.inevitable() > 0 ? "  inevitable " + r.inevitable() : "",
        r.detail().equals("-") ? "" : "  " + r.detail());
  }

  private static boolean runJob(Options o, Job job, Consumer<Result> sink)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(o.java);
    cmd.addAll(o.jvmOptions);
    if (job.agent()) {
      if (o.agent == null) {
        System.out.println("stamp: FAILED: the automatic variant needs --agent ame4j-agent.jar");
        return false;
      }
      cmd.add("-javaagent:" + o.agent);
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Suite.class.getName(),
        "--child", "--" + o.size.name().toLowerCase(Locale.ROOT), "--only", job.only(),
        "--variants", Variant.ids(new ArrayList<>(job.variants())), "--threads",
        String.join(",", Arrays.stream(o.threads).mapToObj(String::valueOf).toList()),
        "--reps", String.valueOf(o.reps), "--warmup", String.valueOf(o.warmup), "--seed",
        String.valueOf(o.seed)));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    List<String> other = new ArrayList<>();
    boolean any = false;
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        if (line.startsWith("RESULT ")) {
          sink.accept(Result.parse(line));
          any = true;
        } else {
          other.add(line);
          if (other.size() > 200) {
            other.remove(0);
          }
        }
      }
    }
    if (!p.waitFor(o.timeout, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      System.out.println("stamp: FAILED: child timed out: " + job);
      return false;
    }
    int exit = p.exitValue();
    if (exit != 0 || !any) {
      System.out.println("stamp: FAILED: child " + job + " exited with " + exit
          + (any ? "" : " without results"));
      other.stream().skip(Math.max(0, other.size() - 40)).forEach(l -> System.out.println("  | " + l));
      return false;
    }
    if (!other.isEmpty()) {
      other.forEach(l -> System.out.println("  | " + l)); // agent reports, warnings: never hidden
    }
    return true;
  }

  static String usage() {
    return String.join("\n",
        "usage: run-stamp.sh [--quick|--full] [--threads 1,2] [--only w1,w2] [--variants v1,v2]",
        "                    [--reps N] [--warmup K] [--fork run|variant|none] [--docs FILE]",
        "  workloads: " + String.join(",", Workloads.all().stream().map(Workload::name).toList())
            + " (or a prefix with *, or the groups intset, stamp)",
        "  variants:  " + Variant.ids(Variant.all()),
        "  --quick    smaller inputs, 1 measured run and no warm-up, one JVM per variant (CI smoke)",
        "  --full     bench inputs, 2 warm-up + 5 measured runs, one JVM per (workload, variant)",
        "  --agent J  the agent jar for the automatic variant (run-stamp.sh passes it)",
        "  --out DIR  CSV, markdown and PNGs (default ame4j-bench/target/stamp)",
        "  --docs F   also rewrite F's generated:stamp-* regions and its img/stamp-*.png");
  }
}
