package org.ame4jexamples.redis;

import java.util.ArrayList;
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
final class RespConnection extends FramedProtocol<RespConnection.Batch> {
  private final Reactor reactor;
  private final Commands commands;
  // Framing state, touched by frame() only (outside transactions). Input not yet forming a
  // complete command is pending[pendingFrom, pendingTo); new input is appended after it, and
  // the array doubles when full, so a frame that arrives a byte at a time costs amortised
  // constant copying per byte (re-copying the whole partial frame per read was quadratic).
  private byte[] pending = new byte[0];
  private int pendingFrom;
  private int pendingTo;
  private boolean broken; // a protocol error was framed: Redis reads nothing after it
  /** Bytes copied to keep partial input, since the connection opened (for tests). */
  long copiedBytes;

  RespConnection(Reactor reactor, Commands commands) {
    this.reactor = reactor;
    this.commands = commands;
  }

  /**
   * The commands framed from one read, in order, linked through final fields: the transaction
   * reads them without barriers, where a list's backing array (new at every read, so unknown to
   * the STM) would cost one per command.
   */
  record Batch(RespParser.Frame frame, Batch next) {}

  @Override
  protected void frame(byte[] data, List<Batch> out) {
    if (broken) {
      return;
    }
    List<RespParser.Frame> frames = new ArrayList<>();
    if (pendingFrom == pendingTo) { // nothing pending: parse the new bytes where they are
      int at = parse(data, 0, data.length, frames);
      if (!broken && at < data.length) {
        keep(data, at, data.length);
      }
    } else {
      keep(data, 0, data.length);
      pendingFrom = parse(pending, pendingFrom, pendingTo, frames);
      if (pendingFrom == pendingTo || broken) {
        pendingFrom = 0;
        pendingTo = 0;
      }
    }
    Batch batch = null;
    for (int i = frames.size() - 1; i >= 0; i--) {
      batch = new Batch(frames.get(i), batch);
    }
    if (batch != null) {
      out.add(batch);
    }
  }

  /** Appends {@code out}'s complete frames of {@code buf[from, to)}; returns where the rest starts. */
  private int parse(byte[] buf, int from, int to, List<RespParser.Frame> out) {
    int at = from;
    while (at < to) {
      RespParser.Frame f = RespParser.next(buf, at, to);
      if (f == null) {
        break;
      }
      out.add(f);
      if (f.protocolError() != null) {
        broken = true;
        break;
      }
      at = f.end();
    }
    return at;
  }

  /**
   * Appends {@code b[from, to)} to the pending input. The live bytes move only when the array
   * grows (to at least twice the live size) or when the dead prefix is at least as long as what
   * is live, so each byte is copied a bounded number of times on average.
   */
  private void keep(byte[] b, int from, int to) {
    int n = to - from;
    int live = pendingTo - pendingFrom;
    if (pendingTo + n > pending.length) {
      byte[] dst = live + n > pending.length || pendingFrom < live
          ? new byte[Math.max(2 * (live + n), 256)] : pending;
      System.arraycopy(pending, pendingFrom, dst, 0, live);
      copiedBytes += live;
      pending = dst;
      pendingFrom = 0;
      pendingTo = live;
    }
    System.arraycopy(b, from, pending, pendingTo, n);
    copiedBytes += n;
    pendingTo += n;
  }

  @Override
  protected void messagesReceived(List<Batch> batches) {
    long now = reactor.currentTimeMillis();
    Reply reply = new Reply();
    boolean open = true;
    for (int k = 0; k < batches.size(); k++) { // one batch per read
      for (Batch b = batches.get(k); open && b != null; b = b.next()) {
        RespParser.Frame f = b.frame();
        if (f.protocolError() != null) {
          reply.error(f.protocolError()); // Redis replies, then closes the connection
          open = false;
        } else if (!f.args().isEmpty()) {
          open = commands.execute(f.args(), reply, now);
        }
      }
    }
    reply.writeTo(transport());
    if (!open) {
      transport().loseConnection();
    }
  }
}
