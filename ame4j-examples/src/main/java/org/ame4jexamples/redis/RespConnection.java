package org.ame4jexamples.redis;

import java.util.Arrays;
import java.util.List;
import org.ame4j.reactor.FramedProtocol;
import org.ame4j.reactor.Reactor;

/**
 * One client connection: cuts its input into commands, runs every complete command of a read,
 * and sends all their replies with one write. Plain single-threaded code. The reactor calls
 * {@link #frame} outside any transaction (parsing touches only this connection's bytes), then
 * {@link #messagesReceived} as one transaction: a pipelined batch is atomic, and under the agent
 * the shared {@link Keyspace} rolls back with an aborted attempt.
 */
final class RespConnection extends FramedProtocol<RespParser.Frame> {
  private final Reactor reactor;
  private final Commands commands;
  // Framing state, touched by frame() only (outside transactions).
  private byte[] pending; // input not yet forming a complete command, or null
  private boolean broken; // a protocol error was framed: Redis reads nothing after it

  RespConnection(Reactor reactor, Commands commands) {
    this.reactor = reactor;
    this.commands = commands;
  }

  @Override
  protected void frame(byte[] data, List<RespParser.Frame> out) {
    if (broken) {
      return;
    }
    byte[] buf = data;
    if (pending != null) {
      buf = Arrays.copyOf(pending, pending.length + data.length);
      System.arraycopy(data, 0, buf, pending.length, data.length);
      pending = null;
    }
    int at = 0;
    while (at < buf.length) {
      RespParser.Frame f = RespParser.next(buf, at, buf.length);
      if (f == null) {
        break;
      }
      out.add(f);
      if (f.protocolError() != null) {
        broken = true;
        return;
      }
      at = f.end();
    }
    if (at < buf.length) {
      pending = Arrays.copyOfRange(buf, at, buf.length);
    }
  }

  @Override
  protected void messagesReceived(List<RespParser.Frame> frames) {
    long now = reactor.currentTimeMillis();
    Reply reply = new Reply();
    boolean open = true;
    for (int i = 0; open && i < frames.size(); i++) {
      RespParser.Frame f = frames.get(i);
      if (f.protocolError() != null) {
        reply.error(f.protocolError()); // Redis replies, then closes the connection
        open = false;
      } else if (!f.args().isEmpty()) {
        open = commands.execute(f.args(), reply, now);
      }
    }
    if (reply.length() > 0) {
      transport().write(reply.toBytes());
    }
    if (!open) {
      transport().loseConnection();
    }
  }
}
