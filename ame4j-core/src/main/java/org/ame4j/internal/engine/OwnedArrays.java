package org.ame4j.internal.engine;

/**
 * Arrays known born from the object that holds them (issue 14, session 13): an array a twin loads
 * from a <em>fresh-array field</em> (the agent's {@code FreshArrayFields}: every store to the
 * field stores a new array or null) of an object born owned by the running attempt at its running
 * nesting level is itself born at that level. The agent hands it to the hoisted checks of the
 * element sites it reaches ({@code HoistedChecks}: the read sites' {@code checked}, the store
 * sites' {@code born} locals), so those sites access it with one reference compare, and no
 * capture-set lookup ({@link FreshObjects}) ever asks about it in that invocation.
 *
 * <p><b>Why it is sound.</b> The object's word equals {@link Txn#freshWord}: the attempt allocated
 * it, at the running level or in a nested block that has ended (whose objects the enclosing level
 * took over, {@link Txn#leaveNested}). Every store to the field happened after that allocation,
 * so in this attempt, at the running level or in a block of it that began later: a block of it
 * still running would mean the running level is deeper. Each store stored an array its frame had
 * just allocated (or null); a frame keeps one nesting level (blocks are entered and left around
 * calls, {@code Atomically.nested}), so the array was allocated at the level that stored it. A
 * later block that failed had its store undone: the object was an outer level's then, so the
 * store logged the field's old value. So the field holds an array born at the running level or
 * in a block it took over: nobody else can reach it before the commit, and a failure of the
 * running level discards it with everything else the level allocated. Writes untracked by the
 * barriers (reflection and the other untracked paths) make the attempt inevitable first
 * ({@link Txn#runUntracked}): an inevitable attempt is never trusted here. Arrays passed on to
 * callees are found by their own barriers through the capture set as before (the array is still
 * recorded there when allocated).
 *
 * <p><b>Objects with the java.base patch's record</b> (issue 14, session 14: {@code HashMap.table}
 * in the patch's twins, application classes extending a patched JDK class): the site passes the
 * owner's record ({@link JdkRecord}, a {@link TxObject} born owned when a twin constructor made
 * the owner in this attempt) as {@code owner}; the argument is the same with the record's word
 * for the object's. <b>Not covered</b>: objects with neither (a JDK subclass outside the patch):
 * {@link #bornIn} answers "not known" for them.
 */
public final class OwnedArrays {
  private OwnedArrays() {}

  /**
   * {@code array}, just loaded from a fresh-array field of {@code owner}, if {@code owner} is born
   * owned by {@code tx} at its running level and {@code tx} is not inevitable; else null.
   */
  public static Object bornIn(Object owner, Object array, Txn tx) {
    if (owner instanceof TxObject o && o.meta == tx.freshWord && !tx.inevitable) {
      return array;
    }
    return null;
  }

  /** What a site's hoisted-check local keeps: {@code born} when known, else what it held. */
  public static Object keep(Object born, Object kept) {
    return born != null ? born : kept;
  }
}
