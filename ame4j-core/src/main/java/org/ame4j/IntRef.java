package org.ame4j;

import org.ame4j.internal.engine.Atomically;
import org.ame4j.internal.engine.IntCell;
import org.ame4j.internal.engine.CommittedReads;
import org.ame4j.internal.engine.Txn;

/**
 * A transactional {@code int} cell, without boxing. Inside a transaction reads and writes are
 * tracked; outside, each call is its own tiny transaction.
 */
public final class IntRef extends IntCell {
  public IntRef(int initial) {
    super(initial);
  }

  public int get() {
    Txn tx = Txn.active();
    return tx != null ? tx.read(this) : CommittedReads.read(this);
  }

  public void set(int value) {
    Txn tx = Txn.current();
    if (tx.depth() > 0) {
      tx.write(this, value);
    } else {
      Atomically.atomic(() -> {
        Txn.current().write(this, value);
        return null;
      });
    }
  }

  /** Adds {@code delta} and returns the old value, atomically. */
  public int getAndAdd(int delta) {
    Txn tx = Txn.current();
    if (tx.depth() > 0) {
      int old = tx.read(this);
      tx.write(this, old + delta);
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
