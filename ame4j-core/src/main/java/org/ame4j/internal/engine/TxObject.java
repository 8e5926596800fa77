package org.ame4j.internal.engine;

/**
 * The superclass the agent gives every instrumented class that extends {@code Object} directly:
 * its objects carry their ownership record in themselves (the {@link TxCell} word), one per
 * object, instead of one striped-table word per field (issue 14: the table word sat a cache line
 * away from the data and cost a hash per access). A field barrier on such an object reads the
 * word next to the object header; a write locks the whole object once, so further writes to any
 * of its fields by the same transaction only log the old value.
 *
 * <p><b>Born owned.</b> An object whose constructor ran in a transaction starts with that
 * transaction's <em>fresh</em> word ({@link Txn#freshWord}): every barrier of the owner sees it
 * and accesses the object plainly (no capture-set lookup, no undo entry), every other transaction
 * sees a locked record. The owner releases the word when it commits or rolls back ({@link
 * BornObjects}), so a published object is unlocked before any other transaction can reach it.
 *
 * <p><b>Guarantees.</b> The word of a {@code clone()} copy starts unlocked at version 0, whatever
 * the original's word was (the JVM's copy would otherwise copy a lock it does not own); a copy
 * made inside a transaction is then re-stamped born owned by {@code rt.ObjectClone}. The word is
 * not serialized (this class is not {@code Serializable}; deserialization runs this class's
 * constructor, which leaves it unlocked at version 0), and it is private to {@link TxCell}, so
 * reflection on the user's class does not see it.
 *
 * <p><b>Does not guarantee</b> anything for code that bypasses the barriers (uninstrumented code,
 * reflection, {@code Unsafe}) while transactions run: as for every location, no strong
 * atomicity. Granularity is the object: two transactions that write different fields of one
 * object conflict (a false conflict, never a lost update).
 */
public abstract class TxObject extends TxCell {
  /**
   * What the agent's rewritten {@code super()} calls. Public (the class is abstract, so nobody
   * makes a bare one): Java serialization requires the first non-serializable superclass to have
   * an accessible no-argument constructor, and the runtime contract test checks that emitted
   * code names public members only.
   */
  public TxObject() {}

  /**
   * The JVM's copy, with the copy's word reset to unlocked at version 0: a field-by-field copy
   * would otherwise carry the original's lock (or born-owned word) into an object no transaction
   * has in its lock set. {@code super.clone()} of every instrumented class reaches this method
   * (JVMS §6.5 invokespecial: the search starts at the direct superclass).
   */
  @Override
  protected Object clone() throws CloneNotSupportedException {
    TxObject copy = (TxObject) super.clone();
    TxCell.META.setRelease(copy, 0L);
    return copy;
  }

  @Override
  final void restore(Object oldRef, long oldBits) {
    throw new AssertionError("a TxObject is restored field by field (UndoLog.FIELD)");
  }
}
