/**
 * The suite's transactional algorithms written once against one cell API ({@code Stm}), with
 * one adapter per system: ame4j's explicit cells, ScalaSTM, Multiverse, Clojure refs.
 *
 * <p>Owns the cell-based data structures and the adapters. Must not touch: the plain algorithms
 * ({@code org.ame4jbench.plain}), which must stay free of any transactional API.
 */
package org.ame4j.bench.stamp.cells;
