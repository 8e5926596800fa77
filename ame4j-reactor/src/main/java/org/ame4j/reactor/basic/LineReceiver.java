package org.ame4j.reactor.basic;

import java.util.Arrays;
import org.ame4j.reactor.Protocol;

/**
 * A protocol that receives lines (Twisted's {@code LineReceiver}): the input is split at the
 * delimiter ({@code "\r\n"} unless given) and each line, without it, goes to
 * {@link #lineReceived}, in order, all within the transaction of the {@code dataReceived} that
 * completed them. A line longer than {@code maxLength} goes to {@link #lineLengthExceeded}
 * (default: close the connection).
 */
public abstract class LineReceiver extends Protocol {
  private final byte[] delimiter;
  private final int maxLength;
  private final PartialInput partial = new PartialInput();

  /** Lines ending in {@code "\r\n"}, at most 16384 bytes. */
  protected LineReceiver() {
    this(new byte[] {'\r', '\n'}, 16384);
  }

  protected LineReceiver(byte[] delimiter, int maxLength) {
    if (delimiter.length == 0) {
      throw new IllegalArgumentException("empty delimiter");
    }
    if (maxLength < 1) {
      throw new IllegalArgumentException("maxLength must be positive, got " + maxLength);
    }
    this.delimiter = delimiter.clone();
    this.maxLength = maxLength;
  }

  /** One complete line, without its delimiter. */
  public abstract void lineReceived(byte[] line);

  /** Sends {@code line} followed by the delimiter. */
  public void sendLine(byte[] line) {
    byte[] framed = Arrays.copyOf(line, line.length + delimiter.length);
    System.arraycopy(delimiter, 0, framed, line.length, delimiter.length);
    transport().write(framed);
  }

  /** A line (or unterminated input) longer than maxLength arrived; default: close. */
  public void lineLengthExceeded(byte[] line) {
    transport().loseConnection();
  }

  @Override
  public final void dataReceived(byte[] data) {
    PartialInput.Bytes in = partial.append(data);
    byte[] buf = in.buf();
    int len = in.length();
    int start = 0;
    int searchFrom = Math.max(0, len - data.length - delimiter.length + 1);
    for (int i = searchFrom; i <= len - delimiter.length; i++) {
      if (matchesAt(buf, i)) {
        byte[] line = Arrays.copyOfRange(buf, start, i);
        start = i + delimiter.length;
        i = start - 1;
        if (line.length > maxLength) {
          partial.keep(in, len);
          lineLengthExceeded(line);
          return;
        }
        lineReceived(line);
      }
    }
    if (len - start > maxLength) {
      partial.keep(in, len);
      lineLengthExceeded(Arrays.copyOfRange(buf, start, len));
      return;
    }
    partial.keep(in, start);
  }

  private boolean matchesAt(byte[] buf, int i) {
    for (int k = 0; k < delimiter.length; k++) {
      if (buf[i + k] != delimiter[k]) {
        return false;
      }
    }
    return true;
  }
}
