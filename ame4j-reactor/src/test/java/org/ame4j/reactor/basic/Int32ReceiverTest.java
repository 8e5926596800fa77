package org.ame4j.reactor.basic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ame4j.Ame;
import org.junit.jupiter.api.Test;

/**
 * {@link Int32Receiver}'s framing, called directly: a large message in many small chunks costs
 * copying linear in its size (it was quadratic: each chunk re-copied everything pending), and
 * the pending bytes still roll back with an aborted call.
 */
class Int32ReceiverTest {

  static final class Collect extends Int32Receiver {
    final List<byte[]> got = new ArrayList<>();

    @Override
    public void stringReceived(byte[] message) {
      got.add(message);
    }
  }

  private static byte[] framed(byte[] message) {
    byte[] f = new byte[4 + message.length];
    int n = message.length;
    f[0] = (byte) (n >>> 24);
    f[1] = (byte) (n >>> 16);
    f[2] = (byte) (n >>> 8);
    f[3] = (byte) n;
    System.arraycopy(message, 0, f, 4, n);
    return f;
  }

  @Test
  void messageInSmallChunksIsCopiedLinearly() {
    byte[] message = new byte[4 << 20];
    for (int i = 0; i < message.length; i++) {
      message[i] = (byte) (i * 7 + (i >>> 9));
    }
    byte[] stream = framed(message);
    stream = Arrays.copyOf(stream, stream.length + 3); // and part of the next prefix
    Collect c = new Collect();
    int chunk = 1024;
    for (int at = 0; at < stream.length; at += chunk) {
      c.dataReceived(Arrays.copyOfRange(stream, at, Math.min(stream.length, at + chunk)));
    }
    assertEquals(1, c.got.size());
    assertArrayEquals(message, c.got.get(0));
    // Quadratic copying would be about stream.length^2 / (2 * chunk), here ~8 GiB.
    long copied = c.partial.copiedBytes();
    assertTrue(copied <= 3L * stream.length, "copied " + copied + " bytes for " + stream.length);
  }

  /** Framing split at every position gives the same messages. */
  @Test
  void everySplitPointGivesTheSameMessages() {
    byte[] a = framed("hello".getBytes());
    byte[] b = framed(new byte[0]);
    byte[] d = framed("world!".getBytes());
    byte[] all = new byte[a.length + b.length + d.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    System.arraycopy(d, 0, all, a.length + b.length, d.length);
    for (int i = 0; i <= all.length; i++) {
      for (int j = i; j <= all.length; j++) {
        Collect c = new Collect();
        c.dataReceived(Arrays.copyOfRange(all, 0, i));
        c.dataReceived(Arrays.copyOfRange(all, i, j));
        c.dataReceived(Arrays.copyOfRange(all, j, all.length));
        assertEquals(3, c.got.size(), "split at " + i + ", " + j);
        assertEquals("hello", new String(c.got.get(0)));
        assertEquals(0, c.got.get(1).length);
        assertEquals("world!", new String(c.got.get(2)));
      }
    }
  }

  /**
   * A call rolled back after appending in place leaves the pending bytes as they were: its
   * bytes past the kept length are overwritten by the next call.
   */
  @Test
  void abortedCallLeavesPendingBytesUnchanged() {
    Collect c = new Collect();
    byte[] stream = framed("0123456789".getBytes());
    c.dataReceived(Arrays.copyOfRange(stream, 0, 6)); // prefix and "01"
    c.dataReceived(Arrays.copyOfRange(stream, 6, 8)); // "23": now appended in place
    assertThrows(IllegalStateException.class, () -> Ame.atomic(() -> {
      c.dataReceived("XXXX".getBytes()); // appended in place, then rolled back
      throw new IllegalStateException("roll back");
    }));
    c.dataReceived(Arrays.copyOfRange(stream, 8, stream.length));
    assertEquals(1, c.got.size());
    assertEquals("0123456789", new String(c.got.get(0)));
  }
}
