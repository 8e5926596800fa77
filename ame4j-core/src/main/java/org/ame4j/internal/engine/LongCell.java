package org.ame4j.internal.engine;

/** A {@link TxCell} holding a {@code long}. Reached only through {@link Txn}'s cell barriers. */
public class LongCell extends TxCell {
  long value;

  public LongCell(long initial) {
    this.value = initial;
  }

  @Override
  final void restore(Object oldRef, long oldBits) {
    value = oldBits;
  }
}
