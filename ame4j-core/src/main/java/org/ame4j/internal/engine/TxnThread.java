package org.ame4j.internal.engine;

/**
 * A thread that carries its transaction descriptor in a field, so that finding the current
 * transaction costs a type check instead of a {@link ThreadLocal} lookup. Worker threads of the
 * task queue are of this kind; any other thread gets its descriptor from a thread-local.
 *
 * <p>The descriptor is made by the thread itself when it starts, not by the thread that
 * constructs it: the queue constructs its workers one after another, and descriptors made there
 * lay one worker's logs and counters next to the next worker's thread object in one allocation
 * buffer, where a line one worker writes per task can hold what the other reads per task
 * (DESIGN-NOTES, "What two workers share per task"). Made on the thread, they sit in its own
 * buffer. Nothing reads a thread's descriptor before its {@link #run} starts: only the thread
 * itself runs transactions with it.
 */
public class TxnThread extends Thread {
  /** Set by this thread first thing in {@link #run}; read only by this thread. */
  Txn txn;

  public TxnThread(Runnable body, String name) {
    super(body, name);
  }

  /** Makes this thread's descriptor (on this thread: see the class comment), then runs the body. */
  @Override
  public final void run() {
    txn = new Txn();
    super.run();
  }

  /** This thread's descriptor. */
  public final Txn txn() {
    return txn;
  }
}
