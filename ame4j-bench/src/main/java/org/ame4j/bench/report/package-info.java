/**
 * Turns benchmark results (JMH's JSON, the harnesses' CSV) into the Markdown tables and PNG
 * charts of docs/benchmarks.md, with no dependency beyond the JDK.
 *
 * <p>Owns formatting and plotting; measures nothing.
 */
package org.ame4j.bench.report;
