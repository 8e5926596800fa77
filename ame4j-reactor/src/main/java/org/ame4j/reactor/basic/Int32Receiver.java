package org.ame4j.reactor.basic;

import java.util.Arrays;
import org.ame4j.reactor.Protocol;

/**
 * A protocol that receives messages prefixed with their length as a 4-byte big-endian unsigned
 * integer (Twisted's {@code Int32StringReceiver}). Each complete message goes to
 * {@link #stringReceived}, in order. A prefix above {@code maxLength} goes to
 * {@link #lengthLimitExceeded} (default: close the connection).
 */
public abstract class Int32Receiver extends Protocol {
  private final int maxLength;
  final PartialInput partial = new PartialInput(); // package-private for its test

  /** Messages of at most 16 MiB. */
  protected Int32Receiver() {
    this(16 << 20);
  }

  protected Int32Receiver(int maxLength) {
    if (maxLength < 0) {
      throw new IllegalArgumentException("maxLength must not be negative, got " + maxLength);
    }
    this.maxLength = maxLength;
  }

  /** One complete message, without its prefix. */
  public abstract void stringReceived(byte[] message);

  /** Sends {@code message} with its length prefix. */
  public void sendString(byte[] message) {
    byte[] framed = new byte[4 + message.length];
    int n = message.length;
    framed[0] = (byte) (n >>> 24);
    framed[1] = (byte) (n >>> 16);
    framed[2] = (byte) (n >>> 8);
    framed[3] = (byte) n;
    System.arraycopy(message, 0, framed, 4, n);
    transport().write(framed);
  }

  /** A prefix announced {@code length} bytes, more than maxLength; default: close. */
  public void lengthLimitExceeded(long length) {
    transport().loseConnection();
  }

  @Override
  public final void dataReceived(byte[] data) {
    PartialInput.Bytes in = partial.append(data);
    byte[] buf = in.buf();
    int len = in.length();
    int at = 0;
    while (len - at >= 4) {
      long n = ((buf[at] & 0xffL) << 24) | ((buf[at + 1] & 0xff) << 16)
          | ((buf[at + 2] & 0xff) << 8) | (buf[at + 3] & 0xff);
      if (n > maxLength) {
        partial.keep(in, len);
        lengthLimitExceeded(n);
        return;
      }
      if (len - at - 4 < n) {
        break;
      }
      byte[] message = Arrays.copyOfRange(buf, at + 4, at + 4 + (int) n);
      at += 4 + (int) n;
      stringReceived(message);
    }
    partial.keep(in, at);
  }
}
