package org.ame4j.bench;

import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The bank workload shared by {@link BankBench} and {@link BankBaselineBench}: {@code accounts}
 * accounts holding {@link #INITIAL} each, and {@code transfers} seeded random transfers
 * (from != to, amount 1..100), identical for every system measured.
 *
 * <p>A transfer always moves the money (balances may go negative): every transfer is exactly 2
 * reads + 2 writes, so the work does not depend on the order in which tasks commit, and the total
 * is conserved whatever that order. {@link #check} verifies it after every run.
 */
@State(Scope.Benchmark)
public class BankWorkload {
  /** Opening balance of every account. */
  public static final long INITIAL = 1_000;

  @Param("1000000")
  public int accounts;

  @Param("2000000")
  public int transfers;

  @Param("42")
  public long seed;

  public int[] from;
  public int[] to;
  public int[] amount;

  @Setup(Level.Trial)
  public void generate() {
    SplittableRandom rnd = new SplittableRandom(seed);
    from = new int[transfers];
    to = new int[transfers];
    amount = new int[transfers];
    for (int i = 0; i < transfers; i++) {
      int f = rnd.nextInt(accounts);
      int t = rnd.nextInt(accounts - 1);
      from[i] = f;
      to[i] = t >= f ? t + 1 : t;
      amount[i] = 1 + rnd.nextInt(100);
    }
  }

  public long expectedTotal() {
    return INITIAL * accounts;
  }

  /** Throws (and so fails the JMH run) if money was created or destroyed. */
  public void check(String system, long total) {
    if (total != expectedTotal()) {
      throw new IllegalStateException(
          system + ": bank total is " + total + ", expected " + expectedTotal() + " (lost update)");
    }
  }
}
