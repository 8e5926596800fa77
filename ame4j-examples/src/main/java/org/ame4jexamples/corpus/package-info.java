/**
 * The agent corpus: ordinary sequential programs over plain fields, arrays and statics
 * ({@code CorpusProgram}; the list is {@code Corpus}), each with its main loop also as tasks
 * (one shared helper, {@code CorpusProgram.runLoop}), run by {@code CorpusMain} in a child JVM
 * under the agent by the integration tests and by ame4j-bench's agent-overhead harness, which
 * read its {@code RESULT} lines.
 *
 * <p>Owns the programs, their invariants ({@code check}) and fingerprints. Must not touch:
 * ame4j's API inside the programs' data (no ame4j type appears in it); only the loops queue tasks.
 */
package org.ame4jexamples.corpus;
