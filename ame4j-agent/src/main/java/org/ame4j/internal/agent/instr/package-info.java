/**
 * The twin rewriting: {@link org.ame4j.internal.agent.instr.TwinTransformer} turns one class file
 * into one class file (bytes in, bytes out, no class loading) in which every method has a
 * transactional twin whose shared-memory accesses go through barriers and whose calls reach
 * twins; {@link org.ame4j.internal.agent.instr.ClassInstrumenter} wraps it with the agent's
 * include rules, shared by the load-time agent and the offline instrumenter. Both return an
 * {@link org.ame4j.internal.agent.instr.Instrumented} result (outcome, class file, reason) and
 * report nothing themselves. Its parts: the twin body and call rewriting, trampolines, the
 * fallback for classes that cannot be rewritten, {@code @Atomic} methods, the call policy (what
 * is instrumented and what runs untracked). What differs between application classes and JDK
 * classes twinned for the java.base patch is asked of a
 * {@link org.ame4j.internal.agent.instr.Target} ({@link org.ame4j.internal.agent.instr.Target#APPLICATION}
 * here, the patch's own in {@code jdkpatch}), never of a flag.
 *
 * <p>Owns: the shape of emitted code and every name it links against in the engine and in
 * {@code rt} ({@link org.ame4j.internal.agent.instr.RuntimeContract}). Must not touch: {@code java.lang.instrument} (it never sees a running JVM) or
 * the engine's state (emitted code calls the engine; this package only names it). The analyses
 * it needs (frames, basic blocks, the class hierarchy from bytes) are in {@code instr.analysis},
 * the barrier optimisations in {@code elision}, which see the class and the twin through their
 * own interfaces ({@code ClassFacts}, {@code TwinSite}): {@code instr} depends on {@code elision},
 * {@code analysis} and {@code rt}, and on nothing of {@code jdkpatch}, {@code entry} or
 * {@code offline} ({@code PackageDependencyTest}).
 */
package org.ame4j.internal.agent.instr;
