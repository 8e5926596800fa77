package org.ame4jexamples.jdk;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.ame4j.Ame;
import org.ame4j.Stats;
import org.ame4j.TransactionQueue;

/**
 * Plain sequential programs over a shared {@code HashMap} (issue 4's benchmarks), run either as
 * the sequential loop or with that loop changed to {@code add} + {@code run}:
 *
 * <ul>
 *   <li>{@code wordcount}: lines of words, one task per line, {@code counts.merge(word, 1,
 *       Integer::sum)} into one shared map that starts empty (and resizes as it grows);</li>
 *   <li>{@code wordcount-known}: the same, into a map that already holds every word of the
 *       vocabulary with count 0, so no merge inserts. An analysis workload: every insert writes
 *       {@code HashMap}'s {@code size} and {@code modCount}, which every other operation reads,
 *       so in {@code wordcount} almost every pair of concurrent tasks conflicts; here only tasks
 *       that count the same word do;</li>
 *   <li>{@code cache}: a memoising cache of an expensive pure function (the Collatz stopping time
 *       of a number), one task per query, {@code get} then {@code put} on a miss.</li>
 * </ul>
 *
 * <pre>
 *   java [--patch-module java.base=… -javaagent:ame4j-agent.jar] -cp … org.ame4jexamples.jdk.JdkWorkloads
 *       wordcount|wordcount-known|cache sequential|unordered|ordered WORKERS [--size N] [--warmup K] [--repeat R]
 * </pre>
 *
 * Prints {@code RESULT workload=… mode=… workers=… nanos=<median of R runs> commits=… aborts=…
 * inevitable=… check=ok} (the check compares with a plain sequential run made first). Exit 1 if
 * a run computed a different map.
 */
public final class JdkWorkloads {
  private JdkWorkloads() {}

  public static void main(String[] args) {
    String workload = args[0];
    String mode = args[1];
    int workers = Integer.parseInt(args[2]);
    int size = workload.startsWith("wordcount") ? 400_000 : 200_000;
    int warmup = 3;
    int repeat = 5;
    for (int i = 3; i < args.length; i++) {
      switch (args[i]) {
        case "--size" -> size = Integer.parseInt(args[++i].replace("_", ""));
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--repeat" -> repeat = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Workload w = switch (workload) {
      case "wordcount" -> new WordCount(size, false);
      case "wordcount-known" -> new WordCount(size, true);
      case "cache" -> new Cache(size);
      default -> throw new IllegalArgumentException("unknown workload " + workload
          + " (wordcount, wordcount-known or cache)");
    };
    Map<Object, Object> expected = w.run("sequential", 1);
    long[] nanos = new long[repeat];
    Stats before = null;
    for (int r = -warmup; r < repeat; r++) {
      if (r == 0) {
        before = Ame.stats();
      }
      System.gc();
      long t0 = System.nanoTime();
      Map<Object, Object> got = w.run(mode, workers);
      long t = System.nanoTime() - t0;
      if (!got.equals(expected)) {
        System.out.println("RESULT workload=" + workload + " mode=" + mode + " check=DIFFERENT (" + got.size()
            + " keys, expected " + expected.size() + ")");
        System.exit(1);
      }
      if (r >= 0) {
        nanos[r] = t;
      }
    }
    Stats s = Ame.stats().minus(before);
    Arrays.sort(nanos);
    System.out.println("RESULT workload=" + workload + " mode=" + mode + " workers=" + workers
        + " size=" + size + " nanos=" + nanos[repeat / 2] + " commits=" + s.commits() / repeat
        + " aborts=" + s.aborts() / repeat + " inevitable=" + s.inevitable() / repeat + " check=ok");
  }

  interface Workload {
    Map<Object, Object> run(String mode, int workers);
  }

  /** Runs {@code steps[i]} in order, or as one task each. */
  static void loop(String mode, int workers, Runnable[] steps) {
    if (mode.equals("sequential")) {
      for (Runnable s : steps) {
        s.run();
      }
      return;
    }
    TransactionQueue q = mode.equals("ordered") ? TransactionQueue.ordered() : new TransactionQueue();
    for (Runnable s : steps) {
      q.add(s);
    }
    q.run(workers);
  }

  /** Word count: Zipf-like words (a few very common, most rare), lines of 12 words. */
  static final class WordCount implements Workload {
    final String[] vocabulary = new String[50_000];
    final String[][] lines;
    /** Every word of the vocabulary is in the map (count 0) before the first task. */
    final boolean known;

    WordCount(int words, boolean known) {
      this.known = known;
      Random r = new Random(11);
      for (int i = 0; i < vocabulary.length; i++) {
        vocabulary[i] = "w" + Integer.toString(i * 7919 % 100_003, 36);
      }
      lines = new String[words / 12][12];
      for (String[] line : lines) {
        for (int j = 0; j < line.length; j++) {
          double u = r.nextDouble();
          line[j] = vocabulary[(int) (vocabulary.length * u * u * u)]; // skewed towards 0
        }
      }
    }

    @Override
    public Map<Object, Object> run(String mode, int workers) {
      Map<String, Integer> counts = new HashMap<>();
      if (known) {
        for (String word : vocabulary) {
          counts.put(word, 0);
        }
      }
      Runnable[] steps = new Runnable[lines.length];
      for (int i = 0; i < lines.length; i++) {
        String[] line = lines[i];
        steps[i] = () -> {
          for (String word : line) {
            counts.merge(word, 1, Integer::sum);
          }
        };
      }
      loop(mode, workers, steps);
      return new HashMap<>(counts);
    }
  }

  /** A memo cache of Collatz stopping times, queried with repeats (hit rate about 60 %). */
  static final class Cache implements Workload {
    final long[] queries;

    Cache(int n) {
      Random r = new Random(5);
      queries = new long[n];
      for (int i = 0; i < n; i++) {
        queries[i] = 1 + r.nextInt(n / 2);
      }
    }

    static int stoppingTime(long x) {
      int steps = 0;
      while (x != 1) {
        x = (x & 1) == 0 ? x >>> 1 : 3 * x + 1;
        steps++;
      }
      return steps;
    }

    @Override
    public Map<Object, Object> run(String mode, int workers) {
      Map<Long, Integer> cache = new HashMap<>();
      Runnable[] steps = new Runnable[queries.length];
      for (int i = 0; i < queries.length; i++) {
        long q = queries[i];
        steps[i] = () -> {
          Integer t = cache.get(q);
          if (t == null) {
            cache.put(q, stoppingTime(q));
          }
        };
      }
      loop(mode, workers, steps);
      return new HashMap<>(cache);
    }
  }
}
