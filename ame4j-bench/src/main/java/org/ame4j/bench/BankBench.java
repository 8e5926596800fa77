package org.ame4j.bench;

import clojure.lang.LockingTransaction;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.ame4j.Ame;
import org.ame4j.LongRef;
import org.ame4j.Stats;
import org.ame4j.TransactionQueue;
import org.multiverse.api.StmUtils;
import org.multiverse.api.callables.TxnVoidCallable;
import org.multiverse.api.references.TxnLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import scala.concurrent.stm.Ref;
import scala.concurrent.stm.japi.STM;

/**
 * Bank, low contention: {@link BankWorkload} (1M accounts, 2M random transfers), each transfer one
 * transaction, on {@code workers} threads. The scaling target is
 * {@code ame4j_queue(workers=2)} at least 1.7x faster than {@code ame4j_queue(workers=1)}.
 *
 * <p>Why JMH in single-shot mode rather than a hand-written timing loop: one invocation is a whole
 * run of 2M transfers (hundreds of milliseconds), so timer overhead is irrelevant; JMH gives every
 * (system, workers) pair its own forked JVM, so the JIT profile of one system never pollutes
 * another; and the raw per-iteration times land in the same JSON as the microbenchmarks, from
 * which the report takes medians (robust to the outliers a shared 2-core machine produces).
 *
 * <p>Each system keeps its accounts in its own state object (JMH creates only the states of the
 * benchmark being run) and its transfers as closures built once per trial, so the timed region is
 * only the transactions. Every invocation ends with a full audit of the total.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 10)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
@State(Scope.Benchmark)
public class BankBench {
  @Param({"1", "2"})
  public int workers;

  // ------------------------------------------------------------------ ame4j, TransactionQueue

  /**
   * Base of every per-system state: a full GC before each timed run, so that garbage left by the
   * previous run or by the setup never turns into a collection inside the timed region.
   */
  public abstract static class Settled {
    @Setup(Level.Invocation)
    public void settle() {
      System.gc();
    }
  }

  /** Accounts as {@link LongRef}s; transfers as prebuilt transaction bodies. */
  @State(Scope.Benchmark)
  public static class AmeState extends Settled {
    LongRef[] accounts;
    Runnable[] tasks;
    long invocations;
    long commits;
    long aborts;

    @Setup(Level.Trial)
    public void build(BankWorkload w) {
      accounts = new LongRef[w.accounts];
      for (int i = 0; i < accounts.length; i++) {
        accounts[i] = new LongRef(BankWorkload.INITIAL);
      }
      tasks = new Runnable[w.transfers];
      LongRef[] acc = accounts;
      for (int i = 0; i < tasks.length; i++) {
        LongRef f = acc[w.from[i]];
        LongRef t = acc[w.to[i]];
        long amount = w.amount[i];
        tasks[i] =
            () -> {
              f.set(f.get() - amount);
              t.set(t.get() + amount);
            };
      }
    }

    @Setup(Level.Invocation)
    public void resetStats() {
      Ame.resetStats();
    }

    @TearDown(Level.Invocation)
    public void audit(BankWorkload w) {
      Stats s = Ame.stats();
      invocations++;
      commits += s.commits();
      aborts += s.aborts();
      w.check("ame4j", Ame.atomic(() -> sum(accounts)));
    }

    @TearDown(Level.Trial)
    public void report() {
      // Picked up by run-benchmarks.sh from the JMH log (stats are not part of JMH's JSON).
      // Includes warm-up runs; the audit transaction adds one commit per run.
      System.out.printf(
          "%n# ame4j-stats runs=%d commits/run=%d aborts/run=%d abort-rate=%.5f%n",
          invocations,
          commits / Math.max(1, invocations),
          aborts / Math.max(1, invocations),
          aborts / (double) Math.max(1, commits + aborts));
    }

    private static long sum(LongRef[] accounts) {
      long total = 0;
      for (LongRef a : accounts) {
        total += a.get();
      }
      return total;
    }
  }

  /** A {@link TransactionQueue} holding every transfer, refilled before each run (not timed). */
  @State(Scope.Benchmark)
  public static class QueueState {
    TransactionQueue queue;

    @Setup(Level.Invocation)
    public void fill(AmeState ame) {
      queue = new TransactionQueue();
      for (Runnable task : ame.tasks) {
        queue.add(task);
      }
      System.gc();
    }

    @TearDown(Level.Invocation)
    public void drained() {
      if (queue.size() != 0) {
        throw new IllegalStateException("ame4j: " + queue.size() + " tasks left in the queue");
      }
    }
  }

  /**
   * The configuration: every transfer is a task of one {@link TransactionQueue}. Two
   * forks, because its 2-vs-1-worker ratio is the target and JIT outcomes vary between JVMs.
   */
  @Benchmark
  @Fork(value = 2, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
  public void ame4j_queue(QueueState q, AmeState s) {
    q.queue.run(workers);
  }

  /** The same transactions through {@code Ame.atomic} on our own threads (no queue). */
  @Benchmark
  public void ame4j_atomic(AmeState s) {
    Runnable[] tasks = s.tasks;
    Parallel.run(
        workers,
        tasks.length,
        (lo, hi) -> {
          for (int i = lo; i < hi; i++) {
            Ame.atomic(tasks[i]);
          }
        });
  }

  // ------------------------------------------------------------------ ScalaSTM

  @State(Scope.Benchmark)
  public static class ScalaStmState extends Settled {
    Ref.View<Long>[] accounts;
    Runnable[] tasks;

    @Setup(Level.Trial)
    @SuppressWarnings({"unchecked", "rawtypes"}) // generic array creation
    public void build(BankWorkload w) {
      accounts = new Ref.View[w.accounts];
      for (int i = 0; i < accounts.length; i++) {
        accounts[i] = STM.newRef(BankWorkload.INITIAL);
      }
      tasks = new Runnable[w.transfers];
      for (int i = 0; i < tasks.length; i++) {
        Ref.View<Long> f = accounts[w.from[i]];
        Ref.View<Long> t = accounts[w.to[i]];
        long amount = w.amount[i];
        tasks[i] =
            () -> {
              f.set(f.get() - amount);
              t.set(t.get() + amount);
            };
      }
    }

    @TearDown(Level.Invocation)
    public void audit(BankWorkload w) {
      long total = 0;
      for (Ref.View<Long> a : accounts) {
        total += a.get();
      }
      w.check("ScalaSTM", total);
    }
  }

  /** About a microsecond per transfer here: fewer runs (still far more than the noise needs). */
  @Benchmark
  @Warmup(iterations = 3)
  @Measurement(iterations = 7)
  public void scalaStm(ScalaStmState s) {
    Runnable[] tasks = s.tasks;
    Parallel.run(
        workers,
        tasks.length,
        (lo, hi) -> {
          for (int i = lo; i < hi; i++) {
            STM.atomic(tasks[i]);
          }
        });
  }

  // ------------------------------------------------------------------ Multiverse

  @State(Scope.Benchmark)
  public static class MultiverseState extends Settled {
    TxnLong[] accounts;
    TxnVoidCallable[] tasks;

    @Setup(Level.Trial)
    public void build(BankWorkload w) {
      accounts = new TxnLong[w.accounts];
      for (int i = 0; i < accounts.length; i++) {
        accounts[i] = StmUtils.newTxnLong(BankWorkload.INITIAL);
      }
      tasks = new TxnVoidCallable[w.transfers];
      for (int i = 0; i < tasks.length; i++) {
        TxnLong f = accounts[w.from[i]];
        TxnLong t = accounts[w.to[i]];
        long amount = w.amount[i];
        tasks[i] =
            txn -> {
              f.set(txn, f.get(txn) - amount);
              t.set(txn, t.get(txn) + amount);
            };
      }
    }

    @TearDown(Level.Invocation)
    public void audit(BankWorkload w) {
      long total = 0;
      for (TxnLong a : accounts) {
        total += a.atomicGet();
      }
      w.check("Multiverse", total);
    }
  }

  @Benchmark
  public void multiverse(MultiverseState s) {
    TxnVoidCallable[] tasks = s.tasks;
    Parallel.run(
        workers,
        tasks.length,
        (lo, hi) -> {
          for (int i = lo; i < hi; i++) {
            StmUtils.atomic(tasks[i]);
          }
        });
  }

  // ------------------------------------------------------------------ Clojure refs

  @State(Scope.Benchmark)
  public static class ClojureState extends Settled {
    clojure.lang.Ref[] accounts;
    Callable<Object>[] tasks;

    @Setup(Level.Trial)
    @SuppressWarnings({"unchecked", "rawtypes"}) // generic array creation
    public void build(BankWorkload w) {
      accounts = new clojure.lang.Ref[w.accounts];
      for (int i = 0; i < accounts.length; i++) {
        accounts[i] = new clojure.lang.Ref(BankWorkload.INITIAL);
      }
      tasks = new Callable[w.transfers];
      for (int i = 0; i < tasks.length; i++) {
        clojure.lang.Ref f = accounts[w.from[i]];
        clojure.lang.Ref t = accounts[w.to[i]];
        long amount = w.amount[i];
        tasks[i] =
            () -> {
              f.set((Long) f.deref() - amount);
              t.set((Long) t.deref() + amount);
              return null;
            };
      }
    }

    @TearDown(Level.Invocation)
    public void audit(BankWorkload w) {
      long total = 0;
      for (clojure.lang.Ref a : accounts) {
        total += (Long) a.deref();
      }
      w.check("Clojure", total);
    }
  }

  /** Clojure's transactions cost microseconds here: fewer runs keep the full suite near 15 min. */
  @Benchmark
  @Warmup(iterations = 1)
  @Measurement(iterations = 4)
  public void clojure(ClojureState s) {
    Callable<Object>[] tasks = s.tasks;
    Parallel.run(
        workers,
        tasks.length,
        (lo, hi) -> {
          try {
            for (int i = lo; i < hi; i++) {
              LockingTransaction.runInTransaction(tasks[i]);
            }
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  // ------------------------------------------------------------------ one global lock

  @State(Scope.Benchmark)
  public static class LockState extends Settled {
    final Object lock = new Object();
    long[] balance;

    @Setup(Level.Trial)
    public void build(BankWorkload w) {
      balance = new long[w.accounts];
      java.util.Arrays.fill(balance, BankWorkload.INITIAL);
    }

    @TearDown(Level.Invocation)
    public void audit(BankWorkload w) {
      long total = 0;
      synchronized (lock) {
        for (long b : balance) {
          total += b;
        }
      }
      w.check("global lock", total);
    }
  }

  /** Every transfer under one shared monitor: correct, and cannot scale. */
  @Benchmark
  public void globalLock(LockState s, BankWorkload w) {
    int[] from = w.from;
    int[] to = w.to;
    int[] amount = w.amount;
    long[] balance = s.balance;
    Object lock = s.lock;
    Parallel.run(
        workers,
        from.length,
        (lo, hi) -> {
          for (int i = lo; i < hi; i++) {
            synchronized (lock) {
              balance[from[i]] -= amount[i];
              balance[to[i]] += amount[i];
            }
          }
        });
  }

  // ------------------------------------------------------------------ hand-written j.u.c.

  @State(Scope.Benchmark)
  public static class AtomicState extends Settled {
    AtomicLongArray balance;

    @Setup(Level.Trial)
    public void build(BankWorkload w) {
      balance = new AtomicLongArray(w.accounts);
      for (int i = 0; i < w.accounts; i++) {
        balance.set(i, BankWorkload.INITIAL);
      }
    }

    @TearDown(Level.Invocation)
    public void audit(BankWorkload w) {
      long total = 0;
      for (int i = 0; i < balance.length(); i++) {
        total += balance.get(i);
      }
      w.check("AtomicLongArray", total);
    }
  }

  /**
   * Two independent atomic adds per transfer. Only correct here because unconditional transfers
   * commute and nobody reads a total mid-run: a transfer is not atomic as a whole. The
   * hand-tuned upper bound, not a replacement for transactions.
   */
  @Benchmark
  public void atomicLongArray(AtomicState s, BankWorkload w) {
    int[] from = w.from;
    int[] to = w.to;
    int[] amount = w.amount;
    AtomicLongArray balance = s.balance;
    Parallel.run(
        workers,
        from.length,
        (lo, hi) -> {
          for (int i = lo; i < hi; i++) {
            balance.getAndAdd(from[i], -amount[i]);
            balance.getAndAdd(to[i], amount[i]);
          }
        });
  }
}
