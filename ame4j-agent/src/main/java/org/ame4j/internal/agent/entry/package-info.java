/**
 * Where the JVM enters the agent: {@code premain} ({@link
 * org.ame4j.internal.agent.entry.AgentMain}), the agent options and their wildcard rules, the
 * load-time {@code ClassFileTransformer} (one instrumenter per class loader) and the log through
 * which the agent and the offline instrumenter tell the user what they did ({@code ame4j: }
 * lines, the {@code verbose} summary).
 *
 * <p>Owns: start-up order (the java.base patch's start-up first, then the transformer) and the
 * translation of JVM callbacks into calls of {@code instr}. Must not touch: bytecode (no ASM
 * here; rewriting is {@code instr}'s), the engine, or the runtime glue in {@code rt}.
 */
package org.ame4j.internal.agent.entry;
