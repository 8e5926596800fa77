package org.ame4j.bench;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The sequential program {@link BankBench} parallelises: the same transfers applied to a plain
 * {@code long[]} in one loop, no synchronisation. Separate from {@link BankBench} because it has no
 * {@code workers} parameter. Same fork, heap and iteration settings.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 10)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
@State(Scope.Benchmark)
public class BankBaselineBench {
  long[] balance;

  @Setup(Level.Trial)
  public void build(BankWorkload w) {
    balance = new long[w.accounts];
    Arrays.fill(balance, BankWorkload.INITIAL);
  }

  /** A full GC before each timed run, as every state of {@link BankBench} does. */
  @Setup(Level.Invocation)
  public void settle() {
    System.gc();
  }

  @TearDown(Level.Invocation)
  public void audit(BankWorkload w) {
    w.check("sequential", Arrays.stream(balance).sum());
  }

  @Benchmark
  public void sequential(BankWorkload w) {
    int[] from = w.from;
    int[] to = w.to;
    int[] amount = w.amount;
    long[] balance = this.balance;
    for (int i = 0; i < from.length; i++) {
      balance[from[i]] -= amount[i];
      balance[to[i]] += amount[i];
    }
  }
}
