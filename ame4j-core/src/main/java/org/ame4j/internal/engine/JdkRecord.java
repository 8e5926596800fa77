package org.ame4j.internal.engine;

/**
 * The ownership record of one object of a java.base class that carries the patch's record field
 * ({@link JdkWords}): such classes cannot extend {@link TxObject} (a class of {@code java.base}
 * cannot name an engine class), so their objects point to one of these instead. It is a
 * {@link TxObject} with no fields of its own: the engine's read set, lock set, born list and
 * contention paths treat it exactly as an instrumented object's word, and the undo log restores
 * the JDK object's fields, never this.
 *
 * <p><b>Guarantees.</b> One record per JDK object once it has one (the field is set when the
 * object is born in a transaction, or installed once by compare-and-set on its first tracked
 * access; never replaced afterwards, except in a fresh copy made by {@code clone}, see
 * {@link JdkWords}). Granularity is the object, as for {@link TxObject}.
 */
final class JdkRecord extends TxObject {
  JdkRecord() {}
}
