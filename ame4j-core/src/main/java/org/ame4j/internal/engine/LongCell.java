package org.ame4j.internal.engine;

/** A {@link TxCell} holding a {@code long}. Reached only through {@link Txn}'s cell barriers. */
public class LongCell extends TxCell {
  long value;

  public LongCell(long initial) {
    this.value = initial;
    if (Diagnostics.ON) {
      Diagnostics.created(this); // to name it in a conflict: "IntRef created at Bank.java:12"
    }
  }

  @Override
  final void restore(Object oldRef, long oldBits) {
    value = oldBits;
  }
}
