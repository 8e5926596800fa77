package org.ame4j.bench;

import clojure.lang.LockingTransaction;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.ame4j.Ame;
import org.ame4j.IntRef;
import org.multiverse.api.StmUtils;
import org.multiverse.api.callables.TxnIntCallable;
import org.multiverse.api.callables.TxnVoidCallable;
import org.multiverse.api.references.TxnInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import scala.concurrent.stm.Ref;
import scala.concurrent.stm.japi.STM;

/**
 * The cost of one small transaction, single thread, no contention: the fixed overhead an STM adds
 * around a few accesses (begin, read-set and write-set bookkeeping, commit).
 *
 * <p>Two shapes, each in every system measured in the same JVM fork:
 *
 * <ul>
 *   <li>{@code rw_*}: read {@code a}, read {@code b}, write {@code a}, write {@code b} (2 reads + 2
 *       writes, the "small transaction");
 *   <li>{@code ro_*}: read {@code a}, read {@code b}, return the sum (read-only; STMs that detect
 *       read-only commits skip the clock and locking).
 * </ul>
 *
 * <p>Fairness rules:
 *
 * <ul>
 *   <li>Every transaction body is a lambda built once in {@link #setup()}, so no system pays for
 *       a capturing-lambda allocation per call that another avoids.
 *   <li>Values stay in 0..63 ({@code & MASK}): peers that store boxed {@code Integer}s (ScalaSTM's
 *       Java API, Clojure refs) hit the {@code Integer} cache and never allocate for boxing.
 *   <li>Each peer is used through its documented Java entry point: ScalaSTM {@code japi.STM}
 *       (its Scala API with an implicit {@code InTxn} may be faster), Multiverse
 *       {@code StmUtils.atomic} with the transaction passed explicitly to {@code get/set},
 *       Clojure {@code LockingTransaction.runInTransaction}.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class SmallTxBench {
  private static final int MASK = 63;

  // --- baselines: plain fields ---
  private int pa = 1;
  private int pb = 2;
  private final Object lock = new Object();

  // --- ame4j ---
  private IntRef ameA;
  private IntRef ameB;
  private Runnable ameRw;
  private Supplier<Integer> ameRo;

  // --- ScalaSTM (Java API) ---
  private Ref.View<Integer> scalaA;
  private Ref.View<Integer> scalaB;
  private Runnable scalaRw;
  private Callable<Integer> scalaRo;

  // --- Multiverse 0.7 ---
  private TxnInteger mvA;
  private TxnInteger mvB;
  private TxnVoidCallable mvRw;
  private TxnIntCallable mvRo;

  // --- Clojure refs ---
  private clojure.lang.Ref cljA;
  private clojure.lang.Ref cljB;
  private Callable<Object> cljRw;
  private Callable<Object> cljRo;

  @Setup
  public void setup() {
    ameA = new IntRef(1);
    ameB = new IntRef(2);
    ameRw =
        () -> {
          int x = ameA.get();
          int y = ameB.get();
          ameA.set((y + 1) & MASK);
          ameB.set((x + 1) & MASK);
        };
    ameRo = () -> ameA.get() + ameB.get();

    scalaA = STM.newRef(1);
    scalaB = STM.newRef(2);
    scalaRw =
        () -> {
          int x = scalaA.get();
          int y = scalaB.get();
          scalaA.set((y + 1) & MASK);
          scalaB.set((x + 1) & MASK);
        };
    scalaRo = () -> scalaA.get() + scalaB.get();

    mvA = StmUtils.newTxnInteger(1);
    mvB = StmUtils.newTxnInteger(2);
    mvRw =
        txn -> {
          int x = mvA.get(txn);
          int y = mvB.get(txn);
          mvA.set(txn, (y + 1) & MASK);
          mvB.set(txn, (x + 1) & MASK);
        };
    mvRo = txn -> mvA.get(txn) + mvB.get(txn);

    cljA = new clojure.lang.Ref(1);
    cljB = new clojure.lang.Ref(2);
    cljRw =
        () -> {
          int x = (Integer) cljA.deref();
          int y = (Integer) cljB.deref();
          cljA.set((y + 1) & MASK);
          cljB.set((x + 1) & MASK);
          return null;
        };
    cljRo = () -> (Integer) cljA.deref() + (Integer) cljB.deref();
  }

  // ---------------------------------------------------------------- 2 reads + 2 writes

  /** No synchronisation at all: the floor (the JIT may keep the fields in registers). */
  @Benchmark
  public int rw_plain() {
    int x = pa;
    int y = pb;
    pa = (y + 1) & MASK;
    pb = (x + 1) & MASK;
    return pb;
  }

  /** One uncontended monitor around plain fields (biased locking is gone since JDK 15/18). */
  @Benchmark
  public int rw_synchronized() {
    synchronized (lock) {
      int x = pa;
      int y = pb;
      pa = (y + 1) & MASK;
      pb = (x + 1) & MASK;
      return pb;
    }
  }

  @Benchmark
  public void rw_ame4j() {
    Ame.atomic(ameRw);
  }

  @Benchmark
  public void rw_scalaStm() {
    STM.atomic(scalaRw);
  }

  @Benchmark
  public void rw_multiverse() {
    StmUtils.atomic(mvRw);
  }

  @Benchmark
  public Object rw_clojure() throws Exception {
    return LockingTransaction.runInTransaction(cljRw);
  }

  // ---------------------------------------------------------------- 2 reads, read-only

  @Benchmark
  public int ro_plain() {
    return pa + pb;
  }

  @Benchmark
  public int ro_synchronized() {
    synchronized (lock) {
      return pa + pb;
    }
  }

  @Benchmark
  public Integer ro_ame4j() {
    return Ame.atomic(ameRo);
  }

  @Benchmark
  public Integer ro_scalaStm() {
    return STM.atomic(scalaRo);
  }

  @Benchmark
  public int ro_multiverse() {
    return StmUtils.atomic(mvRo);
  }

  @Benchmark
  public Object ro_clojure() throws Exception {
    return LockingTransaction.runInTransaction(cljRo);
  }
}
