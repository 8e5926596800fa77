package org.ame4j.reactor;

/**
 * The handlers of one connection (Twisted's {@code Protocol}). Subclass it and override what
 * you need; {@link ProtocolFactory} makes one instance per connection.
 *
 * <p>Every handler runs as one transaction on a worker of the reactor: the handlers of one
 * connection are called one at a time and in order ({@code connectionMade}, then each
 * {@code dataReceived}, then {@code connectionLost} exactly once), handlers of different
 * connections may run at the same time, and the result is as if a single thread had run all of
 * them one after another. A handler may be rolled back and run again (a conflict with another
 * handler); that is invisible: its writes, closes and timers take effect only when it commits.
 *
 * <p>A handler that throws is rolled back; the connection is then aborted, the exception is
 * logged and passed to {@link #connectionLost}. State that must be rolled back lives in plain
 * fields under the agent, or in explicit cells ({@code org.ame4j.Ref},
 * {@code org.ame4j.collections.TMap}) without it.
 */
public abstract class Protocol {
  private Transport transport;

  /** The connection this protocol handles (set before {@link #connectionMade}). */
  protected final Transport transport() {
    return transport;
  }

  /** Called by the reactor once, before {@link #connectionMade}, inside its transaction. */
  final void makeConnection(Transport t) {
    this.transport = t;
  }

  /** The connection is established; called once, before any other handler. */
  public void connectionMade() {}

  /**
   * Bytes arrived, in order. Chunk boundaries mean nothing (TCP is a stream): one call may carry
   * several messages of the peer, or part of one; see {@code org.ame4j.reactor.basic} for
   * framing. The array is the protocol's to keep.
   */
  public abstract void dataReceived(byte[] data);

  /**
   * The peer closed its sending side (half-close); nothing more will arrive, but writes still go
   * out. The default closes the connection once pending writes are sent.
   */
  public void readConnectionLost() {
    transport.loseConnection();
  }

  /**
   * The connection is closed; called exactly once, last. {@code reason} is a
   * {@link ConnectionDone} for a clean close (either side), else what ended it (an
   * {@code IOException}, the exception a handler threw, a reactor limit).
   */
  public void connectionLost(Throwable reason) {}
}
