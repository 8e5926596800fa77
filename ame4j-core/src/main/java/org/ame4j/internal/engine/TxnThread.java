package org.ame4j.internal.engine;

/**
 * A thread that carries its transaction descriptor in a field, so that finding the current
 * transaction costs a type check instead of a {@link ThreadLocal} lookup. Worker threads of the
 * task queue are of this kind; any other thread gets its descriptor from a thread-local.
 */
public class TxnThread extends Thread {
  final Txn txn = new Txn();

  public TxnThread(Runnable body, String name) {
    super(body, name);
  }

  /** This thread's descriptor. */
  public final Txn txn() {
    return txn;
  }
}
