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
public final class Ref<T> extends ObjectCell {
  public Ref(T initial) {
    super(initial);
  }

  @SuppressWarnings("unchecked")
  public T get() {
    Txn tx = Txn.active();
    return (T) (tx != null ? tx.read(this) : CommittedReads.read(this));
  }

  public void set(T value) {
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
