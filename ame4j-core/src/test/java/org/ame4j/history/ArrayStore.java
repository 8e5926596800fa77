package org.ame4j.history;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.ame4j.Ref;
import org.ame4j.internal.engine.ArrayStripesForTesting;
import org.ame4j.internal.engine.FieldBarriers;
import org.ame4j.internal.engine.FieldWrites;
import org.ame4j.internal.engine.Txn;

/**
 * A {@link Store} whose registers are elements of {@code long[]} rows that are replaced all the
 * time, so that arrays keep turning from read-only to written while other workers read them
 * (the grace period of {@code ArrayTurns}, where issue 18's lost updates were).
 *
 * <p>Register {@code k} is element {@code k % WIDTH} of row {@code k / WIDTH}; a {@link Ref}
 * points to each row. Every element access goes through the element barriers exactly as the
 * agent's twins call them ({@code beforeReadElement}, the plain load, {@code afterReadElement};
 * {@code writeElement}; {@code allocated} after a {@code new}). One write in {@link #RENEW}
 * does not store in place but copies the row into a new array with the new value (copy-on-write,
 * as {@code CopyOnWriteArrayList} or a growing {@code ArrayList} does): the new array is
 * allocated by the attempt, so its stores are untracked, and once the attempt commits it is a
 * read-only array in shared state. Readers then read it unchecked, and the next in-place write
 * turns it written under them. A node's register is the single element of its own fresh
 * array, published with the node and turned by the first task that updates it afterwards.
 *
 * <p>A stripe turns written once, so a test that runs many workloads resets the stripes to
 * read-only between them ({@code ArrayStripesForTesting}); within a workload, nearly every new
 * array lands in a stripe nobody has written yet (a few hundred arrays in 16,384 stripes).
 */
public final class ArrayStore extends NodeStore<long[]> {
  /** Registers per row. */
  static final int WIDTH = 4;
  /** One write in this many copies its row into a new array. */
  static final int RENEW = 4;

  /**
   * Stores for a campaign ({@link Campaign}): each one after the stripes are reset to read-only,
   * so each workload turns its arrays afresh; counts the stripes turned.
   */
  public static final class FreshStripes implements Supplier<Store> {
    private final long turnsBefore = ArrayStripesForTesting.turns();

    @Override
    public Store get() {
      ArrayStripesForTesting.resetToReadOnly();
      return new ArrayStore(24, 4);
    }

    /**
     * Stripes turned written by every run so far, the last one included (counted as they turn:
     * the end of a queue run may cool them back to read-only).
     */
    public long turns() {
      return ArrayStripesForTesting.turns() - turnsBefore;
    }
  }

  /**
   * {@code java … org.ame4j.history.ArrayStore MODES WORKERS SEEDS TASKS}: {@link Campaign#main}
   * over turning arrays, until the first anomaly.
   */
  public static void main(String[] args) throws InterruptedException {
    Campaign.main(args, new FreshStripes());
  }

  private final Ref<long[]>[] rows;
  private final int keys;

  @SuppressWarnings("unchecked")
  public ArrayStore(int keys, int slots) {
    super(slots);
    this.keys = keys;
    rows = new Ref[(keys + WIDTH - 1) / WIDTH];
    for (int r = 0; r < rows.length; r++) {
      rows[r] = new Ref<>(new long[WIDTH]);
    }
  }

  @Override
  public int keys() {
    return keys;
  }

  @Override
  public long get(int key) {
    return load(rows[key / WIDTH].get(), key % WIDTH);
  }

  @Override
  public void set(int key, long value) {
    Ref<long[]> row = rows[key / WIDTH];
    long[] a = row.get();
    if (ThreadLocalRandom.current().nextInt(RENEW) != 0) {
      FieldWrites.writeElement(a, key % WIDTH, value, Txn.current());
      return;
    }
    long[] copy = fresh(WIDTH);
    for (int i = 0; i < WIDTH; i++) {
      FieldWrites.writeElement(copy, i, i == key % WIDTH ? value : load(a, i), Txn.current());
    }
    row.set(copy);
  }

  @Override
  long[] newRegister() {
    return fresh(1);
  }

  @Override
  long load(long[] register) {
    return load(register, 0);
  }

  @Override
  void store(long[] register, long value) {
    FieldWrites.writeElement(register, 0, value, Txn.current());
  }

  /** A read of {@code a[i]} in the agent's shape. */
  private static long load(long[] a, int i) {
    Txn tx = Txn.current();
    FieldBarriers.beforeReadElement(a, i, tx);
    long v = a[i];
    FieldBarriers.afterReadElement(tx);
    return v;
  }

  /** {@code new long[n]} in a transaction, as the agent's twins do it. */
  private static long[] fresh(int n) {
    long[] a = new long[n];
    FieldBarriers.allocated(a, Txn.current());
    return a;
  }
}
