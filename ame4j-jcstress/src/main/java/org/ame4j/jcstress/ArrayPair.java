package org.ame4j.jcstress;

import org.ame4j.Ame;
import org.ame4j.internal.engine.FieldBarriers;
import org.ame4j.internal.engine.FieldWrites;
import org.ame4j.internal.engine.Txn;

/**
 * The state of the array tests: a two-element {@code long[]}, read and written only through the
 * element barriers, in the shape the agent generates ({@code beforeReadElement}, the plain
 * {@code laload}, {@code afterReadElement}; {@code writeElement}). Each test gets a fresh array,
 * so it starts <em>read-only</em> (one record for the whole array) and the first transactional
 * write turns it <em>written</em> (a record per element) in the race itself.
 */
public class ArrayPair {
  final long[] a = new long[2];

  long read(int i, Txn tx) {
    FieldBarriers.beforeReadElement(a, i, tx);
    long v = a[i];
    FieldBarriers.afterReadElement(tx);
    return v;
  }

  /** Adds {@code delta} to element {@code i} (read, then write through the barriers). */
  void add(int i, long delta, Txn tx) {
    FieldWrites.writeElement(a, i, read(i, tx) + delta, tx);
  }

  /** The writer of the tests: {@code a[0] += 1, a[1] -= 1}, keeping the sum 0. */
  void move() {
    Ame.atomic(() -> {
      Txn tx = Txn.current();
      add(0, 1, tx);
      add(1, -1, tx);
    });
  }
}
