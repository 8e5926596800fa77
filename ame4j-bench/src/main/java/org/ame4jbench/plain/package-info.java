/**
 * The plain-Java side of the STAMP-style suite ({@code org.ame4j.bench.stamp}): ordinary
 * single-threaded data structures and workload steps, with no synchronisation and no
 * transactional API. The suite runs them as they are (the sequential baseline), under one global
 * monitor, and under the ame4j agent with each operation a task (the "automatic" variant).
 *
 * <p>Why this package is not under {@code org.ame4j}: the agent never instruments
 * {@code org/ame4j/**} (the API, the engine and the agent themselves, with no exception), so
 * plain code there would run untracked inside transactions. Everything here
 * must stay plain: no locks, no {@code org.ame4j} calls, no JDK collections in the hot paths
 * (until the java.base patch lands they make a transaction inevitable).
 */
package org.ame4jbench.plain;
