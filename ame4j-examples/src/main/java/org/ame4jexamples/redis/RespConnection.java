package org.ame4jexamples.redis;

import java.util.Arrays;
import org.ame4j.reactor.Protocol;
import org.ame4j.reactor.Reactor;

/**
 * One client connection: buffers input, runs every complete command in it, and sends all their
 * replies with one write. Plain single-threaded code: the reactor runs each
 * {@code dataReceived} as one transaction, so a pipelined batch is atomic, and under the agent
 * these fields (and the shared {@link Keyspace}) roll back with an aborted attempt.
 */
final class RespConnection extends Protocol {
  private final Reactor reactor;
  private final Commands commands;
  private byte[] pending; // input not yet forming a complete command, or null

  RespConnection(Reactor reactor, Commands commands) {
    this.reactor = reactor;
    this.commands = commands;
  }

  @Override
  public void dataReceived(byte[] data) {
    byte[] buf = data;
    if (pending != null) {
      buf = Arrays.copyOf(pending, pending.length + data.length);
      System.arraycopy(data, 0, buf, pending.length, data.length);
      pending = null;
    }
    long now = reactor.currentTimeMillis();
    Reply reply = new Reply();
    int at = 0;
    boolean open = true;
    while (open && at < buf.length) {
      RespParser.Frame f = RespParser.next(buf, at, buf.length);
      if (f == null) {
        break;
      }
      if (f.protocolError() != null) {
        reply.error(f.protocolError()); // Redis replies, then closes the connection
        open = false;
        break;
      }
      at = f.end();
      if (!f.args().isEmpty()) {
        open = commands.execute(f.args(), reply, now);
      }
    }
    if (open && at < buf.length) {
      pending = Arrays.copyOfRange(buf, at, buf.length);
    }
    if (reply.length() > 0) {
      transport().write(reply.toBytes());
    }
    if (!open) {
      transport().loseConnection();
    }
  }
}
