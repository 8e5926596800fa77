package org.ame4j.internal.engine;

/** A {@link TxCell} holding an {@code int}. Reached only through {@link Txn}'s cell barriers. */
public class IntCell extends TxCell {
  int value;

  public IntCell(int initial) {
    this.value = initial;
  }

  @Override
  final void restore(Object oldRef, long oldBits) {
    value = (int) oldBits;
  }
}
