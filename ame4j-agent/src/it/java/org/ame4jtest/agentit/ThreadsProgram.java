package org.ame4jtest.agentit;

import java.util.concurrent.CyclicBarrier;
import org.ame4j.Ame;

/**
 * A program that starts its own threads (no queue) and marks its atomic sections with
 * annotations: Deuce's {@code @org.deuce.Atomic} (recognised by default) and a project's own
 * {@link MyAtomic} (recognised only when named with the agent's {@code annotations} option).
 * Prints the totals; without the annotations taking effect the plain counters lose updates.
 */
public final class ThreadsProgram {
  static long deuce;
  static long mine;
  static long[] cells = new long[4];

  @org.deuce.Atomic
  static void deuceIncrement(int i) {
    long v = deuce;
    cells[i & 3]++;
    spin();
    deuce = v + 1;
  }

  @MyAtomic
  static void myIncrement() {
    long v = mine;
    // A window the JIT cannot fold away (a clock, not arithmetic): racing plain threads lose
    // updates here for sure; inside a transaction the clock call makes it inevitable.
    long t = System.nanoTime();
    while (System.nanoTime() - t < 1_000) {
      Thread.onSpinWait();
    }
    mine = v + 1;
  }

  static void spin() {
    long x = deuce;
    for (int k = 0; k < 200; k++) {
      x = x * 6364136223846793005L + 1442695040888963407L;
    }
    if (x == 42) {
      throw new AssertionError();
    }
  }

  public static void main(String[] args) throws Exception {
    int threads = 4;
    int ops = Integer.parseInt(args.length > 0 ? args[0] : "5000");
    CyclicBarrier start = new CyclicBarrier(threads);
    Thread[] ts = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      ts[t] = new Thread(() -> {
        try {
          start.await();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        for (int i = 0; i < ops; i++) {
          deuceIncrement(i);
        }
        try {
          start.await(); // the second phase races on `mine` alone
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        for (int i = 0; i < ops; i++) {
          myIncrement();
        }
      });
      ts[t].start();
    }
    for (Thread t : ts) {
      t.join();
    }
    long sum = cells[0] + cells[1] + cells[2] + cells[3];
    System.out.println("deuce: " + deuce + " of " + (long) threads * ops + ", cells " + sum);
    System.out.println("mine: " + mine + " of " + (long) threads * ops);
    System.out.println("aborts happened: " + (Ame.stats().aborts() > 0));
  }
}
