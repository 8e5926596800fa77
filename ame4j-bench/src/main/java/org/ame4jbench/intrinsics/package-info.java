/**
 * Benchmarks that must run <em>under the agent</em>: plain Java code whose calls reach the
 * agent's stand-ins ({@link org.ame4jbench.intrinsics.IntrinsicCost}). Not under
 * {@code org.ame4j}, because the agent never instruments ame4j's own packages; nothing here is
 * called by ame4j.
 */
package org.ame4jbench.intrinsics;
