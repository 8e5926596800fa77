package org.ame4j.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import org.ame4j.Ame;

/**
 * The measuring loop shared by the per-operation cost benchmarks ({@link ElementWriteCost},
 * {@link ElementReadCost}): options {@code --transactions N --rounds R --warmup W}, and per row
 * the median over the rounds of the thread CPU time of one {@code Ame.atomic} transaction, rows
 * alternated within every round so that they share the minutes.
 */
final class CostRounds {
  private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

  /** A row's body: runs transaction number {@code p} of row {@code row} (inside the transaction). */
  interface Body {
    void run(int row, int p);
  }

  final int transactions;
  final int rounds;
  final int warmup;

  private CostRounds(int transactions, int rounds, int warmup) {
    this.transactions = transactions;
    this.rounds = rounds;
    this.warmup = warmup;
  }

  /** Parses the options of {@code program} (1,000,000 transactions, 9 rounds, 3 warm-up by default). */
  static CostRounds parse(String program, String[] args) {
    int n = 1_000_000;
    int rounds = 9;
    int warmup = 3;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--transactions" -> n = Integer.parseInt(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("usage: " + program + " [--transactions N]"
            + " [--rounds R] [--warmup W]; unknown option " + args[i]);
      }
    }
    return new CostRounds(n, rounds, warmup);
  }

  /** The median ns per transaction of each of {@code rows} rows. */
  double[] medians(int rows, Body body) {
    double[][] samples = new double[rows][rounds];
    for (int r = -warmup; r < rounds; r++) {
      for (int v = 0; v < rows; v++) {
        int row = v;
        long c0 = MX.getCurrentThreadCpuTime();
        for (int p = 0; p < transactions; p++) {
          int q = p;
          Ame.atomic(() -> body.run(row, q));
        }
        if (r >= 0) {
          samples[v][r] = (double) (MX.getCurrentThreadCpuTime() - c0) / transactions;
        }
      }
    }
    double[] median = new double[rows];
    for (int v = 0; v < rows; v++) {
      double[] s = samples[v].clone();
      Arrays.sort(s);
      median[v] = s[s.length / 2];
    }
    return median;
  }

  /** "name=median " per row, one decimal: the start of a benchmark's output line. */
  static StringBuilder rows(String[] names, double[] median) {
    StringBuilder out = new StringBuilder();
    for (int v = 0; v < names.length; v++) {
      out.append(String.format(Locale.ROOT, "%s=%.1f ", names[v], median[v]));
    }
    return out;
  }
}
