package org.ame4jexamples.corpus;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ame4j.Ame;
import org.ame4j.Stats;
import org.ame4j.TransactionQueue;
import org.ame4jexamples.AgentCheck;

/**
 * Runs one corpus program in one configuration and prints one machine-readable line per
 * measured run; the corpus tests and the overhead harness start it in a child JVM, with or
 * without {@code -javaagent}.
 *
 * <pre>
 *   java [-javaagent:ame4j-agent.jar] -cp … org.ame4jexamples.corpus.CorpusMain PROGRAM
 *       [--mode sequential|unordered|ordered] [--workers N] [--chunk K | --range]
 *       [--size N | --bench-size] [--seed S] [--warmup K] [--repeat R] [--require-agent] [--stats]
 *       [--then OPTIONS...]...
 * </pre>
 *
 * {@code --chunk K} (task modes only, default 1) makes one task of every K consecutive iterations
 * ({@link CorpusProgram#runChunkedTasks}); 1 is the one-iteration-per-task loop. {@code --range}
 * queues the same one-iteration tasks with {@code addRange} ({@link CorpusProgram#runRangeTasks}).
 *
 * <p>Output: {@code RESULT program=… mode=… workers=… chunk=… size=… seed=… agent=true|false nanos=… cpuNanos=…
 * fingerprint=… commits=… aborts=… inevitable=… <summary> check=ok} (or {@code check=} and what
 * is broken, the rest of the line). {@code --warmup K} first runs K unmeasured runs of the same
 * configuration (fresh programs, same input) to warm the JIT up. Exit status: 0 every check held,
 * 1 a check failed, 2 bad usage, 3 {@code --require-agent} without the agent, 4 a run threw.
 *
 * <p>{@code --then} starts another configuration of the same program in the same JVM, its options
 * again from the defaults ({@code bank --mode ordered --then --mode unordered --workers 2}); the
 * configurations run in turn, each printing its lines. The corpus tests run a program's
 * configurations so, in one child JVM: at test sizes, a JVM's start and the agent's
 * instrumentation took longer than the runs. The exit status is the first configuration's that
 * was not 0; bad usage in any of them stops before anything runs.
 */
public final class CorpusMain {
  private CorpusMain() {}

  public static void main(String[] args) {
    int status = runAll(args, System.out, System.err);
    System.out.flush();
    System.exit(status);
  }

