package org.ame4jexamples.corpus;

import java.util.List;

/**
 * The corpus: names, constructors and sizes of the programs that the agent tests
 * ({@code CorpusIT}) and the overhead harness ({@code ame4j-bench/run-agent-overhead.sh}) run.
 *
 * <p>Every program is deterministic given {@code (size, seed)}: the same pair builds the same
 * input, in every JVM.
 */
public final class Corpus {
  private Corpus() {}

  /**
   * The five programs of issue 3, the demo's program, then issue 14's: the heat stencil, the
   * word count with local counts, the JSON batch job and k-means with coarse tasks.
   */
  public static final List<String> PROGRAMS = List.of("bank", "components", "kmeans",
      "nodegraph", "orchestra", "sssp", "heat", "wordcount", "json", "kmeans-local");

  /** {@link #PROGRAMS} and the opacity probe. */
  public static final List<String> ALL = List.of("bank", "components", "kmeans", "nodegraph",
      "orchestra", "sssp", "heat", "wordcount", "json", "kmeans-local", "opacity");

  /**
   * True for the programs that use JDK collections ({@code HashMap}) inside tasks: they need the
   * java.base patch ({@code --patch-module java.base=…}, as {@code ./ame run} passes it) to run
   * in parallel; without it their tasks run inevitable (serial, still correct).
   */
  public static boolean needsJdkPatch(String name) {
    return name.equals("wordcount") || name.equals("json");
  }

  /**
   * A fresh program; {@code size} is its number of operations, vertices, points, grid cells or
   * documents.
   */
  public static CorpusProgram create(String name, int size, long seed) {
    switch (name) {
      case "bank":
        return new Bank(size, seed);
      case "components":
        return new Components(size, seed);
      case "kmeans":
        return new KMeans(size, seed);
      case "nodegraph":
        return new NodeGraph(size, seed);
      case "orchestra":
        return new Orchestra(size, seed);
      case "sssp":
        return new ShortestPaths(size, seed);
      case "heat":
        return new Heat(size, seed);
      case "wordcount":
        return new WordCount(size, seed);
      case "json":
        return new JsonBatch(size, seed);
      case "kmeans-local":
        return new KMeansLocal(size, seed, KMeansLocal.blockFromProperty());
      case "opacity":
        return new OpacityProbe(size, seed);
      default:
        throw new IllegalArgumentException("unknown corpus program '" + name + "'; one of " + ALL);
    }
  }

  /** A size for tests: a run takes well under a second, even under the agent. */
  public static int testSize(String name) {
    switch (name) {
      case "kmeans":
        return 3_000;
      case "kmeans-local":
        return 20_500; // 21 tasks of 1,000 points per iteration, the last one partial
      case "opacity":
        return 6_000;
      case "heat":
        return 64 * 64;
      case "wordcount":
      case "json":
        return 300;
      default:
        return 20_000;
    }
  }

  /**
   * A size for the overhead harness ({@code ame4j-bench/run-agent-overhead.sh}): a run under the
   * agent on one worker takes roughly 1 to 2 s on a 2020s core. The plain program is 3 to 70
   * times faster (that ratio is what the harness measures), so its runs are shorter; sizing the
   * plain run to a second instead would make the agent runs take minutes each.
   */
  public static int benchSize(String name) {
    switch (name) {
      case "bank":
        return 1_500_000;
      case "components":
        return 250_000;
      case "kmeans":
      case "kmeans-local": // 80 tasks of 1,000 points per iteration
        return 80_000;
      case "nodegraph":
        return 600_000;
      case "orchestra":
        return 700_000;
      case "sssp":
        return 150_000;
      case "heat":
        // 2400 x 2400 cells: the plain stencil takes about 100 ms (512 x 512 took 5 ms, too
        // little for the plain program's time to mean anything next to JVM noise).
        return 2400 * 2400;
      case "wordcount":
        return 20_000;
      case "json":
        return 6_000;
      default:
        return 100_000;
    }
  }
}
