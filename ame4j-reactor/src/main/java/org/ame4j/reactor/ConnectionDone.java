package org.ame4j.reactor;

/**
 * The reason passed to {@link Protocol#connectionLost} when a connection was closed cleanly:
 * by {@link Transport#loseConnection}, by the peer (end of stream after its half-close was
 * answered), or by {@link Reactor#stop}.
 */
public final class ConnectionDone extends Exception {
  private static final long serialVersionUID = 1L;

  public ConnectionDone(String message) {
    super(message, null, false, false);
  }
}
