/**
 * What the integration tests of every module share: {@link org.ame4j.testkit.ChildJvm}, the one
 * way they start a child JVM (with or without the agent and the java.base patch) or another
 * command, and read what it printed; {@link org.ame4j.testkit.ResultLine}, the one parser of the
 * {@code RESULT key=value …} lines the examples' and benchmarks' children print (also used by
 * ame4j-bench's agent-overhead harness); {@link org.ame4j.testkit.Patience}, the time limits
 * that a loaded machine stretches and a hang still runs out of, applied to whole JUnit tests by
 * {@link org.ame4j.testkit.HangGuard} (in place of fixed {@code @Timeout}s), and
 * {@link org.ame4j.testkit.ThreadDumps}, the thread dump a test that gives up waiting reports.
 *
 * <p>Owns: process start, environment, time limits and thread dumps, output capture, the result-line protocol, the
 * locations the build passes in (the agent jar). Must not touch: ame4j itself (it depends on the
 * JDK only at run time, so that ame4j-core's tests can use it too; JUnit's API is provided, for
 * {@code HangGuard}); a test-scope dependency everywhere but in ame4j-bench (a harness, never
 * published); never shipped.
 */
package org.ame4j.testkit;
