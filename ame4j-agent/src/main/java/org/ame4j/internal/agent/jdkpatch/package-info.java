/**
 * The java.base patch: a directory for {@code --patch-module java.base=<dir>} with twins for a
 * list of JDK classes ({@link org.ame4j.internal.agent.jdkpatch.JdkPatch}), the bridge class
 * through which patched JDK code reaches the agent's runtime without java.base reading the class
 * path ({@link org.ame4j.internal.agent.jdkpatch.JdkBridge}, with the rewriting of lambdas and
 * of references to {@code org.ame4j} classes that java.base code needs), and what the agent does
 * at start when the JVM runs with such a patch
 * ({@link org.ame4j.internal.agent.jdkpatch.JdkPatchStartup}: key check, module opens, linker).
 * The twin rewriting is {@code instr}'s, asked through the patch's
 * {@link org.ame4j.internal.agent.jdkpatch.JavaBaseTarget} wherever JDK classes differ (twins
 * only, relocation, lambdas); {@code instr} does not depend on this package.
 *
 * <p>Owns: the patch's contents, its key (JDK build and agent version) and the java.base side
 * of the bridge. Must not touch: application classes (those are {@code instr}'s through the
 * load-time or offline path) or the engine's state.
 */
package org.ame4j.internal.agent.jdkpatch;
