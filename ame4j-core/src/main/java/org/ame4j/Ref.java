package org.ame4j;

import org.ame4j.internal.engine.Atomically;
import org.ame4j.internal.engine.ObjectCell;
import org.ame4j.internal.engine.CommittedReads;
import org.ame4j.internal.engine.Txn;

/**
 * A transactional reference cell: reads and writes inside a transaction are tracked; outside a
 * transaction each call is its own tiny transaction (a committed, linearizable read; an atomic
 * write).
 *
 * <p>Only the reference is transactional, not the object it points to: share immutable values
 * or objects whose state is itself in cells.
 */
public final class Ref<T> {
  /** The engine's cell (held, not extended: the public API does not extend engine types). */
  private final ObjectCell cell;

  public Ref(T initial) {
    this.cell = new ObjectCell(initial);
  }

  @SuppressWarnings("unchecked")
  public T get() {
    Txn tx = Txn.active();
    return (T) (tx != null ? tx.read(cell) : CommittedReads.read(cell));
  }

  public void set(T value) {
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

  /** Sets a new value and returns the old one, atomically. */
  public T getAndSet(T value) {
    return Atomically.atomic(() -> {
      T old = get();
      set(value);
      return old;
    });
  }

  @Override
  public String toString() {
    return "Ref(" + get() + ")";
  }
}
