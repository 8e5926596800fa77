/**
 * ame4j's public API: the task queue ({@link org.ame4j.TransactionQueue}, and {@link org.ame4j.Ame}
 * for the default queue and {@code atomic} blocks), explicit transactional cells
 * ({@link org.ame4j.IntRef}, {@link org.ame4j.LongRef}, {@link org.ame4j.Ref}), {@link org.ame4j.Atomic}
 * for the agent, statistics and the conflict report ({@link org.ame4j.Stats},
 * {@link org.ame4j.Conflict}), and the exceptions a run throws.
 *
 * <p>Owns what users call and what it promises (docs/semantics.md). Must not touch: the engine's
 * state, other than through {@code org.ame4j.internal.*}'s public entry points. The dependency
 * goes one way, API to engine: no public type extends an engine type (the cells hold one), and
 * the engine reports through its own types ({@code internal.engine.AbortKind},
 * {@code internal.queue.TaskFailure}, {@code internal.engine.TxnStats}), which this package
 * translates; {@code PackageDependencyTest} (ame4j-agent) fails the build on a cycle.
 */
package org.ame4j;
