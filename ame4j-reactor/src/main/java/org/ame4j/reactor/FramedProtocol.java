package org.ame4j.reactor;

import java.util.ArrayList;
import java.util.List;

/**
 * A protocol whose input is cut into messages <em>outside</em> the transaction, and whose
 * handler sees only complete messages, inside it. Parsing reads only the connection's own bytes,
 * so it needs no isolation; running it in the transaction would only make every byte it reads
 * and every object it builds go through the STM's barriers (under the agent, parsing was most of
 * a pipelined Redis batch's time). Twisted's shape is kept: {@link #dataReceived} still exists
 * and still means "bytes arrived".
 *
 * <p>For each chunk of input the reactor calls {@link #frame} on the connection's worker,
 * outside any transaction, exactly once, in order, never at the same time as another handler of
 * this connection; then, if it produced messages, {@link #messagesReceived} as one transaction
 * (re-run invisibly on a conflict, with the same list). A chunk that completes no message costs
 * no transaction.
 *
 * <p>What {@code frame} may do: keep partial input in plain fields of this object (they are not
 * rolled back, and need not be: the bytes are consumed once); build messages. What it must not
 * do: touch state that handlers share, or the transport (it is not isolated, and nothing undoes
 * it). An exception thrown by {@code frame} is handled like a handler's: the connection is
 * aborted, the reason logged and passed to {@link #connectionLost}. Messages must not be null,
 * nor changed by {@code messagesReceived}: a re-run gets the same objects.
 *
 * <p>Called directly (a test, a wrapping protocol), {@link #dataReceived} frames and delivers in
 * the caller's context, inside its transaction if there is one.
 *
 * @param <M> the message type
 */
public abstract class FramedProtocol<M> extends Protocol {
  /**
   * Appends the complete messages that {@code data} (the next bytes of the stream) finishes to
   * {@code out}, keeping what is left for the next call. Called outside transactions.
   */
  protected abstract void frame(byte[] data, List<M> out);

  /** The messages framed from one chunk of input, in order (never empty): one transaction. */
  protected abstract void messagesReceived(List<M> messages);

  /** Frames {@code data} and delivers its messages, in the caller's context. */
  @Override
  public final void dataReceived(byte[] data) {
    List<M> messages = framed(data);
    if (!messages.isEmpty()) {
      messagesReceived(messages);
    }
  }

  /**
   * {@link #frame}'s messages as an immutable list (the reactor's call, outside the
   * transaction). {@code List.copyOf} keeps one or two messages in final fields, which the
   * agent's barriers skip; an {@code ArrayList}'s backing array, new to the transaction, would
   * be looked up in the engine's table of array records on every read.
   */
  final List<M> framed(byte[] data) {
    List<M> out = new ArrayList<>();
    frame(data, out);
    return List.copyOf(out);
  }
}
