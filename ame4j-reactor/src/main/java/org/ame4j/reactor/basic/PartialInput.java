package org.ame4j.reactor.basic;

import java.util.Arrays;
import org.ame4j.Ref;

/**
 * The bytes of a connection not yet consumed by its framing: a transactional cell, so a
 * rolled-back {@code dataReceived} leaves it as it was (the framing code itself is not
 * instrumented, so a plain field would not roll back).
 */
final class PartialInput {
  private static final byte[] EMPTY = new byte[0];
  private final Ref<byte[]> rest = new Ref<>(EMPTY);

  /** The unconsumed bytes followed by {@code data} (a fresh array unless one side is empty). */
  byte[] append(byte[] data) {
    byte[] r = rest.get();
    if (r.length == 0) {
      return data;
    }
    byte[] all = Arrays.copyOf(r, r.length + data.length);
    System.arraycopy(data, 0, all, r.length, data.length);
    return all;
  }

  /** Keeps {@code buf[from..]} for the next call. */
  void keep(byte[] buf, int from) {
    rest.set(from >= buf.length ? EMPTY : Arrays.copyOfRange(buf, from, buf.length));
  }

  int size() {
    return rest.get().length;
  }
}
