/**
 * Barrier optimisations applied to a twin's body before the barriers are emitted: stable fields
 * (private fields written only at construction, read without barrier,
 * {@link org.ame4j.internal.agent.elision.StableFields}), fresh-array fields (private array
 * fields that only ever hold a new array, so a born owner's array is born,
 * {@link org.ame4j.internal.agent.elision.FreshArrayFields}), accesses of locations the transaction
 * already holds or already read in the same basic block
 * ({@link org.ame4j.internal.agent.elision.BarrierElision}), and blind updates ({@code x += d}
 * as one read-for-write or deferred delta,
 * {@link org.ame4j.internal.agent.elision.BlindUpdatePatterns}).
 *
 * <p>Owns: the decision which access needs which barrier, and why that is sound with
 * encounter-time locking and write-through. Must not touch: class-level structure (twins,
 * trampolines, calls are {@code instr}'s), the engine's state, or {@code rt}. It sees the class and
 * the twin being rewritten through {@link org.ame4j.internal.agent.elision.ClassFacts} and
 * {@link org.ame4j.internal.agent.elision.TwinSite}, which {@code instr} implements, and depends on
 * {@code instr.analysis} only: no package cycle with {@code instr}.
 */
package org.ame4j.internal.agent.elision;
