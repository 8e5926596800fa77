package org.ame4j.reactor.basic;

import java.util.Arrays;
import org.ame4j.Ref;

/**
 * The bytes of a connection not yet consumed by its framing: a transactional cell, so a
 * rolled-back {@code dataReceived} leaves it as it was (the framing code itself is not
 * instrumented, so a plain field would not roll back).
 *
 * <p>Linear, not quadratic, in a message that arrives in many chunks: the cell holds a buffer
 * with room to spare and a length, and a chunk is appended in place after the length (the buffer
 * doubles when full), so each byte is copied a bounded number of times. Appending in place is
 * safe under rollback because the cell's value is immutable: an aborted call's bytes lie past
 * the length it rolls back to, and the connection's next call (its handlers run one at a time)
 * overwrites them.
 */
final class PartialInput {
  /** {@code buf[0, length)}; {@code buf} may be longer. */
  record Bytes(byte[] buf, int length) {}

  private static final Bytes EMPTY = new Bytes(new byte[0], 0);
  private final Ref<Bytes> rest = new Ref<>(EMPTY);
  private long copied;

  /** The unconsumed bytes followed by {@code data}: {@code data} itself if nothing is pending. */
  Bytes append(byte[] data) {
    Bytes r = rest.get();
    if (r.length == 0) {
      return new Bytes(data, data.length);
    }
    int need = r.length + data.length;
    byte[] buf = r.buf;
    if (need > buf.length) {
      buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 8,
          Math.max(need, 2L * buf.length)));
      copied += r.length;
    }
    System.arraycopy(data, 0, buf, r.length, data.length);
    copied += data.length;
    return new Bytes(buf, need);
  }

  /** Keeps {@code b.buf[from, b.length)} for the next call (in place if {@code from} is 0). */
  void keep(Bytes b, int from) {
    if (from >= b.length) {
      rest.set(EMPTY);
    } else if (from == 0) {
      rest.set(b);
    } else {
      rest.set(new Bytes(Arrays.copyOfRange(b.buf, from, b.length), b.length - from));
      copied += b.length - from;
    }
  }

  /**
   * Bytes this object has copied so far, every attempt counted (plain, not rolled back): for the
   * test that a message arriving in many chunks costs linear copying.
   */
  long copiedBytes() {
    return copied;
  }
}
