package org.ame4j.reactor;

import java.net.InetSocketAddress;

/**
 * One connection, as its handlers see it (Twisted's {@code ITransport} with
 * {@code IProducer}'s pause/resume).
 *
 * <p>Called inside a transaction (a handler, an atomic block), every method that has an effect
 * ({@code write}, {@code loseConnection}, {@code abortConnection}, {@code loseWriteConnection},
 * {@code pauseProducing}, {@code resumeProducing}) takes effect once, after that transaction
 * commits, in the order called; if it is rolled back, nothing happens. Called outside a
 * transaction, it takes effect at once. Any thread may use any transport (a chat handler writes
 * to other clients' transports).
 *
 * <p>Bytes written go out in order, after the bytes of earlier commits. Writes after
 * {@code loseConnection} or after the connection closed are dropped.
 */
public interface Transport {
  /**
   * Sends {@code data} (copied when called). If the peer reads slower than its handlers write,
   * the connection stops being read until the output drains below the reactor's high-water
   * mark; output beyond {@code maxOutputBytes} aborts the connection (like Redis's
   * client-output-buffer-limit), so a peer that never reads cannot exhaust memory.
   */
  void write(byte[] data);

  /** Sends {@code len} bytes of {@code data} from {@code off} (copied when called). */
  void write(byte[] data, int off, int len);

  /** Closes the connection once every pending write has been sent. */
  void loseConnection();

  /** Closes the connection now; pending writes are dropped. */
  void abortConnection();

  /** Half-close: shuts down the sending side once pending writes are sent; reading goes on. */
  void loseWriteConnection();

  /** Stops reading from the connection (no more {@code dataReceived}) until resumed. */
  void pauseProducing();

  /** Undoes {@link #pauseProducing()}. */
  void resumeProducing();

  /** The remote address. */
  InetSocketAddress getPeer();

  /** The local address. */
  InetSocketAddress getHost();
}
