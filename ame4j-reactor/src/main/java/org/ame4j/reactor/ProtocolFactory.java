package org.ame4j.reactor;

import java.net.InetSocketAddress;

/**
 * Makes the {@link Protocol} of each new connection (Twisted's {@code Factory}). Called inside
 * the connection's first transaction, so it may read and change shared state like a handler.
 */
@FunctionalInterface
public interface ProtocolFactory {
  /**
   * The protocol for a new connection with {@code peer}, or null to refuse it (the connection
   * is closed at once).
   */
  Protocol buildProtocol(InetSocketAddress peer);

  /**
   * An outgoing connection ({@link Reactor#connectTCP}) could not be made; runs as one
   * transaction. The default does nothing.
   */
  default void clientConnectionFailed(InetSocketAddress address, Throwable reason) {}
}
