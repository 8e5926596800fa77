/**
 * The task queue behind {@code TransactionQueue}: pending tasks in add order ({@code QueueCore},
 * {@code TaskList}, {@code RangeTask}), parallel runs on worker threads, each task a transaction
 * ({@code ParallelRun}, {@code Worker}; ordered runs commit in add order), the serial run, and the
 * warning printed when tasks run without the agent.
 *
 * <p>Owns scheduling, workers and the order of commits in ordered runs. Must not touch: the
 * public API (a failed task is reported as {@code TaskFailure}, which {@code TransactionQueue}
 * turns into the public exception); transactions only through the engine's entry points.
 */
package org.ame4j.internal.queue;
