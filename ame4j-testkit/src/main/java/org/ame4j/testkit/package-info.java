/**
 * What the integration tests of every module share: {@link org.ame4j.testkit.ChildJvm}, the one
 * way they start a child JVM (with or without the agent and the java.base patch) or another
 * command, and read what it printed.
 *
 * <p>Owns: process start, environment, timeouts, output capture, the locations the build passes
 * in (the agent jar). Must not touch: ame4j itself (it depends on the JDK only, so that
 * ame4j-core's tests can use it too); it is a test-scope dependency, never shipped.
 */
package org.ame4j.testkit;
