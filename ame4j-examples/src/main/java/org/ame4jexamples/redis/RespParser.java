package org.ame4jexamples.redis;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a connection's input into commands the way Redis 7 does ({@code processMultibulkBuffer}
 * and {@code processInlineBuffer} in networking.c): a frame starting with {@code '*'} is a
 * multibulk array of {@code $}-prefixed bulk strings; anything else is an inline command, one
 * line split like {@code sdssplitargs} (quotes and escapes). A malformed frame yields Redis's
 * protocol error text; Redis then replies with it and closes the connection. Like Redis, the two
 * bytes after a bulk string are skipped, not checked.
 */
final class RespParser {
  static final int INLINE_MAX = 64 * 1024;
  static final long BULK_MAX = 512L * 1024 * 1024;

  /**
   * A parsed frame: the command's arguments ({@link Args}, read without barriers), or a
   * protocol error; null if incomplete.
   */
  record Frame(Args args, String protocolError, int end) {}

  private RespParser() {}

  /** The next frame of {@code buf[from..len)}, or null if more bytes are needed. */
  static Frame next(byte[] buf, int from, int len) {
    return buf[from] == '*' ? multibulk(buf, from, len) : inline(buf, from, len);
  }

  private static Frame error(String message) {
    return new Frame(null, "ERR Protocol error: " + message, -1);
  }

  private static Frame multibulk(byte[] buf, int from, int len) {
    int cr = indexOf(buf, from, len, (byte) '\r');
    if (cr < 0) {
      return len - from > INLINE_MAX ? error("too big mbulk count string") : null;
    }
    if (cr + 1 >= len) {
      return null;
    }
    Long count = string2ll(buf, from + 1, cr);
    if (count == null || count > Integer.MAX_VALUE) {
      return error("invalid multibulk length");
    }
    int at = cr + 2;
    if (count <= 0) {
      return new Frame(new Args(List.of()), null, at); // nothing to run, like Redis
    }
    List<String> args = new ArrayList<>((int) Math.min(count, 1024));
    for (long i = 0; i < count; i++) {
      if (at >= len) {
        return null;
      }
      if (buf[at] != '$') {
        return error("expected '$', got '" + (char) (buf[at] & 0xff) + "'");
      }
      int end = indexOf(buf, at, len, (byte) '\r');
      if (end < 0) {
        return len - at > INLINE_MAX ? error("too big bulk count string") : null;
      }
      if (end + 1 >= len) {
        return null;
      }
      Long n = string2ll(buf, at + 1, end);
      if (n == null || n < 0 || n > BULK_MAX) {
        return error("invalid bulk length");
      }
      int start = end + 2;
      if ((long) len - start < n + 2) {
        return null;
      }
      args.add(latin1(buf, start, start + n.intValue()));
      at = start + n.intValue() + 2;
    }
    return new Frame(new Args(args), null, at);
  }

  private static Frame inline(byte[] buf, int from, int len) {
    int nl = indexOf(buf, from, len, (byte) '\n');
    if (nl < 0) {
      return len - from > INLINE_MAX ? error("too big inline request") : null;
    }
    int end = nl > from && buf[nl - 1] == '\r' ? nl - 1 : nl;
    List<String> args = splitArgs(buf, from, end);
    if (args == null) {
      return error("unbalanced quotes in request");
    }
    return new Frame(new Args(args), null, nl + 1);
  }

