package org.ame4j.internal.engine;

/**
 * Barriers for locations the engine cannot reach with a {@code VarHandle}: the state behind a JDK
 * object's public API (an {@code AtomicInteger}'s value, a {@code LongAdder}'s sum), which the
 * agent's JDK intrinsics read and write through that API. A location is named the way
 * {@link FieldBarriers} names a field, (holder identity, field id), so it shares the orec table
 * and the whole read/write protocol with plain fields:
 *
 * <ul>
 *   <li><b>read</b>: {@link FieldBarriers#beforeRead}, the API getter, {@link FieldBarriers#afterRead}
 *       (the getter's load sits exactly where a {@code getfield} would);
 *   <li><b>write</b>: {@link #lock}, then {@link #logRestore} with the old value, then the API
 *       setter. The lock is taken at encounter time as for fields, so no other transaction sees
 *       the new value before commit; on abort the {@link Restorer} writes the old value back
 *       (newest first, with the lock still held), through the same API.
 * </ul>
 *
 * <p>Restorers are registered once ({@link #register}) and named by a small integer in the undo
 * entry, so logging allocates nothing.
 *
 * <p>Does not promise anything about code that uses the same JDK object outside transactions:
 * such code neither takes nor respects the records (no strong atomicity, as for fields).
 */
public final class JdkBarriers {
  private JdkBarriers() {}

  /** Writes a saved value back into a JDK object on rollback (called with the record locked). */
  @FunctionalInterface
  public interface Restorer {
    void restore(Object target, Object oldRef, long oldBits);
  }

  private static volatile Restorer[] restorers = new Restorer[0];

  /** Registers a restorer (once, at class initialization); returns its id for {@link #logRestore}. */
  public static synchronized int register(Restorer r) {
    Restorer[] old = restorers;
    Restorer[] next = java.util.Arrays.copyOf(old, old.length + 1);
    next[old.length] = r;
    restorers = next;
    return old.length;
  }

  /** True if the running attempt allocated {@code o} ({@link FieldBarriers#allocated}): reads need no tracking. */
  public static boolean isAllocated(Object o, Txn tx) {
    return tx.fresh.contains(o);
  }

  /**
   * True if {@code o} was allocated in the running nesting level ({@link FieldBarriers#allocated}):
   * writes need no tracking either. An object allocated before the running nested block began
   * needs its old values logged, not its records locked ({@link FieldLocks}).
   */
  public static boolean isAllocatedHere(Object o, Txn tx) {
    return tx.fresh.contains(o) && !tx.fresh.bornBefore(o, tx.level);
  }

  /**
   * Locks the record of ({@code holder}, {@code field}) for writing, as a field write does (waits
   * out or aborts on another owner; a no-op if ours already). Returns false, having done nothing,
   * when {@code holder} was allocated by this attempt: then no undo entry is needed either.
   */
  public static boolean lock(Object holder, int field, Txn tx) {
    return FieldLocks.lockShared(holder, field, tx); // a field of a holder with no record of its own
  }

  /**
   * Logs that rollback must call restorer {@code restorer} with ({@code target}, {@code oldRef},
   * {@code oldBits}). Call after {@link #lock} returned true and before changing the object.
   */
  public static void logRestore(int restorer, Object target, Object oldRef, long oldBits, Txn tx) {
    tx.undo.add(UndoLog.EXTERNAL, target, null, oldRef, oldBits, restorer);
  }

  static void restore(int restorer, Object target, Object oldRef, long oldBits) {
    restorers[restorer].restore(target, oldRef, oldBits);
  }
}
