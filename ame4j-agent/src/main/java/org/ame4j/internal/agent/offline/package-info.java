/**
 * The agent jar as a command ({@code java -jar ame4j-agent.jar instrument | jdk-patch}): jar and
 * directory instrumentation ahead of time, with the class bytes of the input, the
 * {@code --classpath} and the JDK as the hierarchy source, producing the same bytes as the
 * load-time agent for the same inputs.
 *
 * <p>Owns: the command line, reading and writing jars and directories, and the offline class
 * path. Must not touch: rewriting (it reads only a class file's name, hands the file to
 * {@code instr} and writes back what it gets), the {@code Instrumentation} API (there is no
 * running agent), or {@code rt}.
 */
package org.ame4j.internal.agent.offline;
