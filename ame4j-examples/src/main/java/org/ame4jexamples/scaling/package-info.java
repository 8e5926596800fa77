/**
 * The program of the guide "Why doesn't my program scale" (docs/scaling.md): a word count whose
 * tasks share one {@code HashMap}, and the same count with one map per task merged after the
 * run. Run it with {@code ./ame run -Dame4j.report=true} to see the conflict report.
 */
package org.ame4jexamples.scaling;