  /** Redis's sdssplitargs: spaces separate, "..." with C escapes and \xHH, '...' with \'. */
  static List<String> splitArgs(byte[] b, int from, int end) {
    List<String> args = new ArrayList<>();
    int p = from;
    for (; ; ) {
      while (p < end && isSpace(b[p])) {
        p++;
      }
      if (p >= end) {
        return args;
      }
      StringBuilder cur = new StringBuilder();
      boolean inDq = false;
      boolean inSq = false;
      boolean done = false;
      while (!done) {
        if (inDq) {
          if (p >= end) {
            return null;
          }
          if (b[p] == '\\' && p + 3 < end && b[p + 1] == 'x' && isHex(b[p + 2]) && isHex(b[p + 3])) {
            cur.append((char) (hex(b[p + 2]) * 16 + hex(b[p + 3])));
            p += 3;
          } else if (b[p] == '\\' && p + 1 < end) {
            p++;
            char c = switch (b[p]) {
              case 'n' -> '\n';
              case 'r' -> '\r';
              case 't' -> '\t';
              case 'b' -> '\b';
              case 'a' -> (char) 7;
              default -> (char) (b[p] & 0xff);
            };
            cur.append(c);
          } else if (b[p] == '"') {
            if (p + 1 < end && !isSpace(b[p + 1])) {
              return null; // closing quote must be followed by a space or nothing
            }
            done = true;
          } else {
            cur.append((char) (b[p] & 0xff));
          }
        } else if (inSq) {
          if (p >= end) {
            return null;
          }
          if (b[p] == '\\' && p + 1 < end && b[p + 1] == '\'') {
            p++;
            cur.append('\'');
          } else if (b[p] == '\'') {
            if (p + 1 < end && !isSpace(b[p + 1])) {
              return null;
            }
            done = true;
          } else {
            cur.append((char) (b[p] & 0xff));
          }
        } else if (p >= end) {
          done = true;
        } else {
          switch (b[p]) {
            case ' ', '\n', '\r', '\t', 0 -> done = true;
            case '"' -> inDq = true;
            case '\'' -> inSq = true;
            default -> cur.append((char) (b[p] & 0xff));
          }
        }
        if (p < end) {
          p++;
        }
      }
      args.add(cur.toString());
    }
  }

  private static boolean isSpace(byte c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == 0x0b || c == '\f';
  }

  private static boolean isHex(byte c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static int hex(byte c) {
    return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
  }

  private static int indexOf(byte[] b, int from, int to, byte c) {
    for (int i = from; i < to; i++) {
      if (b[i] == c) {
        return i;
      }
    }
    return -1;
  }

  static String latin1(byte[] b, int from, int to) {
    char[] cs = new char[to - from];
    for (int i = from; i < to; i++) {
      cs[i - from] = (char) (b[i] & 0xff);
    }
    return new String(cs);
  }

  /** Redis's string2ll (util.c) of {@code b[from, to)}: strict decimal, no '+', no leading zeros, no spaces. */
  static Long string2ll(byte[] b, int from, int to) {
    return string2ll(b, null, from, to);
  }

  /**
   * string2ll of a whole string (its chars are bytes). Reads the chars in place: inside a
   * transaction under the agent, a copy into a new array would cost a barrier per byte.
   */
  static Long string2ll(String s) {
    return string2ll(null, s, 0, s.length());
  }

  /** The digits are {@code b[from, to)}, or the chars of {@code s} if {@code b} is null. */
  private static Long string2ll(byte[] b, String s, int from, int to) {
    int n = to - from;
    if (n == 0 || n >= 21) {
      return null;
    }
    if (n == 1 && at(b, s, from) == '0') {
      return 0L;
    }
    int p = from;
    boolean negative = false;
    if (at(b, s, p) == '-') {
      negative = true;
      p++;
      if (p == to) {
        return null;
      }
    }
    if (at(b, s, p) < '1' || at(b, s, p) > '9') {
      return null;
    }
    long v = 0; // accumulated as a negative number, so Long.MIN_VALUE fits
    for (; p < to; p++) {
      int c = at(b, s, p);
      if (c < '0' || c > '9') {
        return null;
      }
      int d = c - '0';
      if (v < (Long.MIN_VALUE + d) / 10) {
        return null;
      }
      v = v * 10 - d;
    }
    if (!negative) {
      if (v == Long.MIN_VALUE) {
        return null;
      }
      return -v;
    }
    return v;
  }

  private static int at(byte[] b, String s, int i) {
    return b != null ? b[i] & 0xff : s.charAt(i);
  }
}
