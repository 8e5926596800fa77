package org.ame4j;

import org.ame4j.internal.engine.Atomically;
import org.ame4j.internal.engine.IntCell;
import org.ame4j.internal.engine.CommittedReads;
import org.ame4j.internal.engine.Txn;

/**
 * A transactional {@code int} cell, without boxing. Inside a transaction reads and writes are
 * tracked; outside, each call is its own tiny transaction.
 *
 * <p>Written out per type, beside {@link LongRef}, as the JDK writes {@code AtomicInteger} and
 * {@code AtomicLong}: Java has no generics over primitives, so one generic cell would box every
 * value, and a generator for two classes of a few lines each would cost more to read than the
 * copy. Holding the engine's cell (the API does not extend engine types) costs one dependent
 * load per access, under 1 ns per read (docs/benchmarks.md, "Folds of per-type code").
 */
public final class IntRef {
  /** The engine's cell (held, not extended: the public API does not extend engine types). */
  private final IntCell cell;

  public IntRef(int initial) {
    this.cell = new IntCell(initial);
  }

  public int get() {
    Txn tx = Txn.active();
    return tx != null ? tx.read(cell) : CommittedReads.read(cell);
  }

  public void set(int value) {
    Txn tx = Txn.current();
    if (tx.depth() > 0) {
      tx.write(cell, value);
    } else {
      Atomically.atomic(() -> {
        Txn.current().write(cell, value);
        return null;
      });
    }
  }

  /** Adds {@code delta} and returns the old value, atomically. */
  public int getAndAdd(int delta) {
    Txn tx = Txn.current();
    if (tx.depth() > 0) {
      int old = tx.read(cell);
      tx.write(cell, old + delta);
      return old;
    }
    return Atomically.atomic(() -> getAndAdd(delta));
  }

  /** Adds {@code delta} and returns the new value, atomically. */
  public int addAndGet(int delta) {
    return getAndAdd(delta) + delta;
  }

  @Override
  public String toString() {
    return "IntRef(" + get() + ")";
  }
}
