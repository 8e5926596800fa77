/**
 * The STM engine: transaction descriptors ({@code Txn}: read set, lock set, undo log; begin,
 * validation, commit, rollback, nesting, inevitability), the ownership records (the striped
 * table {@code Orecs}, objects' own words in {@code TxObject}, cells' in {@code TxCell}, arrays'
 * records by stripe in {@code ArrayStripes}), the clock, contention management, and the barriers
 * that instrumented code calls ({@code FieldBarriers}: the table path's reads and allocation;
 * {@code SiteBarriers} and {@code RecordBarriers}: per-site reads and writes of objects' and JDK
 * records' words; {@code FieldWrites}: one-call writes; {@code BornArrayWrites}: element stores in
 * loops that keep a born array; {@code OwnedArrays}: arrays a born owner's fresh-array field hands
 * to element sites; {@code BlindAdds}: {@code x += d};
 * {@code FieldLocks}: the write locks they share; {@code ElementBarriers}, {@code JdkBarriers}).
 *
 * <p>Owns every protocol that keeps transactions serializable and opaque (the class comments of
 * {@code Txn} and the barriers give the argument). Must not touch: the public API
 * ({@code org.ame4j}) or the queue; it reports through its own types ({@code AbortKind},
 * {@code TxnStats}, {@code TaskSink}) and calls {@code internal.diag} only behind
 * {@code Diagnostics.ON}. The agent's emitted code depends on the names here: each one it calls
 * is listed in the agent's {@code RuntimeContract} and checked by reflection.
 */
package org.ame4j.internal.engine;
