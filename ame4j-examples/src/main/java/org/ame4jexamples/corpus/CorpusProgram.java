package org.ame4jexamples.corpus;

import java.util.function.IntConsumer;
import org.ame4j.TransactionQueue;

/**
 * One program of the agent corpus: an ordinary sequential Java program over plain fields,
 * arrays and statics, whose main loop exists in two forms that differ only in the loop itself.
 *
 * <pre>
 *   runSequential():          for (int i = 0; i &lt; n; i++) work(i);
 *   runTasks(q, workers):     for (int i = 0; i &lt; n; i++) { int k = i; q.add(() -&gt; work(k)); }
 *                             q.run(workers);
 *   runRangeTasks(q, workers): q.addRange(0, n, i -&gt; work(i)); q.run(workers);
 *   runChunkedTasks(q, w, K): for (int i = 0; i &lt; n; i += K) {
 *                               int lo = i, hi = Math.min(n, i + K);
 *                               q.add(() -&gt; { for (int k = lo; k &lt; hi; k++) work(k); });
 *                             }
 *                             q.run(w);
 * </pre>
 *
 * Worklist programs also turn {@code worklist.add(v)} inside the body into {@code q.add(() ->
 * body(v))}: tasks add tasks. Nothing else changes, and no ame4j type appears in the data: the
 * {@code ame4j-agent} makes the plain accesses transactional (run it with {@code -javaagent}, see
 * {@link CorpusMain}). Without the agent, {@code runTasks} on more than one worker is a plain data
 * race, and ordered runs are not ordered at all.
 *
 * <p>What a program promises: {@link #runTasks} with {@link TransactionQueue#ordered()} leaves
 * exactly the state {@link #runSequential} leaves, so {@link #fingerprint()} is equal (on any
 * number of workers); with an unordered queue the state is that of <em>some</em> serial order of
 * the tasks, which {@link #check()} verifies through the program's invariants. A program object
 * is used for one run: build a new one (same size and seed) for the next.
 */
public interface CorpusProgram {
  /** The original program: the loop runs on this thread, one iteration after another. */
  void runSequential();

  /**
   * The same loop with each iteration queued as a task on {@code q}, then {@code q.run(workers)}
   * (possibly several queue runs, e.g. one per k-means iteration).
   */
  void runTasks(TransactionQueue q, int workers);

  /**
   * The same tasks as {@link #runTasks}, queued with {@link TransactionQueue#addRange} where the
   * loop is a plain index loop (one queue entry instead of a lambda and an insert per
   * iteration). Programs whose loop is not one (worklists) run {@link #runTasks}.
   */
  default void runRangeTasks(TransactionQueue q, int workers) {
    runTasks(q, workers);
  }

  /**
   * The same loop with one task per {@code chunk} consecutive iterations, the way a real user of
   * a task queue sizes tasks (a task that does 10 ns of work cannot pay for its own start and
   * commit). Worklist programs queue the items a task schedules as tasks of up to {@code chunk}
   * items each, in order, so that the concatenation of the queued chunks is always the sequential
   * FIFO: an ordered run still equals {@link #runSequential} exactly. {@code chunk == 1} is
   * {@link #runTasks}.
   */
  void runChunkedTasks(TransactionQueue q, int workers, int chunk);

  /** A digest of the whole final state; equal states give equal fingerprints. */
  String fingerprint();

  /** Null if every invariant of the program holds in the final state, else what is broken. */
  String check();

  /** Counters worth printing next to the result (may be empty). */
  default String summary() {
    return "";
  }

  /**
   * {@link #addLoop}, then {@code q.run(workers)}: {@link #runTasks} ({@code chunk == 1}) and
   * {@link #runChunkedTasks} of a program whose loop is an index loop (run once, or once per
   * outer iteration as in k-means and the heat stencil).
   */
  static void runLoop(TransactionQueue q, int workers, int n, int chunk, IntConsumer body) {
    addLoop(q, n, chunk, body);
    q.run(workers);
  }

  /**
   * Queues {@code body(0) .. body(n - 1)} on {@code q} as the loop of adds a flat program writes:
   * one task per index ({@code chunk == 1}) or one task per {@code chunk} consecutive indices.
   */
  private static void addLoop(TransactionQueue q, int n, int chunk, IntConsumer body) {
    for (int i = 0; i < n; i += chunk) {
      int lo = i;
      int hi = Math.min(n, i + chunk);
      q.add(() -> {
        for (int k = lo; k < hi; k++) {
          body.accept(k);
        }
      });
    }
  }
}
