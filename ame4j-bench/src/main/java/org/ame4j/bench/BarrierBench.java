package org.ame4j.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import org.ame4j.Ame;
import org.ame4j.IntRef;
import org.ame4j.internal.engine.ElementSites;
import org.ame4j.internal.engine.FieldBarriers;
import org.ame4j.internal.engine.FieldWrites;
import org.ame4j.internal.engine.IntCell;
import org.ame4j.internal.engine.SiteBarriers;
import org.ame4j.internal.engine.TxObject;
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
 * ({@link FieldBarriers}, {@link SiteBarriers}, {@link FieldWrites}) inside a running transaction, against a plain field access.
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

  /**
   * The same class as the agent now emits it: it extends {@link TxObject}, so its objects carry
   * their own ownership word (what the agent does to every instrumented class extending Object).
   */
  static final class ObjHolder extends TxObject {
    int value;
  }

  private static final VarHandle VALUE;
  private static final VarHandle OBJ_VALUE;
  /** Field id as the agent computes it: the field name's hash code. */
  private static final int VALUE_ID = "value".hashCode();

  static {
    try {
      VALUE = MethodHandles.lookup().findVarHandle(Holder.class, "value", int.class);
      OBJ_VALUE = MethodHandles.lookup().findVarHandle(ObjHolder.class, "value", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private Holder[] holders;
  private ObjHolder[] objs;
  private IntRef[] refs;
  private IntCell[] cells;
  private int counter;
  private int result;

  private Runnable readBarrier;
  private Runnable writeBarrier;
  private Runnable readIntRef;
  private Runnable writeIntRef;
  private Runnable readIntCell;
  private Runnable writeIntCell;
  private Runnable empty;
  private Runnable readObjPending;
  private Runnable readObjSite;
  private Runnable readTableSite;
  private Runnable writeObjHandle;
  private Runnable writeObjSite;
  private Runnable writeTableSite;
  private Runnable writeObjSiteTwice;
  private Runnable bornObjects;
  private Runnable freshSet;
  private Runnable nestedBorn;
  private Runnable nestedWrite;
  private Runnable plainCall;
  private ObjHolder nestedTarget;
  private long[] readOnlyElems;
  private long[] writtenElems;
  private Runnable readElemReadOnly;
  private Runnable readElemHoisted;
  private Runnable readElemWritten;
  private Runnable writeElemSite;
  private Runnable writeElemScattered;

  @Setup
  public void setup() {
    holders = new Holder[N];
    objs = new ObjHolder[N];
    refs = new IntRef[N];
    cells = new IntCell[N];
    for (int i = 0; i < N; i++) {
      holders[i] = new Holder();
      holders[i].value = i;
      objs[i] = new ObjHolder();
      objs[i].value = i;
      refs[i] = new IntRef(i);
      cells[i] = new IntCell(i);
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
            FieldWrites.writeInt(h[i], VALUE_ID, VALUE, base + i, tx);
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
    // IntRef.get and set as they are, on the engine cell itself: without the load of the cell
    // from the IntRef that the API pays since it holds its cell instead of extending it.
    readIntCell =
        () -> {
          IntCell[] c = cells;
          int sum = 0;
          for (int i = 0; i < N; i++) {
            Txn tx = Txn.active();
            sum += tx.read(c[i]);
          }
          result = sum;
        };
    writeIntCell =
        () -> {
          IntCell[] c = cells;
          int base = counter++;
          for (int i = 0; i < N; i++) {
            Txn tx = Txn.current();
            if (tx.depth() > 0) {
              tx.write(c[i], base + i);
            }
          }
        };
    empty = () -> {};
    readObjPending =
        () -> {
          Txn tx = Txn.active();
          ObjHolder[] h = objs;
          int sum = 0;
          for (int i = 0; i < N; i++) {
            ObjHolder o = h[i];
            FieldBarriers.beforeRead(o, VALUE_ID, tx);
            int v = o.value;
            FieldBarriers.afterRead(tx);
            sum += v;
          }
          result = sum;
        };
    readObjSite =
        () -> {
          Txn tx = Txn.active();
          ObjHolder[] h = objs;
          int sum = 0;
          for (int i = 0; i < N; i++) {
            ObjHolder o = h[i];
            long w = SiteBarriers.openRead(o, VALUE_ID, tx);
            int v = o.value;
            SiteBarriers.closeRead(o, w, tx);
            sum += v;
          }
          result = sum;
        };
    readTableSite =
        () -> {
          Txn tx = Txn.active();
          Holder[] h = holders;
          int sum = 0;
          for (int i = 0; i < N; i++) {
            Holder o = h[i];
            // What the agent emits for a class whose superclass chain has no java.base record field.
            long w = SiteBarriers.openReadNoRecord(o, VALUE_ID, tx);
            int v = o.value;
            SiteBarriers.closeRead(o, w, tx);
            sum += v;
          }
          result = sum;
        };
    writeObjHandle =
        () -> {
          Txn tx = Txn.active();
          ObjHolder[] h = objs;
          int base = counter++;
          for (int i = 0; i < N; i++) {
            FieldWrites.writeInt(h[i], VALUE_ID, OBJ_VALUE, base + i, tx);
          }
        };
    writeObjSite =
        () -> {
          Txn tx = Txn.active();
          ObjHolder[] h = objs;
          int base = counter++;
          for (int i = 0; i < N; i++) {
            ObjHolder o = h[i];
            boolean log = SiteBarriers.openWrite(o, VALUE_ID, tx);
            SiteBarriers.logInt(o, log, o.value, OBJ_VALUE, tx);
            o.value = base + i;
          }
        };
    writeObjSiteTwice =
        () -> {
          Txn tx = Txn.active();
          ObjHolder[] h = objs;
          int base = counter++;
          for (int round = 0; round < 2; round++) {
            for (int i = 0; i < N; i++) {
              ObjHolder o = h[i];
              boolean log = SiteBarriers.openWrite(o, VALUE_ID, tx);
              SiteBarriers.logInt(o, log, o.value, OBJ_VALUE, tx);
              o.value = base + round + i;
            }
          }
        };
    writeTableSite =
        () -> {
          Txn tx = Txn.active();
          Holder[] h = holders;
          int base = counter++;
          for (int i = 0; i < N; i++) {
            Holder o = h[i];
            boolean log = SiteBarriers.openWriteNoRecord(o, VALUE_ID, tx);
            SiteBarriers.logInt(o, log, o.value, VALUE, tx);
            o.value = base + i;
          }
        };
    bornObjects =
        () -> {
          Txn tx = Txn.active();
          int sum = 0;
          for (int i = 0; i < N; i++) {
            ObjHolder o = new ObjHolder();
            FieldBarriers.allocated(o, tx);
            boolean log = SiteBarriers.openWrite(o, VALUE_ID, tx);
            SiteBarriers.logInt(o, log, o.value, OBJ_VALUE, tx);
            o.value = i;
            long w = SiteBarriers.openRead(o, VALUE_ID, tx);
            int v = o.value;
            SiteBarriers.closeRead(o, w, tx);
            sum += v;
          }
          result = sum;
        };
    freshSet =
        () -> {
          Txn tx = Txn.active();
          int sum = 0;
          for (int i = 0; i < N; i++) {
            Holder o = new Holder();
            FieldBarriers.allocated(o, tx);
            FieldWrites.writeInt(o, VALUE_ID, VALUE, i, tx);
            FieldBarriers.beforeRead(o, VALUE_ID, tx);
            int v = o.value;
            FieldBarriers.afterRead(tx);
            sum += v;
          }
          result = sum;
        };
    nestedBorn =
        () -> {
          Txn tx = Txn.active();
          ObjHolder o = new ObjHolder();
          FieldBarriers.allocated(o, tx);
          nestedTarget = o;
          for (int i = 0; i < N; i++) {
            Ame.atomic(nestedWrite);
          }
          result = o.value;
        };
    nestedWrite =
        () -> {
          Txn tx = Txn.active();
          ObjHolder o = nestedTarget;
          boolean log = SiteBarriers.openWrite(o, VALUE_ID, tx);
          SiteBarriers.logInt(o, log, o.value, OBJ_VALUE, tx);
          o.value = o.value + 1;
        };
    plainCall = () -> holders[0].value++;
    elementSetup();
  }

  // ------------------------------------------------------- element reads (issue 14, session 10)

  /**
   * Two arrays of {@value #N} longs: one no transaction writes (its stripe stays read-only, unless
   * its identity hash shares a stripe with the other, one chance in the stripe count), one
   * written once by a transaction (its elements have words, and every read is checked and logged).
   */
  private void elementSetup() {
    readOnlyElems = new long[N];
    writtenElems = new long[N];
    for (int i = 0; i < N; i++) {
      readOnlyElems[i] = i;
    }
    Ame.atomic(() -> {
      Txn tx = Txn.active();
      for (int i = 0; i < N; i++) {
        FieldWrites.writeElement(writtenElems, i, (long) i, tx);
      }
    });
    readElemReadOnly = () -> result = sumElements(readOnlyElems, Txn.active());
    readElemWritten = () -> result = sumElements(writtenElems, Txn.active());
    writeElemSite = () -> writeElements(1);
    writeElemScattered = () -> writeElements(37);
    readElemHoisted =
        () -> {
          Txn tx = Txn.active();
          long[] a = readOnlyElems;
          Object checked = null; // the load site's local (HoistedChecks)
          long sum = 0;
          for (int i = 0; i < N; i++) {
            checked = FieldBarriers.beforeReadElementAt(a, i, checked, tx);
            long v = a[i];
            FieldBarriers.afterReadElement(tx);
            sum += v;
          }
          result = (int) sum;
        };
  }

  /** Stores {@value #N} elements of the written array, {@code stride} apart (mod {@value #N}). */
  private void writeElements(int stride) {
    Txn tx = Txn.active();
    long[] a = writtenElems;
    int base = counter++;
    for (int n = 0, i = 0; n < N; n++, i = (i + stride) % N) {
      ElementSites.logLong(a, i, ElementSites.openWrite(a, i, tx), tx);
      a[i] = base + n;
    }
  }

  /** {@code beforeReadElement; laload; afterReadElement} at every load, as a twin without a hoisted check. */
  private static int sumElements(long[] a, Txn tx) {
    long sum = 0;
    for (int i = 0; i < N; i++) {
      FieldBarriers.beforeReadElement(a, i, tx);
      long v = a[i];
      FieldBarriers.afterReadElement(tx);
      sum += v;
    }
    return (int) sum;
  }

  /** The plain loop over {@value #N} elements, in a transaction like the others. */
  @Benchmark
  @OperationsPerInvocation(N)
  public int elem_plain() {
    Ame.atomic(() -> {
      long[] a = readOnlyElems;
      long sum = 0;
      for (int i = 0; i < N; i++) {
        sum += a[i];
      }
      result = (int) sum;
    });
    return result;
  }

  /** Element reads of a read-only array, a barrier at every load (the inline fast path). */
  @Benchmark
  @OperationsPerInvocation(N)
  public int elem_readOnly() {
    Ame.atomic(readElemReadOnly);
    return result;
  }

  /** Element reads of a read-only array through one load site's hoisted check. */
  @Benchmark
  @OperationsPerInvocation(N)
  public int elem_hoisted() {
    Ame.atomic(readElemHoisted);
    return result;
  }

  // ------------------------------------------------ element writes (issue 14, session 11)

  /** The plain program of the element writes: {@value #N} stores to consecutive elements. */
  @Benchmark
  @OperationsPerInvocation(N)
  public void elemwrite_plain() {
    long[] a = writtenElems;
    int base = counter++;
    for (int i = 0; i < N; i++) {
      a[i] = base + i;
    }
  }

  /**
   * {@value #N} stores to consecutive elements of a written array through the per-site shape
   * ({@code openWrite; logLong; lastore}): one lock, undo entry and release per element.
   */
  @Benchmark
  @OperationsPerInvocation(N)
  public void elemwrite_site() {
    Ame.atomic(writeElemSite);
  }

  /** The same stores in a scattered order (a stride of 37): what the consecutive order saves. */
  @Benchmark
  @OperationsPerInvocation(N)
  public void elemwrite_scattered() {
    Ame.atomic(writeElemScattered);
  }

  /** Element reads of a written array: each checked against its word and logged. */
  @Benchmark
  @OperationsPerInvocation(N)
  public int elem_written() {
    Ame.atomic(readElemWritten);
    return result;
  }

  // ---------------------------------------------------------------- object words (issue 14)

  /** {@code beforeRead; getfield; afterRead} on objects with their own word (pending state in Txn). */
  @Benchmark
  @OperationsPerInvocation(N)
  public int read_objPending() {
    Ame.atomic(readObjPending);
    return result;
  }

  /** {@code openRead; getfield; closeRead} on objects with their own word (word in a local). */
  @Benchmark
  @OperationsPerInvocation(N)
  public int read_objSite() {
    Ame.atomic(readObjSite);
    return result;
  }

  /** The per-site read shape on plain holders (striped table behind it). */
  @Benchmark
  @OperationsPerInvocation(N)
  public int read_tableSite() {
    Ame.atomic(readTableSite);
    return result;
  }

  /** {@code writeInt} with a constant VarHandle on objects with their own word. */
  @Benchmark
  @OperationsPerInvocation(N)
  public void write_objHandle() {
    Ame.atomic(writeObjHandle);
  }

  /** {@code openWrite; getfield; logInt; putfield} on objects with their own word. */
  @Benchmark
  @OperationsPerInvocation(N)
  public void write_objSite() {
    Ame.atomic(writeObjSite);
  }

  /**
   * The per-site write shape writing every object twice: the second write finds the object
   * locked by us already (the common case in a task that updates an object's fields in turn).
   */
  @Benchmark
  @OperationsPerInvocation(2 * N)
  public void write_objSiteTwice() {
    Ame.atomic(writeObjSiteTwice);
  }

  /** The per-site write shape on plain holders (striped table behind it). */
  @Benchmark
  @OperationsPerInvocation(N)
  public void write_tableSite() {
    Ame.atomic(writeTableSite);
  }

  /** Allocate, write and read back {@value #N} objects born owned (their word says so). */
  @Benchmark
  @OperationsPerInvocation(N)
  public int alloc_born() {
    Ame.atomic(bornObjects);
    return result;
  }

  /**
   * {@value #N} nested blocks, each writing an object the enclosing transaction allocated: the
   * cost of entering and leaving a nested block, and of logging a write to an object born before
   * it (the block may fail alone).
   */
  @Benchmark
  @OperationsPerInvocation(N)
  public int nested_born() {
    Ame.atomic(nestedBorn);
    return result;
  }

  /** The plain program of {@link #nested_born}: {@value #N} calls that write a field. */
  @Benchmark
  @OperationsPerInvocation(N)
  public int nested_plain() {
    Runnable r = plainCall;
    for (int i = 0; i < N; i++) {
      r.run();
    }
    return holders[0].value;
  }

  /** The same with plain objects recorded in the capture set (the barriers search it). */
  @Benchmark
  @OperationsPerInvocation(N)
  public int alloc_freshSet() {
    Ame.atomic(freshSet);
    return result;
  }

  /** The plain program: allocate, write and read back {@value #N} objects. */
  @Benchmark
  @OperationsPerInvocation(N)
  public int alloc_plain() {
    int sum = 0;
    for (int i = 0; i < N; i++) {
      Holder o = new Holder();
      o.value = i;
      sum += o.value;
    }
    return sum;
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

  /** {@link #read_intRef} without the API's wrapper: the engine cell read directly. */
  @Benchmark
  @OperationsPerInvocation(N)
  public int read_intCell() {
    Ame.atomic(readIntCell);
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

  /** {@code FieldWrites.writeInt} (lock, undo-log, store) inside one transaction. */
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

  /** {@link #write_intRef} without the API's wrapper: the engine cell written directly. */
  @Benchmark
  @OperationsPerInvocation(N)
  public void write_intCell() {
    Ame.atomic(writeIntCell);
  }

  // ---------------------------------------------------------------- fixed cost

  /** An empty transaction: the begin + commit that the per-access figures amortise over N. */
  @Benchmark
  public void tx_empty() {
    Ame.atomic(empty);
  }
}
