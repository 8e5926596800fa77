package org.ame4j.internal.agent.rt;

import org.ame4j.internal.engine.Txn;

/**
 * Transactional stand-ins for the JDK operations that twinning bytecode cannot make
 * transactional, because they are native ({@code System.arraycopy}, array {@code clone()}) or
 * work through {@code Unsafe}/{@code VarHandle} ({@code java.util.concurrent.atomic}).
 *
 * <p><b>The contract with the transformer</b> is names and descriptors: a call
 * {@code owner.name(desc)} in a twin becomes {@code invokestatic S.name} with the receiver (typed
 * as {@code owner}) prepended for an instance method and the {@code Txn} appended, whenever the
 * stand-in class {@code S} of {@code owner} declares exactly that public static method. The
 * stand-in classes are this one for {@code System} ({@link #arraycopy}) and arrays (array
 * {@code clone()} is {@link #cloneArray}), and one per atomic class: {@link AtomicIntegerIntrinsics},
 * {@link AtomicLongIntrinsics}, {@link AtomicBooleanIntrinsics}, {@link AtomicReferenceIntrinsics}
 * and {@link LongAdderIntrinsics}. So {@code AtomicLong.incrementAndGet()J} is
 * {@link AtomicLongIntrinsics#incrementAndGet(java.util.concurrent.atomic.AtomicLong, Txn)}.
 * Only {@code invokevirtual} calls are meant: a {@code super.m()} call ({@code invokespecial})
 * inside a subclass's override must stay as it is (untracked, so inevitable), because an
 * intrinsic of a non-final method calls an override virtually, and would call itself again.
 *
 * <p><b>What it guarantees.</b> Inside a transaction, an atomic object behaves exactly as a plain
 * field of the transaction would: every operation is isolated from other transactions, undone on
 * abort or on a rolled-back nested block, serializable, and in an ordered queue the result is the
 * sequential one. Its memory-ordering variants ({@code getPlain}, {@code lazySet},
 * {@code setRelease}, …) all mean the transactional read or write (stronger than asked, never
 * weaker); {@code weakCompareAndSet*} never fails spuriously; the {@code compareAndSet} family
 * compares with the value read by the transaction (identity for {@code AtomicReference}). Each
 * atomic object is one location (see {@link AtomicLocations} for its identity and protocol).
 * {@code arraycopy} and {@code cloneArray} read every source element through the read barrier and
 * write every destination element through the write barrier, with {@code System.arraycopy}'s
 * exact semantics and exceptions ({@link ArrayIntrinsics}). Opacity holds throughout: no attempt,
 * even one that will abort, sees a torn or uncommitted state.
 *
 * <p><b>User code behind an intrinsic never runs silently</b> ({@link Receivers}): a function
 * passed to {@code getAndUpdate}/{@code accumulateAndGet}, the value whose {@code toString} an
 * {@code AtomicReference.toString} calls, and a subclass override of a non-final method run as
 * they are when they are tracked (instrumented code, a lambda of instrumented code, a value type);
 * anything else makes the transaction inevitable first, with the caller's source line as site.
 *
 * <p><b>What it does not guarantee.</b> Threads that use the same atomic object or array
 * <em>outside</em> any transaction are not isolated from transactions (no strong atomicity, as for
 * every field): they may see a transaction's uncommitted value, and a rollback may overwrite
 * their update (a {@code LongAdder} rollback subtracts what the transaction added, so concurrent
 * plain adds survive it; an atomic's rollback restores the old value). The atomics' lock-free
 * progress is not kept inside transactions: a transaction that updates an atomic holds its record
 * until commit, so hot counters serialize their transactions (a {@code LongAdder} update is blind,
 * with no read-set entry, which avoids read/write aborts but not that). No fairness beyond the
 * engine's.
 */
public final class JdkIntrinsics {
  private JdkIntrinsics() {}

  // ---- arrays ---------------------------------------------------------------------------------

  /** {@code System.arraycopy}, element by element through the barriers. */
  public static void arraycopy(Object src, int srcPos, Object dest, int destPos, int length, Txn tx) {
    ArrayIntrinsics.arraycopy(src, srcPos, dest, destPos, length, tx);
  }

  /** {@code array.clone()} for any array type: read through the barriers, the copy is the attempt's own. */
  public static Object cloneArray(Object array, Txn tx) {
    return ArrayIntrinsics.cloneArray(array, tx);
  }
}
