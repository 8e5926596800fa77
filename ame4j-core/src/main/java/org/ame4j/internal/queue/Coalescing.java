package org.ame4j.internal.queue;

/**
 * How many consecutive tasks of its batch a worker runs as one transaction ({@code TaskBatch}):
 * a small task pays a whole transaction (begin, commit's clock tick and lock release, the logs'
 * reset, the task's dispatch), and k tasks in one transaction pay it once.
 *
 * <p>The size adapts per worker, because the best size depends on the tasks and on contention:
 * it doubles after a transaction of the full size that committed at its first attempt within
 * half the time cap, halves after an abort (a conflict re-runs the whole batch's work: on
 * contention the size goes back towards one task) and after a transaction longer than the cap
 * ({@code ame4j.batch.micros}: long tasks stay alone, so an abort never loses much work and
 * the last tasks of a run still spread over all workers). At size 1 there is no timing (a clock
 * read costs as much as a small task): it grows to 2 after {@link #GROW_AFTER} clean commits, and
 * the first timed transaction of long tasks takes it back.
 *
 * <p>{@code ame4j.batch} is the largest size (1 turns coalescing off); {@link BatchChoice} decides,
 * by timing windows of tasks both ways, whether the worker coalesces at all; {@code ame4j.batch.fixed}
 * is a test mode that always takes the largest. A task joins only if {@link TaskEntries} lets it
 * (under the agent: its entry is tracked code). Ordered runs never
 * coalesce: a batch would commit consecutive tickets at the first one's turn, not measured.
 * Not thread-safe: one per worker.
 */
final class Coalescing {
  /**
   * The largest number of tasks per transaction ({@code -Dame4j.batch}); 1, the default, turns
   * coalescing off: the bank gains, but k-means lost 13-34 % and sssp 4 % with it even when each
   * worker chooses by measurement ({@link BatchChoice}; DESIGN-NOTES, "Per-task cost (session
   * 10)"). Only tasks whose start the engine tracks join a transaction ({@link TaskEntries}).
   */
  static final int MAX = Math.max(1, Math.min(Worker.BATCH, Integer.getInteger("ame4j.batch", 1)));
  /** The time cap of a transaction of several tasks ({@code -Dame4j.batch.micros}). */
  static final long CAP_NANOS = Long.getLong("ame4j.batch.micros", 20L) * 1000L;
  /**
   * Test mode ({@code -Dame4j.batch.fixed=true}, or set by a test): every transaction takes this
   * many tasks when available, without adapting, so that the checks see large batches. 0: adapt.
   */
  static int fixed = Boolean.getBoolean("ame4j.batch.fixed") ? MAX : 0;
  /** Clean single-task commits before trying two tasks per transaction. */
  static final int GROW_AFTER = 4;

  private int size = 1;
  private int clean;
  /** Whether to coalesce at all, measured ({@link BatchChoice}); null: always. */
  private final BatchChoice choice =
      BatchChoice.ON && MAX > 1 ? new BatchChoice(System.nanoTime()) : null;

  /** Tasks to run in the next transaction, given {@code available} queued on this worker. */
  int next(int available) {
    int f = fixed;
    if (f > 0) {
      return Math.min(f, available);
    }
    return choice == null || choice.coalesce() ? Math.min(size, available) : 1;
  }

  /** After each transaction: {@code tasks} tasks ran in it (see {@link BatchChoice#ran}). */
  void ran(int tasks) {
    if (choice != null) {
      choice.ran(tasks);
    }
  }

  /** The size now (for tests and diagnostics). */
  int size() {
    return size;
  }

  /**
   * After a transaction that committed {@code ran} tasks (of {@code planned}) with
   * {@code aborts} conflict aborts, in {@code nanos} (negative: untimed).
   */
  void committed(int planned, int ran, int aborts, long nanos) {
    if (aborts > 0) {
      size = Math.max(1, size >> 1);
      clean = 0;
    } else if (nanos > CAP_NANOS) {
      size = Math.max(1, size >> 1);
    } else if (ran < planned || ran < size) {
      return; // cut short (a task ran alone, the worker's batch ran out): no evidence
    } else if (size == 1) {
      if (++clean >= GROW_AFTER && MAX > 1) {
        size = 2;
        clean = 0;
      }
    } else if (nanos >= 0 && nanos < CAP_NANOS / 2) {
      size = Math.min(MAX, size << 1);
    }
  }
}
