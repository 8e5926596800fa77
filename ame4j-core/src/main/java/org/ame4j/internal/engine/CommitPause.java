package org.ame4j.internal.engine;

/**
 * Writers' commits wait while a long reader re-runs without a read log ({@link Txn#beginPaused}).
 *
 * <p><b>Why.</b> A long reader (the corpus bank's audit: 1,024 accounts, then three fields of the
 * bank) that keeps failing validation against steady short writers used to re-run as the
 * inevitable transaction, which locks every record it reads: 1,024 compare-and-sets and release
 * stores, and every writer that touches an account read so far waits for the whole audit or is
 * killed. A re-run that reads while no other transaction <em>commits</em> needs neither locks nor
 * a log: every unlocked record then holds its committed value, and nothing it read can change
 * before its own commit. So the re-run pauses commits instead: the other workers run their tasks
 * on, and only a writer that reaches its commit waits, for the rest of the reader's attempt (an
 * audit read unlogged: a few microseconds).
 *
 * <p><b>Protocol.</b> The paused reader holds the inevitable token (so there is at most one, and
 * no inevitable or serial transaction runs beside it), stores its id into {@link #holder}
 * (volatile), then reads the clock ({@code t0}). A writer waits while another descriptor holds
 * the pause <em>before</em> taking its stamp ({@link #awaitBeforeStamp}), and looks again right
 * after the stamp ({@link #heldAgainst}): the stamp is an atomic add, so either its add comes
 * before the reader's clock read (stamp {@code <= t0}: it locked its records before that and
 * releases them; the reader waits for those locks and reads the committed values), or the
 * writer's second look sees the pause and the writer aborts, restoring what it wrote in place (a
 * rollback's new stamp changes no value). Waiting writers keep their locks; a reader that needs
 * one kills the owner as the inevitable transaction does, and the owner sees the kill in its wait.
 * No writer therefore commits between {@code t0} and the reader's commit, which serializes the
 * reader there; the stamps stay in commit order (a writer that would commit after the reader
 * with a smaller stamp aborts instead).
 *
 * <p><b>When.</b> In place ({@link Txn#pauseInPlace}): a logged attempt that has read
 * {@code ame4j.longReader.reads} records (256) and written nothing pauses from its next read on,
 * if the token is free; what it read before is current if the clock has not moved since its
 * snapshot (one worker: always), else its log is validated once, and a failure aborts it and
 * its re-run pauses from the start. Or in a re-run ({@link Txn#beginPaused}), after
 * {@code ame4j.longReader.aborts} losses to writers. So a long reader pauses others for its
 * reads past the 256th only, where the re-run alone paused them for a whole attempt after two
 * lost ones.
 *
 * <p><b>Does not</b> stop the other workers' tasks, reads or read-only commits, nor writers of
 * other queues that never commit meanwhile; it stops every writer's commit for the rest of the
 * reader's attempt. A task that writes early (a transfer) never pauses: a pause needs a long read
 * before any write.
 */
final class CommitPause {
  /** {@link #holder} when no descriptor pauses commits (descriptor ids are never negative). */
  private static final int NONE = -1;

  // Padded: every writing commit reads the holder twice, so no line a worker writes per task may
  // hold it (DESIGN-NOTES, "What two workers share per task"). An id, not a reference: HotSpot
  // lays a class's static primitives out by size, longs first, then ints, each size in
  // declaration order, so 64 bytes of longs come before it and 64 of ints after it.
  @SuppressWarnings("unused") private static long p01, p02, p03, p04, p05, p06, p07, p08;
  /** The id of the descriptor whose attempt pauses commits, or {@link #NONE}. Written only by its holder. */
  private static volatile int holder = NONE;
  /**
   * With the conflict report on: the site of the descriptor that began the latest pause, at the
   * moment it began ({@link #holderSite}). Written before {@link #holder} (on the same line: both
   * are written only when a pause begins), never cleared.
   */
  private static int startSite;
  @SuppressWarnings("unused") private static int q01, q02, q03, q04, q05, q06, q07, q08;
  @SuppressWarnings("unused") private static int q09, q10, q11, q12, q13, q14, q15, q16;

  private CommitPause() {}

  /** Starts the pause for {@code tx}, which holds the inevitable token (the caller reads the clock next). */
  static void start(Txn tx) {
    if (Diagnostics.ON) {
      startSite = tx.diag.site(); // before the holder: a writer that sees the pause sees its site
    }
    holder = tx.id; // volatile store, then the caller's volatile clock read (see the class comment)
  }

  /** Ends {@code tx}'s pause, after its locks are released. */
  static void end(Txn tx) {
    if (holder == tx.id) {
      holder = NONE;
    }
  }

  /** True while a descriptor other than {@code tx} pauses commits. */
  static boolean heldAgainst(Txn tx) {
    int h = holder;
    return h != NONE && h != tx.id;
  }

  /**
   * For the conflict report: the line a writer that saw a pause ({@link #heldAgainst}) names as
   * its other side, the site at which the reader began pausing commits (its read that paused in
   * place, or for a re-run that pauses from its start the line its previous attempt lost at).
   * Published with the pause, so a writer that saw the pause finds it however soon the pause ends
   * after that look: the pause's own site, or (if another pause began since) a later paused
   * reader's, never none once a pause began. The reader's site <em>now</em> would be racy: its
   * pause may be over and the thread on to another task, or (looked up by the holder's id) gone.
   * 0 before the first pause, or with the report off.
   */
  static int holderSite() {
    return startSite;
  }

  /**
   * Waits, before {@code tx} takes its commit stamp, while another descriptor pauses commits;
   * aborts if {@code tx} is killed meanwhile (the paused reader needs one of its locks).
   */
  static void awaitBeforeStamp(Txn tx) {
    for (int i = 0; ; i++) {
      int id = holder;
      if (id == NONE || id == tx.id) {
        return;
      }
      tx.checkAlive();
      Txn h = TxnRegistry.lookup(id); // null once collected: its pause is long over
      if (h == null) {
        Backoff.await(i, tx, null, 0L);
      } else {
        Backoff.await(i, tx, h, h.statusWord() & ~3L); // the holder's end wakes a parked writer
      }
    }
  }
}
