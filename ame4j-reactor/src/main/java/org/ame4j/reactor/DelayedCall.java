package org.ame4j.reactor;

/**
 * A call scheduled by {@link Reactor#callLater}.
 *
 * <p>{@link #cancel()} inside a handler takes effect when that handler commits (like every
 * effect of a handler). A call that has already started cannot be cancelled; cancelling it, or
 * cancelling twice, does nothing.
 */
public interface DelayedCall {
  /** Stops the call from running, if it has not started yet. */
  void cancel();

  /** True until the call has run or been cancelled. */
  boolean isActive();
}
