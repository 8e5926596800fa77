package org.ame4j.internal.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A location with its own ownership record: the base of the explicit cells ({@code Ref},
 * {@code IntRef}, {@code LongRef}) and of the cells inside the transactional collections.
 *
 * <p>Keeping the lock word in the cell itself costs 8 bytes per cell and saves the hash and the
 * table lookup that plain fields pay: one cache line holds both the word and the value. Users
 * never call anything here; the public subclasses expose {@code get}/{@code set}.
 */
public abstract class TxCell {
  static final VarHandle META;

  static {
    try {
      META = MethodHandles.lookup().findVarHandle(TxCell.class, "meta", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * The ownership record of this cell; see {@link Orecs} for the encoding. Starts at version 0.
   * Transient: for an instrumented class ({@link TxObject}) it is engine state, never user data
   * (reflective serializers such as Gson skip transient fields). Package-private, not private:
   * the field barriers read it as a plain volatile field (on x86 and ARMv8 a load-acquire, as
   * {@code getAcquire}) so their compiled code stays small enough for C2 to inline everywhere.
   */
  transient volatile long meta;

  TxCell() {}

  /** Writes back a value saved in the undo log (called with the cell's lock held). */
  abstract void restore(Object oldRef, long oldBits);
}
