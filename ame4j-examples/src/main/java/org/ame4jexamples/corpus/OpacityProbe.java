package org.ame4jexamples.corpus;

import java.util.concurrent.atomic.AtomicLong;
import org.ame4j.Ame;
import org.ame4j.TransactionQueue;

/**
 * Opacity probe under the agent (docs/semantics.md, "Guarantees"): no attempt of a task, not
 * even one that will be rolled back, may observe a state that no serial order produces. Every mover keeps {@code x + y
 * == 0} and {@code cells[0] + cells[1] == 0} (plain statics and a plain {@code int[]}), updating
 * one half, computing a while, then the other; every auditor reads the two halves with work in
 * between and records whether they add up.
 *
 * <p>How a broken observation is counted matters. The count must survive the attempt's rollback
 * and must not change the attempt: a plain field would be rolled back with it, and calling into
 * the JDK (e.g. {@code AtomicLong.incrementAndGet()} directly) makes the attempt inevitable
 * <em>before</em> the call, which re-runs it from the start as the one inevitable transaction,
 * so a zombie's observation would never be counted. So an auditor that sees a broken invariant
 * registers {@link #countBroken} both with {@link Ame#afterAbort} and {@link Ame#afterCommit}:
 * whichever way the attempt ends, the action runs once, outside any transaction, and increments
 * {@link #BROKEN}, an {@link AtomicLong} reached through a {@code static final} field (final
 * statics are not tracked). {@link #check()} demands zero.
 */
public final class OpacityProbe implements CorpusProgram {
  static final AtomicLong BROKEN = new AtomicLong();
  static final AtomicLong AUDITED = new AtomicLong();
  static final AtomicLong ROLLED_BACK_AUDITS = new AtomicLong();

  static long x;
  static long y;
  static int[] cells = new int[2];

  private final int operations;

  public OpacityProbe(int operations, long seed) {
    this.operations = operations;
    x = seed;
    y = -seed;
    cells = new int[] {(int) seed, (int) -seed};
    BROKEN.set(0);
    AUDITED.set(0);
    ROLLED_BACK_AUDITS.set(0);
  }

  /** The loop body: every third operation audits, the others move. */
  void operation(int i) {
    if (i % 3 == 0) {
      audit();
    } else {
      move(1 + i % 7);
    }
  }

  static void move(int k) {
    x += k;
    cells[0] += k;
    k += spin(k) == -1 ? 1 : 0; // never true: widens the window between the two halves
    y -= k;
    cells[1] -= k;
  }

  static void audit() {
    long a = x;
    int c0 = cells[0];
    a += spin((int) a) == -1 ? 1 : 0;
    long b = y;
    int c1 = cells[1];
    if (a + b != 0 || c0 + c1 != 0) {
      Ame.afterAbort(OpacityProbe::countBroken);
      Ame.afterCommit(OpacityProbe::countBroken);
    }
    Ame.afterCommit(OpacityProbe::countAudit);
    Ame.afterAbort(OpacityProbe::countRolledBackAudit);
  }

  static void countBroken() {
    BROKEN.incrementAndGet();
  }

  static void countAudit() {
    AUDITED.incrementAndGet();
  }

  static void countRolledBackAudit() {
    ROLLED_BACK_AUDITS.incrementAndGet();
  }

  private static long spin(int seed) {
    long s = seed;
    for (int i = 0; i < 300; i++) {
      s = s * 31 + i;
    }
    return s == -1 ? 0 : 1;
  }

  @Override
  public void runSequential() {
    for (int i = 0; i < operations; i++) {
      operation(i);
    }
  }

  @Override
  public void runTasks(TransactionQueue q, int workers) {
    CorpusProgram.runLoop(q, workers, operations, 1, this::operation);
  }

  @Override
  public void runChunkedTasks(TransactionQueue q, int workers, int chunk) {
    CorpusProgram.runLoop(q, workers, operations, chunk, this::operation);
  }

  @Override
  public String fingerprint() {
    return new Digest().add(x).add(y).add(cells[0]).add(cells[1]).toString();
  }

  @Override
  public String check() {
    if (BROKEN.get() != 0) {
      return BROKEN.get() + " attempts observed x + y != 0 or cells[0] + cells[1] != 0";
    }
    if (x + y != 0 || cells[0] + cells[1] != 0) {
      return "final state broken: x=" + x + " y=" + y + " cells=" + cells[0] + "," + cells[1];
    }
    return null;
  }

  @Override
  public String summary() {
    return "audits=" + AUDITED.get() + " rolledBackAudits=" + ROLLED_BACK_AUDITS.get()
        + " broken=" + BROKEN.get();
  }
}