  /** The configurations of {@code args}, separated by {@code --then}, in turn (class comment). */
  static int runAll(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || args[0].startsWith("-")) {
      err.println(usage());
      return 2;
    }
    List<String[]> configurations = new ArrayList<>();
    List<String> options = new ArrayList<>(List.of(args[0]));
    for (int i = 1; i <= args.length; i++) {
      if (i == args.length || args[i].equals("--then")) {
        configurations.add(options.toArray(String[]::new));
        options = new ArrayList<>(List.of(args[0]));
      } else {
        options.add(args[i]);
      }
    }
    List<Configuration> parsed = new ArrayList<>();
    for (String[] configuration : configurations) {
      Configuration c = parse(configuration, err);
      if (c == null) {
        return 2; // before anything ran: no half-run batch for a typo in its last configuration
      }
      parsed.add(c);
    }
    int status = 0;
    for (Configuration c : parsed) {
      int s = run(c, out, err);
      status = status != 0 ? status : s;
    }
    return status;
  }

  /** One configuration: what {@link #parse} read from its options. */
  private record Configuration(String program, String mode, int workers, int chunk, int size, long seed,
      int warmup, int repeat, boolean requireAgent, boolean stats, boolean range) {}

  /** The configuration {@code args} names, or null after printing what is wrong and the usage. */
  private static Configuration parse(String[] args, PrintStream err) {
    if (args.length == 0 || args[0].startsWith("-")) {
      err.println(usage());
      return null;
    }
    String program = args[0];
    String mode = "sequential";
    int workers = 1;
    int chunk = 1;
    int size = -1;
    long seed = 1;
    int warmup = 0;
    int repeat = 1;
    boolean requireAgent = false;
    boolean stats = false;
    boolean range = false;
    try {
      for (int i = 1; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--mode" -> mode = args[++i];
          case "--workers" -> workers = Integer.parseInt(args[++i]);
          case "--chunk" -> chunk = Integer.parseInt(args[++i]);
          case "--size" -> size = Integer.parseInt(args[++i].replace("_", ""));
          case "--bench-size" -> size = Corpus.benchSize(program);
          case "--seed" -> seed = Long.parseLong(args[++i]);
          case "--warmup" -> warmup = Integer.parseInt(args[++i]);
          case "--repeat" -> repeat = Integer.parseInt(args[++i]);
          case "--require-agent" -> requireAgent = true;
          case "--stats" -> stats = true;
          case "--range" -> range = true;
          default -> throw new IllegalArgumentException("unknown option " + a);
        }
      }
      if (!mode.equals("sequential") && !mode.equals("unordered") && !mode.equals("ordered")) {
        throw new IllegalArgumentException("--mode: sequential, unordered or ordered, not " + mode);
      }
      if (chunk < 1) {
        throw new IllegalArgumentException("--chunk must be >= 1, was " + chunk);
      }
      if (range && chunk != 1) {
        throw new IllegalArgumentException("--range queues one task per iteration: no --chunk");
      }
      if (mode.equals("sequential")) {
        chunk = 1;
        range = false;
      }
      if (size < 0) {
        size = Corpus.testSize(program);
      }
      Corpus.create(program, 1, seed); // validates the name
    } catch (RuntimeException e) {
      err.println("corpus: " + e.getMessage());
      err.println(usage());
      return null;
    }
    return new Configuration(program, mode, workers, chunk, size, seed, warmup, repeat, requireAgent,
        stats, range);
  }

  /** Runs one configuration ({@code args}: the program, then its options); the exit status. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    Configuration c = parse(args, err);
    return c == null ? 2 : run(c, out, err);
  }

  /** Runs one parsed configuration; the exit status. */
  private static int run(Configuration c, PrintStream out, PrintStream err) {
    String program = c.program();
    String mode = c.mode();
    int workers = c.workers();
    int chunk = c.chunk();
    int size = c.size();
    long seed = c.seed();
    boolean stats = c.stats();
    boolean range = c.range();
    boolean agent = AgentCheck.isActive();
    if (c.requireAgent() && !agent) {
      err.println(AgentCheck.missingAgentMessage("The corpus",
          "./ame run -cp <classes> " + CorpusMain.class.getName() + " PROGRAM ...",
          CorpusMain.class));
      return 3;
    }
    int status = 0;
    for (int r = -c.warmup(); r < c.repeat(); r++) {
      CorpusProgram p = Corpus.create(program, size, seed);
      Ame.resetStats();
      long nanos;
      long cpuNanos;
      try {
        long c0 = processCpuNanos();
        long t0 = System.nanoTime();
        if (mode.equals("sequential")) {
          p.runSequential();
        } else {
          TransactionQueue q =
              mode.equals("ordered") ? TransactionQueue.ordered() : new TransactionQueue();
          if (range) {
            p.runRangeTasks(q, workers);
          } else if (chunk == 1) {
            p.runTasks(q, workers);
          } else {
            p.runChunkedTasks(q, workers, chunk);
          }
        }
        nanos = System.nanoTime() - t0;
        cpuNanos = processCpuNanos() - c0;
      } catch (RuntimeException | Error e) {
        err.println("corpus: " + program + " (" + mode + ", " + workers + " workers, chunk "
            + chunk + ") threw:");
        e.printStackTrace(err);
        out.println("RESULT program=" + program + " mode=" + mode + " workers=" + workers
            + " chunk=" + chunk + " agent=" + agent + " check=threw " + String.valueOf(e).replace('\n', ' '));
        return 4;
      }
      if (r < 0) {
        continue;
      }
      Stats s = Ame.stats();
      String check = p.check();
      if (check != null) {
        status = 1;
      }
      out.println(String.format(Locale.ROOT,
          "RESULT program=%s mode=%s workers=%d chunk=%d range=%s size=%d seed=%d agent=%s"
              + " nanos=%d cpuNanos=%d fingerprint=%s commits=%d aborts=%d inevitable=%d %s"
              + " check=%s",
          program, mode, mode.equals("sequential") ? 0 : workers, chunk, range, size, seed, agent,
          nanos,
          cpuNanos,
          p.fingerprint(), s.commits(), s.aborts(), s.inevitable(), p.summary(),
          check == null ? "ok" : check));
      if (stats) {
        for (String line : s.toString().split("\\R")) {
          out.println("stats: " + line);
        }
        for (Map.Entry<String, Long> e : s.inevitableSites().entrySet()) {
          out.println("inevitable-site: " + e.getValue() + " " + e.getKey());
        }
      }
    }
    return status;
  }

  /**
   * CPU time of the whole process (every thread, GC and JIT included), or -1 where the JVM does
   * not say: on a shared machine it is a steadier measure than wall time of how much work a run
   * did, though not of how long it took.
   */
  private static long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : -1L;
  }

  static String usage() {
    return "usage: CorpusMain PROGRAM [--mode sequential|unordered|ordered] [--workers N]"
        + " [--chunk K | --range] [--size N | --bench-size] [--seed S] [--warmup K] [--repeat R] [--require-agent]"
        + " [--stats] [--then OPTIONS...]...\n"
        + "programs: " + Corpus.ALL;
  }
}
