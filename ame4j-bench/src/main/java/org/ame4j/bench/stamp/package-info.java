/**
 * The STAMP-style suite ({@code Suite}): Synchrobench's integer sets, the bank and STAMP's
 * workloads, each run in every variant that applies (plain sequential, under the agent, ame4j's
 * explicit API, the peer STMs, one global lock, java.util.concurrent), each (workload, variant)
 * pair in its own JVM, every result checked.
 *
 * <p>Owns the workloads' drivers, checks and the report. The algorithms live once per API style:
 * plain Java in {@code org.ame4jbench.plain}, cell-based in {@code stamp.cells}.
 */
package org.ame4j.bench.stamp;
