package org.ame4j.internal.engine;

/** A {@link TxCell} holding a reference. Reached only through {@link Txn}'s cell barriers. */
public class ObjectCell extends TxCell {
  Object value;

  public ObjectCell(Object initial) {
    this.value = initial;
  }

  @Override
  final void restore(Object oldRef, long oldBits) {
    value = oldRef;
  }
}
