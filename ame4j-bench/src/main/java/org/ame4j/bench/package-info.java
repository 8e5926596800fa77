/**
 * The benchmarks of ame4j against its peers and itself: JMH benchmarks ({@code SmallTxBench},
 * {@code BarrierBench}, {@code BankBench}, …), CPU-time harnesses for loaded machines
 * ({@code BarrierCost}), whole-program harnesses that start child
 * JVMs ({@code AgentOverhead}, {@code RedisBench}, {@code JdkPatchBench}) and the parallelism
 * probe that every 2-worker figure comes with ({@code ParallelismProbe}). How to run them and
 * their published results: ame4j-bench/README.md and docs/benchmarks.md.
 *
 * <p>Owns measurement only: never called by ame4j, never published. Code that must run under
 * the agent lives outside {@code org.ame4j} ({@code org.ame4jbench.*}), since the agent never
 * instruments ame4j's own packages.
 */
package org.ame4j.bench;
