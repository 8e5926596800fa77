/**
 * Read-only analyses of class files that the rewriting and the barrier optimisations share:
 * stack map frames ({@link org.ame4j.internal.agent.instr.analysis.Frames}), basic blocks
 * ({@link org.ame4j.internal.agent.instr.analysis.BasicBlocks}), the class hierarchy resolved
 * from class bytes, never by loading classes
 * ({@link org.ame4j.internal.agent.instr.analysis.Hierarchy}), and where a value on the stack
 * comes from within a method ({@link org.ame4j.internal.agent.instr.analysis.ValueOrigins}).
 *
 * <p>Owns: facts about the input bytecode. Must not touch: emitted code (it adds no
 * instruction), any other agent package, the engine or {@code rt}; it depends on ASM only.
 */
package org.ame4j.internal.agent.instr.analysis;
