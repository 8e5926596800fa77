package org.ame4j.bench;

import java.util.Locale;
import org.ame4j.internal.engine.BlindAdds;
import org.ame4j.internal.engine.FieldWrites;
import org.ame4j.internal.engine.Txn;

/**
 * What one element write costs inside a transaction (issue 14, session 9: k-means' {@code
 * counts[best]++} and {@code sums[best][j] += x}), without the agent: each body calls the entry
 * points the agent's twins call ({@link BlindAdds#addElement}, {@link FieldWrites#writeElement})
 * inside {@code Ame.atomic} on the main thread, on arrays whose stripes are written already.
 *
 * <p>Rows, ns per transaction (thread CPU, median of the rounds): {@code empty} (begin and
 * commit), {@code add1} ({@code counts[b]++}), {@code add2} (two arrays), {@code row4} (four blind
 * adds to one {@code double[4]} row, k-means' sums), {@code write4} (four plain element stores to
 * one row). The cost of a write is {@code (row4 - empty) / 4}. Run it twice with different
 * {@code -Dame4j.*} switches, alternated JVM by JVM, to compare engine paths.
 *
 * <pre>
 *   java [-Dame4j.elementWrites.compact=false] \
 *       -cp ame4j-bench/target/classes:ame4j-core/target/classes org.ame4j.bench.ElementWriteCost \
 *       [--transactions N] [--rounds R] [--warmup W]
 * </pre>
 *
 * Not a timed test: compare variants measured in the same minutes, never against a threshold.
 */
public final class ElementWriteCost {
  private static final String[] ROWS = {"empty", "add1", "add2", "row4", "write4"};

  private static final int[] counts = new int[8];
  private static final int[] other = new int[8];
  private static final double[] row = new double[4];

  private ElementWriteCost() {}

  private static void body(int variant, int p) {
    Txn tx = Txn.current();
    int b = p & 7;
    switch (variant) {
      case 1 -> BlindAdds.addElement(counts, b, 1, tx);
      case 2 -> {
        BlindAdds.addElement(counts, b, 1, tx);
        BlindAdds.addElement(other, b, 1, tx);
      }
      case 3 -> {
        for (int j = 0; j < row.length; j++) {
          BlindAdds.addElement(row, j, 1.0, tx);
        }
      }
      case 4 -> {
        for (int j = 0; j < row.length; j++) {
          FieldWrites.writeElement(row, j, p, tx);
        }
      }
      default -> { }
    }
  }

  public static void main(String[] args) {
    double[] median = CostRounds.parse("ElementWriteCost", args)
        .medians(ROWS.length, ElementWriteCost::body);
    if (counts[0] == 0 || row[0] == 0) {
      throw new AssertionError("the bodies did not run");
    }
    StringBuilder out = CostRounds.rows(ROWS, median);
    out.append(String.format(Locale.ROOT, "perWrite=%.1f", (median[3] - median[0]) / 4));
    System.out.println(out.toString().trim());
  }
}
