package org.ame4j.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Whether a locked compare-and-set exposes the cache misses of the loads before it (issue 14,
 * session 11: components' element reads and writes cost twice together what they cost apart).
 * No ame4j code: groups of four loads at random indexes of a 16 MiB {@code int[]} (the
 * program's own misses, which out-of-order execution overlaps), with after each load nothing,
 * a plain store, or a compare-and-set of an unshared word that stays in L1 (an element lock).
 * x86 orders every earlier load before a locked instruction, so if the misses stop overlapping,
 * {@code loads+cas} costs about four full miss latencies instead of {@code loads + cas}.
 *
 * <p>Rows, thread CPU ns per group of four, median of the rounds: {@code loads}, {@code
 * loads+store}, {@code cas} (the four compare-and-sets alone), {@code loads+cas}.
 *
 * <pre>
 *   java -cp ame4j-bench/target/classes org.ame4j.bench.MissOverlap [ROUNDS]
 * </pre>
 *
 * Not a timed test: compare the rows of one run, never against a threshold.
 */
public final class MissOverlap {
  private static final String[] ROWS = {"loads", "loads+store", "cas", "loads+cas"};
  private static final VarHandle WORDS = MethodHandles.arrayElementVarHandle(long[].class);
  private static final int[] data = new int[1 << 22];
  private static final int[] indexes = new int[1 << 22];
  private static final long[] words = new long[32]; // four words a cache line apart
  private static long sink;

  private MissOverlap() {}

  private static long run(int row, int groups) {
    long sum = 0;
    int mask = indexes.length - 1;
    for (int g = 0, p = 0; g < groups; g++) {
      for (int j = 0; j < 4; j++, p = (p + 1) & mask) {
        if (row != 2) {
          sum += data[indexes[p]];
        }
        if (row == 1) {
          words[j * 8] = sum;
        } else if (row >= 2) {
          long w = (long) WORDS.getVolatile(words, j * 8);
          WORDS.compareAndSet(words, j * 8, w, w + 1);
        }
      }
    }
    return sum;
  }

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 9;
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < indexes.length; i++) {
      indexes[i] = random.nextInt(data.length);
    }
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    int groups = 1 << 20;
    double[][] samples = new double[ROWS.length][rounds];
    for (int r = -3; r < rounds; r++) {
      for (int row = 0; row < ROWS.length; row++) {
        long c0 = mx.getCurrentThreadCpuTime();
        sink += run(row, groups);
        long c1 = mx.getCurrentThreadCpuTime();
        if (r >= 0) {
          samples[row][r] = (c1 - c0) / (double) groups;
        }
      }
    }
    StringBuilder out = new StringBuilder("ns per group of four loads (median of " + rounds + "):");
    for (int row = 0; row < ROWS.length; row++) {
      Arrays.sort(samples[row]);
      out.append(String.format(Locale.ROOT, " %s=%.1f", ROWS[row], samples[row][rounds / 2]));
    }
    System.out.println(out + (sink == 42 ? " " : ""));
  }
}
