package org.ame4jexamples.redis;

import java.io.UnsupportedEncodingException;
import java.util.ArrayList;
import org.ame4j.reactor.Transport;

/**
 * RESP2 replies of one batch of commands, sent with one {@code write} (one per 8 KiB chunk of
 * a long reply). Strings hold bytes one char per byte (ISO-8859-1), as everywhere in this
 * server, so values are binary-safe.
 *
 * <p>Built from whole strings, not byte by byte: it runs inside the batch's transaction, where
 * under the agent each store into a new array costs a barrier (a look-up in the set of the
 * attempt's fresh objects), while {@code String} operations run as they are (immutable). So
 * replies are concatenated into a string and encoded once, by {@code String.getBytes}. Its own
 * class rather than a {@code ByteArrayOutputStream}, whose synchronized JDK methods would make
 * a transaction inevitable under the agent.
 */
final class Reply {
  private static final int CHUNK = 8192;
  private String text = "";
  private ArrayList<String> chunks; // full chunks before text, or null

  /** Sends the replies. */
  void writeTo(Transport transport) {
    if (chunks != null) {
      for (String c : chunks) {
        transport.write(latin1(c));
      }
    }
    if (!text.isEmpty()) {
      transport.write(latin1(text));
    }
  }

  private static byte[] latin1(String s) {
    try {
      return s.getBytes("ISO-8859-1"); // a String argument: runs as it is in a transaction
    } catch (UnsupportedEncodingException e) {
      throw new AssertionError("every JVM has ISO-8859-1", e);
    }
  }

  private void append(String s) {
    text = text.concat(s);
    if (text.length() >= CHUNK) {
      if (chunks == null) {
        chunks = new ArrayList<>();
      }
      chunks.add(text);
      text = "";
    }
  }

  private void raw(char type, String s) {
    append(type + s + "\r\n");
  }

  void ok() {
    append("+OK\r\n");
  }

  void simple(String s) {
    raw('+', s);
  }

  /** An error reply; {@code message} starts with its code ("ERR ...", "WRONGTYPE ..."). */
  void error(String message) {
    raw('-', message.replace('\r', ' ').replace('\n', ' '));
  }

  void integer(long n) {
    raw(':', Long.toString(n));
  }

  void bulk(String s) {
    if (s == null) {
      nil();
      return;
    }
    append("$" + s.length() + "\r\n" + s + "\r\n");
  }

  void nil() {
    raw('$', "-1");
  }

  void nilArray() {
    raw('*', "-1");
  }

  void arrayHeader(int n) {
    raw('*', Integer.toString(n));
  }

  void wrongType() {
    error("WRONGTYPE Operation against a key holding the wrong kind of value");
  }

  void notInteger() {
    error("ERR value is not an integer or out of range");
  }

  void syntax() {
    error("ERR syntax error");
  }
}
