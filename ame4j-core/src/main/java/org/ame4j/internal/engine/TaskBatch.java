package org.ame4j.internal.engine;

/**
 * Further tasks that may join a queue task's transaction ({@link Atomically#execute}): after the
 * first task's block returns, its first attempt runs up to {@link #want} more of them, one after
 * another, and commits them all at once. That is the serial order "first task, then each joined
 * task", a legal order of an unordered run (the same rule on any number of workers).
 *
 * <p><b>What it guarantees.</b> Each task's effects happen exactly once: a joined task that
 * throws, calls {@code retry()}, must run inevitable or registers an after-abort action is
 * rolled back alone to its marks (undo log, blind updates, deferred adds and actions; its
 * after-abort actions run, as for any rolled-back attempt) and ends the batch; the tasks before it commit, and the caller runs it alone next,
 * through the ordinary path, so it fails, retries or goes inevitable exactly as it would on its
 * own. A conflict aborts the whole attempt; the re-run is the first task alone (the others stay
 * with the caller), and counts one abort per task it rolled back, so that the statistics and
 * the after-abort actions stay per task. A task that becomes inevitable ends the batch after
 * itself. An after-commit action that throws is reported as its own task's
 * ({@link #taskOfAction}). A task the caller's {@link #mayJoin} refuses ends the batch before
 * it: nothing of it has run.
 *
 * <p><b>What it does not.</b> No ordered runs (consecutive tickets would have to commit at the
 * first one's turn), no {@code Ame.atomic} blocks: the caller passes a batch only for unordered
 * queue tasks.
 */
public abstract class TaskBatch {
  /** In: how many further tasks the first attempt may run after the first one. */
  protected int want;
  /** Out: how many further tasks committed with the first (0 unless the transaction committed). */
  int extras;
  /** Out: the batch ended at a task rolled back alone, which must run alone next. */
  boolean split;
  /** Further tasks begun in the running attempt (each counts an abort if the attempt aborts). */
  int begun;
  /** Out: the conflict aborts of the transaction that committed. */
  int aborts;

  /** {@code commitMarks[i]}: after-commit actions registered before further task i started. */
  private int[] commitMarks = new int[16];

  void markCommitActions(int task, int count) {
    if (task >= commitMarks.length) {
      commitMarks = java.util.Arrays.copyOf(commitMarks, Math.max(task + 1, 2 * commitMarks.length));
    }
    commitMarks[task] = count;
  }

  /** Which task of the committed transaction (0 = the first) registered after-commit action {@code i}. */
  int taskOfAction(int i) {
    int task = 0;
    for (int t = 1; t <= extras; t++) {
      if (commitMarks[t] <= i) {
        task = t;
      }
    }
    return task;
  }

  /** Tasks after the first that committed in its transaction (read after {@code execute}). */
  public final int extras() {
    return extras;
  }

  /** True if the committed transaction ended at a task that was rolled back alone ({@link #extras()} + 1). */
  public final boolean split() {
    return split;
  }

  /** Conflict aborts before the transaction committed (read after {@code execute} returned). */
  public final int aborts() {
    return aborts;
  }

  /** Sets {@link #want} and clears the outputs, before each {@code execute}. */
  public final void prepare(int want) {
    this.want = want;
    this.extras = 0;
    this.aborts = 0;
    this.split = false;
  }

  /** Runs further task {@code i} (1 for the first after the block, up to {@link #want}). */
  protected abstract void runExtra(int i);

  /**
   * True if further task {@code i} may start inside the running transaction: its start cannot
   * block outside the engine while the batch holds locks (the caller's rule). False ends the
   * batch before it; it then starts the next transaction, holding nothing.
   */
  protected abstract boolean mayJoin(int i);
}
