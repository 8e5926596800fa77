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

  /** A field add whose operand may throw: a null holder throws first (JLS 15.26.2). */
  public static void addToOwnOf(Tally t, int from) {
    t.own += shared.longs[from];
  }

  /** An operand that aliases the target: the element doubles. */
  public static void doubleInPlace(int i) {
    Tally t = shared;
    t.sums[i] += t.sums[i];
  }

  /** One add into each of {@code sums[0..3]}: a reader must see all four or none. */
  public static void addToRow(double d) {
    Tally t = shared;
    for (int j = 0; j < 4; j++) {
      t.sums[j] += d;
    }
  }

  /** The largest difference between two of {@code sums[0..3]}, read in one transaction. */
  public static double rowSpread() {
    Tally t = shared;
    double lo = t.sums[0];
    double hi = lo;
    for (int j = 1; j < 4; j++) {
      double v = t.sums[j];
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    return hi - lo;
  }

  /** A blind add, then a plain store of the same element: the store wins. */
  public static void addThenSet(int k, int value) {
    Tally t = shared;
    t.counts[0] += k;
    t.counts[0] = value;
  }

  /** A read of the element, then an add, in a loop: the site's check of the array is hoisted. */
  public static int readThenAdd(int n) {
    Tally t = shared;
    int seen = 0;
    for (int r = 0; r < n; r++) {
      seen += t.counts[2];
      t.counts[2] += 1;
    }
    return seen;
  }

  public static int count(int i) {
    return shared.counts[i];
  }

  public static double sum(int i) {
    return shared.sums[i];
  }

  public static void setSum(int i, double v) {
    shared.sums[i] = v;
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
