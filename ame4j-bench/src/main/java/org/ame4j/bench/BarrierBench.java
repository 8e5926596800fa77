package org.ame4j.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import org.ame4j.Ame;
import org.ame4j.IntRef;
import org.ame4j.internal.engine.FieldBarriers;
import org.ame4j.internal.engine.Txn;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one read barrier and one write barrier of the agent-facing interface
 * ({@link FieldBarriers}) inside a running transaction, against a plain field access.
 *
 * <p>Each invocation is one transaction doing {@value #N} accesses to the {@code int} field of
 * {@value #N} distinct objects, called exactly as generated code will call them
 * ({@code beforeRead; getfield; afterRead} and {@code writeInt} with a constant {@link VarHandle}
 * and {@code name.hashCode()} as field id); JMH divides by {@value #N}. The figures therefore
 * include 1/{@value #N} of a begin + commit ({@code tx_empty} measures that alone) and, for writes,
 * one lock acquisition and release per location. The orec table lines of the {@value #N} locations
 * stay in cache: this is the hot-cache cost; a cold, random location adds a cache miss on the
 * striped table.
 *
 * <p>Method names are {@code KIND_VARIANT}; the report subtracts {@code KIND_plain}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class BarrierBench {
  static final int N = 100;

  /** A plain class as the agent sees it: one mutable {@code int} field. */
  static final class Holder {
    int value;
  }

  private static final VarHandle VALUE;
  /** Field id as the agent computes it: the field name's hash code. */
  private static final int VALUE_ID = "value".hashCode();

  static {
    try {
      VALUE = MethodHandles.lookup().findVarHandle(Holder.class, "value", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private Holder[] holders;
  private IntRef[] refs;
  private int counter;
  private int result;

  private Runnable readBarrier;
  private Runnable writeBarrier;
  private Runnable readIntRef;
  private Runnable writeIntRef;
  private Runnable empty;

  @Setup
  public void setup() {
    holders = new Holder[N];
    refs = new IntRef[N];
    for (int i = 0; i < N; i++) {
      holders[i] = new Holder();
      holders[i].value = i;
      refs[i] = new IntRef(i);
    }
    readBarrier =
        () -> {
          Txn tx = Txn.active();
          Holder[] h = holders;
          int sum = 0;
          for (int i = 0; i < N; i++) {
            Holder o = h[i];
            FieldBarriers.beforeRead(o, VALUE_ID, tx);
            int v = o.value;
            FieldBarriers.afterRead(tx);
            sum += v;
          }
          result = sum;
        };
    writeBarrier =
        () -> {
          Txn tx = Txn.active();
          Holder[] h = holders;
          int base = counter++;
          for (int i = 0; i < N; i++) {
            FieldBarriers.writeInt(h[i], VALUE_ID, VALUE, base + i, tx);
          }
        };
    readIntRef =
        () -> {
          IntRef[] r = refs;
          int sum = 0;
          for (int i = 0; i < N; i++) {
            sum += r[i].get();
          }
          result = sum;
        };
    writeIntRef =
        () -> {
          IntRef[] r = refs;
          int base = counter++;
          for (int i = 0; i < N; i++) {
            r[i].set(base + i);
          }
        };
    empty = () -> {};
  }

  // ---------------------------------------------------------------- reads

  @Benchmark
  @OperationsPerInvocation(N)
  public int read_plain() {
    Holder[] h = holders;
    int sum = 0;
    for (int i = 0; i < N; i++) {
      sum += h[i].value;
    }
    return sum;
  }

  /** {@code beforeRead; getfield; afterRead} inside one transaction, as generated code does. */
  @Benchmark
  @OperationsPerInvocation(N)
  public int read_fieldBarrier() {
    Ame.atomic(readBarrier);
    return result;
  }

  /** The explicit API for comparison: {@code IntRef.get()} (own orec, no table lookup). */
  @Benchmark
  @OperationsPerInvocation(N)
  public int read_intRef() {
    Ame.atomic(readIntRef);
    return result;
  }

  // ---------------------------------------------------------------- writes

  @Benchmark
  @OperationsPerInvocation(N)
  public void write_plain() {
    Holder[] h = holders;
    int base = counter++;
    for (int i = 0; i < N; i++) {
      h[i].value = base + i;
    }
  }

  /** {@code FieldBarriers.writeInt} (lock, undo-log, store) inside one transaction. */
  @Benchmark
  @OperationsPerInvocation(N)
  public void write_fieldBarrier() {
    Ame.atomic(writeBarrier);
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public void write_intRef() {
    Ame.atomic(writeIntRef);
  }

  // ---------------------------------------------------------------- fixed cost

  /** An empty transaction: the begin + commit that the per-access figures amortise over N. */
  @Benchmark
  public void tx_empty() {
    Ame.atomic(empty);
  }
}
