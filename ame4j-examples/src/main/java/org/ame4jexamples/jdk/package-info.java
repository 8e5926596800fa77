/**
 * Plain programs over JDK collections inside tasks ({@code JdkWorkloads}: word counts over a
 * shared {@code HashMap}) and the start-up probe, for the java.base patch's tests and benchmarks.
 *
 * <p>Owns those workloads only; they use no ame4j type in their data.
 */
package org.ame4jexamples.jdk;
