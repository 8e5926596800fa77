package org.ame4jtest.agenttest;

/** Counters and sums updated blindly ({@code x += d}) from many tasks. */
public class Tally {
  public static int hits;
  public static long total;
  public static double mass;
  public long own;
  public float weight;
  public final int[] counts = new int[4];
  public final long[] longs = new long[4];
  public final double[] sums = new double[4];
  /**
   * Read-only inputs of {@link #accumulate}: small integers, so any order of adds is exact. Only
   * indexes 4 to 7 are read: never a word of the written arrays' indexes 0 to 3, even if the
   * arrays share a stripe (a read of it could then conflict with their writes).
   */
  public final double[] inputs = {0, 0, 0, 0, 1, 2, 3, 4};
  static Tally shared = new Tally();

  public static void bump(int k) {
    hits++;
    total += k;
    mass += k * 0.1;
    Tally t = shared;
    t.own -= k;
    t.weight += 0.5f;
    t.counts[k & 3]++;
    t.longs[k & 3] -= 2L * k;
    t.sums[k & 3] += k / 3.0;
  }

  public static void bumpThenFail(int k) {
    bump(k);
    throw new IllegalStateException("refused " + k);
  }

  /** Reads what it just added: the transaction must see its own pending delta. */
  public static long bumpAndRead(int k) {
    hits++;
    total += k;
    shared.counts[0] += k;
    return total + hits + shared.counts[0];
  }

  /** K-means' accumulation: blind adds whose operand reads another array's element. */
  public static void accumulate(int k, int target) {
    Tally t = shared;
    int i = 4 + (k & 3);
    t.sums[target] += t.inputs[i];
    t.counts[target]++;
  }

  /** An add whose operand may throw: the target's own checks come first. */
  public static void addAt(int target, int from) {
    Tally t = shared;
    t.sums[target] += t.inputs[from];
  }

  /** An operand that aliases the target: the element doubles. */
  public static void doubleInPlace(int i) {
    Tally t = shared;
    t.sums[i] += t.sums[i];
  }

  public static int hitsPostfix() {
    return hits++; // uses the old value: ordinary barriers
  }

  public static int hits() {
    return hits;
  }

  public static String snapshot() {
    Tally t = shared;
    return hits + "," + total + "," + Double.doubleToRawLongBits(mass) + "," + t.own + ","
        + Float.floatToRawIntBits(t.weight) + "," + java.util.Arrays.toString(t.counts) + ","
        + java.util.Arrays.toString(t.longs) + "," + java.util.Arrays.toString(t.sums);
  }

  public static String integers() {
    Tally t = shared;
    return hits + "," + total + "," + t.own + "," + java.util.Arrays.toString(t.counts) + ","
        + java.util.Arrays.toString(t.longs);
  }

  public static void reset() {
    hits = 0;
    total = 0;
    mass = 0;
    shared = new Tally();
  }
}
