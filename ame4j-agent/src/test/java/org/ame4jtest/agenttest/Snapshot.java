package org.ame4jtest.agenttest;

import java.util.concurrent.atomic.AtomicBoolean;
import org.ame4j.Ame;

/**
 * Two plain fields with the invariant {@code x + y == 0} in every committed state: the writer
 * moves {@code k} from one to the other with a pause between the two halves, readers check the
 * invariant in read-only transactions (opacity of plain-field reads under the agent).
 */
public class Snapshot {
  long x;
  long y;

  void shift(long k) {
    x = x + k;
    if (pause(k) == 0) { // never: the pause only keeps x written and y not yet
      x = 0;
    }
    y = y - k;
  }

  boolean consistent() {
    long a = x;
    long b = y;
    return a + b == 0;
  }

  long sum() {
    return x + y;
  }

  static long pause(long seed) {
    long s = seed | 1;
    for (int i = 0; i < 200; i++) {
      s = s * 6364136223846793005L + 1442695040888963407L;
    }
    return s | 1;
  }

  /** Runs {@code n} writer transactions. */
  public static void shiftMany(Snapshot s, int n) {
    for (int i = 1; i <= n; i++) {
      long k = i;
      Ame.atomic(() -> s.shift(k));
    }
  }

  /** Runs read-only transactions until {@code done}; returns {committed reads, broken ones}. */
  public static long[] checkUntil(Snapshot s, AtomicBoolean done) {
    long reads = 0;
    long broken = 0;
    while (!done.get()) {
      for (int i = 0; i < 1_000; i++) {
        if (!Ame.atomic(s::consistent)) {
          broken++;
        }
      }
      reads += 1_000;
    }
    return new long[] {reads, broken};
  }

  public static Snapshot create() {
    return new Snapshot();
  }

  public static long sumOf(Snapshot s) {
    return s.sum();
  }
}
