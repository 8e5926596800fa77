package org.ame4jtest.agenttest;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import org.deuce.Atomic;

/**
 * A program in Deuce STM's style: its own threads, a CyclicBarrier and Thread.join outside
 * transactions, and atomic methods over plain fields, an array and a java.util map.
 */
public class DeuceBank {
  final long[] accounts;
  long transfers;
  long brokenAudits;
  final Map<Integer, Integer> histogram = new HashMap<>();

  public DeuceBank(int n, long initial) {
    accounts = new long[n];
    java.util.Arrays.fill(accounts, initial);
  }

  @Atomic
  public boolean transfer(int from, int to, long amount) {
    if (accounts[from] < amount) {
      return false;
    }
    accounts[from] -= amount;
    accounts[to] += amount;
    transfers++;
    return true;
  }

  @Atomic
  public long total() {
    long s = 0;
    for (long a : accounts) {
      s += a;
    }
    return s;
  }

  @Atomic
  void auditFailed() {
    brokenAudits++;
  }

  @Atomic
  void record(int bucket) {
    histogram.merge(bucket, 1, Integer::sum); // a java.util map: inevitable until the JDK patch
  }

  /** Returns {total, transfers, broken audits, histogram sum}. */
  public static long[] run(int threads, int n, int opsPerThread, long seed) throws Exception {
    DeuceBank bank = new DeuceBank(n, 1_000);
    long expected = n * 1_000L;
    CyclicBarrier start = new CyclicBarrier(threads);
    Thread[] workers = new Thread[threads];
    Throwable[] failure = new Throwable[1];
    for (int t = 0; t < threads; t++) {
      SplittableRandom r = new SplittableRandom(seed + t);
      workers[t] = new Thread(() -> {
        try {
          start.await();
          for (int i = 0; i < opsPerThread; i++) {
            bank.transfer(r.nextInt(n), r.nextInt(n), 1 + r.nextInt(50));
            if (i % 64 == 0) {
              if (bank.total() != expected) {
                bank.auditFailed();
              }
              bank.record(i % 10);
            }
          }
        } catch (Throwable e) {
          synchronized (failure) {
            failure[0] = e;
          }
        }
      }, "deuce-" + t);
      workers[t].start();
    }
    for (Thread w : workers) {
      w.join();
    }
    if (failure[0] != null) {
      throw new AssertionError("worker failed", failure[0]);
    }
    long histogramSum = 0;
    for (int v : bank.histogram.values()) {
      histogramSum += v;
    }
    return new long[] {bank.total(), bank.transfers, bank.brokenAudits, histogramSum};
  }
}
