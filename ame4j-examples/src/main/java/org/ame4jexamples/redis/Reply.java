package org.ame4jexamples.redis;

import java.util.Arrays;

/**
 * RESP2 replies of one batch of commands, appended to one growable byte array (one
 * {@code write} per batch). Strings hold bytes one char per byte (ISO-8859-1), as everywhere in
 * this server, so values are binary-safe. Its own class rather than a
 * {@code ByteArrayOutputStream}, whose synchronized JDK methods would make a transaction
 * inevitable under the agent.
 */
final class Reply {
  private static final byte[] CRLF = {'\r', '\n'};
  private byte[] buf = new byte[256];
  private int len;

  int length() {
    return len;
  }

  byte[] toBytes() {
    return Arrays.copyOf(buf, len);
  }

  private void ensure(int extra) {
    if (len + extra > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
    }
  }

  private void raw(char type, String s) {
    ensure(s.length() + 3);
    buf[len++] = (byte) type;
    for (int i = 0; i < s.length(); i++) {
      buf[len++] = (byte) s.charAt(i);
    }
    buf[len++] = '\r';
    buf[len++] = '\n';
  }

  void ok() {
    raw('+', "OK");
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
    raw('$', Integer.toString(s.length()));
    ensure(s.length() + 2);
    for (int i = 0; i < s.length(); i++) {
      buf[len++] = (byte) s.charAt(i);
    }
    buf[len++] = CRLF[0];
    buf[len++] = CRLF[1];
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
