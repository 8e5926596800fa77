package org.ame4j;

import java.util.function.Supplier;
import org.ame4j.internal.engine.Atomically;
import org.ame4j.internal.engine.Txn;
import org.ame4j.internal.engine.TxnStats;

/**
 * The module-level entry points (after PyPy-STM's {@code transaction.add} / {@code run}), atomic
 * blocks for code that already has threads, deferred actions, and statistics.
 *
 * <p><b>Atomic blocks</b> ({@link #atomic(Runnable)}) run as one transaction from any thread,
 * isolated from every other transaction. Nesting is flat: a block inside a transaction joins it;
 * if an exception escapes the inner block, the inner block's writes, adds and deferred actions
 * are undone and the exception propagates. An exception escaping the outermost block rolls the
 * whole transaction back and is rethrown unchanged.
 *
 * <p><b>Side effects</b>: call {@link #inevitable()} before an action that cannot be undone (I/O):
 * the transaction then never aborts; at most one transaction is inevitable at a time and the
 * others keep running. Or defer the action with {@link #afterCommit}: it runs once, after the
 * transaction commits.
 */
public final class Ame {
  private static final TransactionQueue DEFAULT = new TransactionQueue();

  private Ame() {}

  static {
    ExitReport.install(); // -Dame4j.report=true, or ame run's report past a share of aborts
  }

  /**
   * Adds a task: inside a task, to the queue running it (as part of the task: only if it
   * commits); elsewhere, to a global unordered queue that {@link #run()} runs.
   */
  public static void add(Runnable task) {
    Txn tx = Txn.active();
    if (tx != null && tx.run() != null) {
      java.util.Objects.requireNonNull(task, "task");
      tx.addTask(tx.run().sink(), task);
    } else {
      DEFAULT.add(task);
    }
  }

  /** Runs the global queue on the default number of workers; see {@link TransactionQueue#run()}. */
  public static void run() {
    DEFAULT.run();
  }

  /** Runs the global queue on {@code workers} threads; see {@link TransactionQueue#run(int)}. */
  public static void run(int workers) {
    DEFAULT.run(workers);
  }

  /** Runs {@code block} as one transaction (or as part of the running one). */
  public static void atomic(Runnable block) {
    java.util.Objects.requireNonNull(block, "block");
    Atomically.atomic(block);
  }

  /** Runs {@code block} as one transaction (or as part of the running one) and returns its value. */
  public static <T> T atomic(Supplier<T> block) {
    java.util.Objects.requireNonNull(block, "block");
    return Atomically.atomic(block);
  }

  /** True if a transaction (task or atomic block) is running on this thread. */
  public static boolean isAtomic() {
    return Txn.active() != null;
  }

  /**
   * Runs {@code action} once after the current transaction commits (immediately if none runs).
   * An action registered by an attempt that is rolled back is dropped with it.
   */
  public static void afterCommit(Runnable action) {
    java.util.Objects.requireNonNull(action, "action");
    Txn tx = Txn.active();
    if (tx == null) {
      action.run();
    } else {
      tx.afterCommit(action);
    }
  }

  /**
   * Runs {@code action} once if the current attempt is rolled back (conflict or exception);
   * outside a transaction it is never run.
   */
  public static void afterAbort(Runnable action) {
    java.util.Objects.requireNonNull(action, "action");
    Txn tx = Txn.active();
    if (tx != null) {
      tx.afterAbort(action);
    }
  }

  /**
   * Blocks until something this transaction has read changes, then runs it again (AME's
   * {@code blockUntil}; Harris et al.'s {@code retry}). Typical use: {@code if (queue.isEmpty())
   * Ame.retry();}.
   *
   * @throws IllegalStateException outside a transaction, in an inevitable transaction, or when
   *     the wait could never end (every task of the run is waiting, or the oldest task of an
   *     ordered run retries)
   */
  public static void retry() {
    Txn tx = Txn.active();
    if (tx == null) {
      throw new IllegalStateException("Ame.retry() outside a transaction");
    }
    tx.retry();
  }

  /**
   * Makes the current transaction inevitable (irrevocable) before an action that cannot be
   * undone. May re-run the transaction from its start first (nothing irrevocable has happened
   * yet, so this is invisible). No effect outside a transaction.
   */
  public static void inevitable() {
    Txn tx = Txn.active();
    if (tx == null) {
      return;
    }
    if (tx.isInevitable()) {
      tx.pinInevitable(); // inevitable by the engine's choice until now: no rollback from here
    } else {
      tx.becomeInevitable(callSite());
    }
  }

  /** The counters since start or {@link #resetStats()}. */
  public static Stats stats() {
    return Stats.of(TxnStats.total());
  }

  /** Zeroes the counters. */
  public static void resetStats() {
    TxnStats.resetAll();
  }

  private static final java.security.CodeSource OWN_CODE = Ame.class.getProtectionDomain()
      .getCodeSource();

  /**
   * The first stack frame outside ame4j's own code (same code source as this class): where the
   * user asked for inevitability. By code source, not package, so that user code in an
   * {@code org.ame4j} package (tests, examples) is still named.
   */
  private static String callSite() {
    return StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
        .walk(frames -> frames
            .filter(f -> !isOwnCode(f.getDeclaringClass()))
            .findFirst()
            .map(f -> f.getClassName() + "." + f.getMethodName()
                + "(" + f.getFileName() + ":" + f.getLineNumber() + ")")
            .orElse("unknown"));
  }

  private static boolean isOwnCode(Class<?> c) {
    java.security.CodeSource cs = c.getProtectionDomain().getCodeSource();
    return OWN_CODE != null ? OWN_CODE.equals(cs) : c.getName().startsWith("org.ame4j.");
  }
}
