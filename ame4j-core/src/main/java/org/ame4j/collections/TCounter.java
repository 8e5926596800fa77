package org.ame4j.collections;

import org.ame4j.internal.engine.Atomically;
import org.ame4j.internal.engine.LongCell;
import org.ame4j.internal.engine.Txn;

/**
 * A transactional counter whose increments commute: tasks that only {@link #add} never conflict
 * with each other, even when they add to the same counter at the same time.
 *
 * <p>The count is striped over several cells (as {@link java.util.concurrent.atomic.LongAdder});
 * a transaction adds to its thread's stripe under the stripe's lock without reading it, so there
 * is nothing to validate. {@link #get()} reads every stripe, so it does conflict with concurrent
 * adds, as it must: its result is exact and serializable.
 */
public final class TCounter {
  private static final int STRIPES =
      Integer.highestOneBit(Math.max(1, Runtime.getRuntime().availableProcessors() * 4 - 1)) * 2;

  private static final class Stripe extends LongCell {
    Stripe() {
      super(0L);
    }
  }

  private final Stripe[] stripes = new Stripe[STRIPES];

  public TCounter() {
    for (int i = 0; i < stripes.length; i++) {
      stripes[i] = new Stripe();
    }
  }

  public void add(long delta) {
    Txn tx = Txn.current();
    if (tx.depth() > 0) {
      tx.addTo(stripeOfThisThread(), delta);
    } else {
      Atomically.atomic(() -> {
        Txn.current().addTo(stripeOfThisThread(), delta);
        return null;
      });
    }
  }

  public void increment() {
    add(1L);
  }

  public void decrement() {
    add(-1L);
  }

  /** The exact count, read as part of the current transaction (or atomically if none). */
  public long get() {
    return Atomically.atomic(() -> {
      Txn tx = Txn.current();
      long sum = 0;
      for (Stripe s : stripes) {
        sum += tx.read(s);
      }
      return sum;
    });
  }

  private Stripe stripeOfThisThread() {
    // Thread ids are sequential, so the workers of one run land on distinct stripes.
    long id = Thread.currentThread().getId();
    return stripes[(int) (id ^ (id >>> 16)) & (stripes.length - 1)];
  }

  @Override
  public String toString() {
    return Long.toString(get());
  }
}
