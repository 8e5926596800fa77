package org.ame4jtest.agenttest;

import java.util.concurrent.atomic.AtomicBoolean;
import org.ame4j.Ame;

/**
 * Element loads in loops, which the agent gives hoisted checks: a written {@code long[]} whose
 * elements sum to 0 in every committed state (a writer moves {@code k} from one element to
 * another with a pause between the halves; readers sum every element in one loop in read-only
 * transactions), a read-only array and a fresh one read in loops, and a load outside any loop.
 */
public class ArrayLoops {
  final long[] cells;

  ArrayLoops(int n) {
    cells = new long[n];
  }

  long sum() {
    long s = 0;
    for (int i = 0; i < cells.length; i++) {
      s += cells[i];
    }
    return s;
  }

  long first() {
    return cells[0];
  }

  void move(int from, int to, long k) {
    cells[from] -= k;
    if (Snapshot.pause(k) == 0) { // never: keeps the first half written and the second not yet
      cells[from] = 0;
    }
    cells[to] += k;
  }

  static long total(long[] a) {
    long s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i];
    }
    return s;
  }

  /** The sum of {@code 0 .. n-1} through an array this transaction allocates and reads in a loop. */
  static long freshTotal(int n) {
    long[] f = new long[n];
    for (int i = 0; i < n; i++) {
      f[i] = i;
    }
    return total(f);
  }

  public static ArrayLoops create(int n) {
    return new ArrayLoops(n);
  }

  /** Runs {@code n} moves between the first and the last element, alternating direction. */
  public static void moveMany(ArrayLoops a, int n) {
    int last = a.cells.length - 1;
    for (int i = 1; i <= n; i++) {
      long k = i;
      boolean up = (i & 1) == 0;
      Ame.atomic(() -> a.move(up ? 0 : last, up ? last : 0, k));
    }
  }

  /** Read-only transactions until {@code done}: {committed sums, sums that were not 0}. */
  public static long[] checkUntil(ArrayLoops a, AtomicBoolean done) {
    long reads = 0;
    long broken = 0;
    while (!done.get()) {
      for (int i = 0; i < 1_000; i++) {
        if (Ame.atomic(a::sum) != 0) {
          broken++;
        }
      }
      reads += 1_000;
    }
    return new long[] {reads, broken};
  }

  public static long sumOf(ArrayLoops a) {
    return Ame.atomic(a::sum);
  }

  public static long firstOf(ArrayLoops a) {
    return Ame.atomic(a::first);
  }

  public static long totalOf(long[] a) {
    return Ame.atomic(() -> total(a));
  }

  public static long freshTotalOf(int n) {
    return Ame.atomic(() -> freshTotal(n));
  }
}
