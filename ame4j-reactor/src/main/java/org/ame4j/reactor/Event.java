package org.ame4j.reactor;

/**
 * One thing for a handler to do: {@link #run()} is the handler call, run as one transaction by
 * the {@link Dispatcher}; the hooks around it run on the worker outside any transaction.
 */
abstract class Event implements Runnable {
  /** Before the transaction; false skips the event (a cancelled timer). */
  boolean begin() {
    return true;
  }

  /** After the transaction committed (and its deferred effects ran). */
  void committed() {}

  /** After the transaction was rolled back because {@link #run()} threw {@code t}. */
  void failed(Throwable t) {}

  /** Bytes of input this event carries (for back-pressure accounting); 0 for most. */
  int inputBytes() {
    return 0;
  }
}
