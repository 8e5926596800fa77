package org.ame4j.bench;

import java.util.Locale;
import java.util.SplittableRandom;
import org.ame4j.Ame;
import org.ame4j.internal.engine.FieldBarriers;
import org.ame4j.internal.engine.FieldWrites;
import org.ame4j.internal.engine.Txn;

/**
 * What one checked element read costs inside a transaction (issue 14, session 10: sssp's {@code
 * dist[v]} and components' {@code label[v]}, reads of arrays that tasks write), without the agent:
 * each body calls the entry points the agent's twins call around an {@code iaload}
 * ({@link FieldBarriers#beforeReadElement}, {@link FieldBarriers#afterReadElement}) inside
 * {@code Ame.atomic} on the main thread.
 *
 * <p>Rows, ns per transaction of eight reads (thread CPU, median of the rounds): {@code empty}
 * (begin and commit), {@code hot} (a written {@code int[1024]}: data and records in L1),
 * {@code spread} (a written {@code int[2^18]}: 1 MiB of data, 256 KiB of records, random indexes:
 * sssp's pattern), {@code plainSpread} (the same loads with no barrier: the data misses alone),
 * {@code readOnly} (a read-only {@code int[2^18]}, random indexes, unchecked). Per checked read:
 * {@code (hot - empty) / 8} is the barrier's path, {@code (spread - plainSpread - hot + empty) / 8}
 * what the record misses add. Run it with different {@code -Dame4j.*} switches, alternated JVM by
 * JVM, to compare engine paths.
 *
 * <pre>
 *   java [-Dame4j.X=...] -cp ame4j-bench/target/classes:ame4j-core/target/classes \
 *       org.ame4j.bench.ElementReadCost [--transactions N] [--rounds R] [--warmup W]
 * </pre>
 *
 * Not a timed test: compare variants measured in the same minutes, never against a threshold.
 */
public final class ElementReadCost {
  private static final String[] ROWS = {"empty", "hot", "spread", "plainSpread", "readOnly"};
  private static final int READS = 8;

  private static final int[] small = new int[1024];
  private static final int[] large = new int[1 << 18];
  private static final int[] readOnly = new int[1 << 18];
  /** Random indexes below 2^18, a fresh run of eight per transaction. */
  private static final int[] indexes = new int[1 << 20];
  private static long sink;

  private ElementReadCost() {}

  private static void body(int variant, int p) {
    Txn tx = Txn.current();
    int base = (p * READS) & (indexes.length - 1);
    long sum = 0;
    switch (variant) {
      case 1 -> {
        for (int j = 0; j < READS; j++) {
          sum += read(small, indexes[base + j] & (small.length - 1), tx);
        }
      }
      case 2 -> {
        for (int j = 0; j < READS; j++) {
          sum += read(large, indexes[base + j], tx);
        }
      }
      case 3 -> {
        for (int j = 0; j < READS; j++) {
          sum += large[indexes[base + j]];
        }
      }
      case 4 -> {
        for (int j = 0; j < READS; j++) {
          sum += read(readOnly, indexes[base + j], tx);
        }
      }
      default -> { }
    }
    sink += sum;
  }

  /** A checked {@code a[i]} as a twin performs it. */
  private static int read(int[] a, int i, Txn tx) {
    FieldBarriers.beforeReadElement(a, i, tx);
    int v = a[i];
    FieldBarriers.afterReadElement(tx);
    return v;
  }

  public static void main(String[] args) {
    CostRounds rounds = CostRounds.parse("ElementReadCost", args);
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < indexes.length; i++) {
      indexes[i] = random.nextInt(large.length);
    }
    Ame.atomic(() -> { // turn both checked arrays written (their stripes get element words)
      Txn tx = Txn.current();
      FieldWrites.writeElement(small, 0, 1, tx);
      FieldWrites.writeElement(large, 0, 1, tx);
    });
    double[] median = rounds.medians(ROWS.length, ElementReadCost::body);
    StringBuilder out = CostRounds.rows(ROWS, median);
    out.append(String.format(Locale.ROOT, "perRead=%.2f recordMisses=%.2f sink=%d",
        (median[1] - median[0]) / READS,
        (median[2] - median[3] - median[1] + median[0]) / READS, sink & 1));
    System.out.println(out.toString().trim());
  }
}
