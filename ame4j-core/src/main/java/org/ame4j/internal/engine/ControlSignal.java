package org.ame4j.internal.engine;

/**
 * Unwinds a transaction attempt: thrown by barriers and commit, caught only by the engine.
 *
 * <p>An {@link Error} so that ordinary {@code catch (Exception e)} in user code lets it pass.
 * Code that catches {@code Throwable} and swallows it cannot break correctness: the attempt is
 * already marked doomed and its commit fails. Preallocated, without a stack trace, because an
 * abort must be cheap.
 */
public final class ControlSignal extends Error {
  private static final long serialVersionUID = 1L;

  static final ControlSignal ABORT = new ControlSignal("ame4j: transaction aborted (conflict)");
  static final ControlSignal RETRY = new ControlSignal("ame4j: transaction retry (blocking)");
  static final ControlSignal RESTART_INEVITABLE =
      new ControlSignal("ame4j: transaction restarts as inevitable");
  /**
   * An attempt that read without a read log ({@code Txn#unlogged}) met what needs one (a write,
   * a record newer than its snapshot, retry): it restarts logging, and that is not a conflict.
   */
  static final ControlSignal RESTART_LOGGED =
      new ControlSignal("ame4j: transaction restarts with a read log");
  /**
   * An attempt the engine made inevitable after too many aborts called retry() before anything
   * irrevocable ran: it rolls back and runs again optimistically (its reads were locks, not a
   * log a retry could wait on). Not a conflict.
   */
  static final ControlSignal RESTART_OPTIMISTIC =
      new ControlSignal("ame4j: inevitable attempt restarts optimistic to retry");
  /**
   * Thrown out of {@link Atomically#execute} to the queue: the task was rolled back without
   * failing and must go back into the queue (an ordered run stopped before its turn, or a
   * serial run re-queues a task that called retry()).
   */
  public static final ControlSignal HAND_BACK =
      new ControlSignal("ame4j: task handed back to its queue");

  private ControlSignal(String message) {
    super(message, null, false, false);
  }
}
