package org.ame4j.internal.engine;

import java.lang.invoke.VarHandle;

/**
 * One transactional read of a {@code long} location, split where a race can enter, with the
 * engine's steps in the order the engine or generated code performs them: {@code between} runs
 * after the record check and before the value is loaded. The interleaving tests
 * ({@link BarrierInterleavingsTest}, {@link ReadSnapshotTest}) run each rule over every kind of
 * location through these.
 */
interface SplitRead {
  long read(Txn tx, Runnable between);

  /** A plain read: nothing runs between the steps. */
  default long read(Txn tx) {
    return read(tx, () -> {});
  }

  /** {@code o.f} through the bracketing barriers ({@code beforeRead}, {@code getfield}, {@code afterRead}). */
  static SplitRead field(Object o, int id, VarHandle f) {
    return (tx, between) -> {
      FieldBarriers.beforeRead(o, id, tx);
      between.run();
      long v = (long) f.get(o); // a plain load, as the twin's getfield
      FieldBarriers.afterRead(tx);
      return v;
    };
  }

  /** {@code o.f} through the per-site barriers ({@code openRead}, {@code getfield}, {@code closeRead}). */
  static SplitRead site(Object o, int id, VarHandle f) {
    return (tx, between) -> {
      long word = SiteBarriers.openRead(o, id, tx);
      between.run();
      long v = (long) f.get(o);
      SiteBarriers.closeRead(o, word, tx);
      return v;
    };
  }

  /** {@code a[0]} through the element barriers, as a twin compiles {@code laload}. */
  static SplitRead element(long[] a) {
    return (tx, between) -> {
      FieldBarriers.beforeReadElement(a, 0, tx);
      between.run();
      long v = a[0];
      FieldBarriers.afterReadElement(tx);
      return v;
    };
  }

  /**
   * A cell read as {@link Txn#read(LongCell)} performs it: open the record, load, re-check
   * ({@code closeRead}), and read again when the re-check fails.
   */
  static SplitRead cell(LongCell c) {
    return (tx, between) -> {
      long word = tx.openObject(c);
      between.run();
      long v = c.value;
      return tx.closeRead(c, word) ? v : tx.read(c);
    };
  }
}
