package org.ame4j.bench;

import java.util.Arrays;
import java.util.Locale;
import org.ame4j.LongRef;
import org.ame4j.TransactionQueue;

/**
 * Bank scaling, 2 workers against 1, measured so that a noisy shared machine cannot bias it:
 * one JVM, the same accounts and transfer tasks, and runs with 1 and 2 workers <em>alternating</em>
 * (1, 2, 1, 2, …), so a slow phase of the host hits both sides alike. Reports the median time of
 * each side and the median of the per-pair ratios. (JMH's single-shot bank in {@link BankBench}
 * runs each worker count in its own fork, minutes apart: on a host whose speed drifts by 2×, as
 * this one does, that pairs a fast phase with a slow one.)
 *
 * <p>Run: {@code java -cp ame4j-bench/target/benchmarks.jar org.ame4j.bench.BankScaling
 * [accounts] [transfers] [pairs]} (defaults 1,000,000 / 2,000,000 / 15, after 5 warm-up pairs).
 * The total is audited after every run.
 */
public final class BankScaling {
  private BankScaling() {}

  public static void main(String[] args) {
    int accounts = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int transfers = args.length > 1 ? Integer.parseInt(args[1]) : 2_000_000;
    int pairs = args.length > 2 ? Integer.parseInt(args[2]) : 15;
    int warmup = 5;
    BankWorkload w = new BankWorkload();
    w.accounts = accounts;
    w.transfers = transfers;
    w.seed = 42;
    w.generate();
    LongRef[] acc = new LongRef[accounts];
    for (int i = 0; i < accounts; i++) {
      acc[i] = new LongRef(BankWorkload.INITIAL);
    }
    Runnable[] tasks = new Runnable[transfers];
    for (int t = 0; t < transfers; t++) {
      LongRef a = acc[w.from[t]];
      LongRef b = acc[w.to[t]];
      long amount = w.amount[t];
      tasks[t] = () -> {
        a.set(a.get() - amount);
        b.set(b.get() + amount);
      };
    }
    double[] one = new double[pairs];
    double[] two = new double[pairs];
    double[] ratio = new double[pairs];
    for (int p = -warmup; p < pairs; p++) {
      double t1 = run(tasks, 1, acc, w);
      double t2 = run(tasks, 2, acc, w);
      if (p >= 0) {
        one[p] = t1;
        two[p] = t2;
        ratio[p] = t1 / t2;
        System.out.printf(Locale.ROOT, "pair %2d: 1 worker %7.1f ms, 2 workers %7.1f ms, %.2fx%n",
            p, t1, t2, t1 / t2);
      }
    }
    System.out.printf(Locale.ROOT,
        "bank %,d accounts, %,d transfers, %d pairs: 1 worker median %.1f ms (%.2f M/s),"
            + " 2 workers median %.1f ms (%.2f M/s), 2 vs 1: median of pair ratios %.2fx"
            + " (range %.2f-%.2f)%n",
        accounts, transfers, pairs, median(one), transfers / median(one) / 1e3, median(two),
        transfers / median(two) / 1e3, median(ratio), min(ratio), max(ratio));
  }

  private static double run(Runnable[] tasks, int workers, LongRef[] acc, BankWorkload w) {
    TransactionQueue q = new TransactionQueue();
    for (Runnable t : tasks) {
      q.add(t);
    }
    System.gc();
    long start = System.nanoTime();
    q.run(workers);
    double ms = (System.nanoTime() - start) / 1e6;
    long total = 0;
    for (LongRef a : acc) {
      total += a.get();
    }
    w.check("ame4j queue, " + workers + " workers", total);
    return ms;
  }

  private static double median(double[] x) {
    double[] s = x.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static double min(double[] x) {
    return Arrays.stream(x).min().orElse(Double.NaN);
  }

  private static double max(double[] x) {
    return Arrays.stream(x).max().orElse(Double.NaN);
  }
}
