package org.ame4jexamples.corpus;

import java.util.Locale;

/**
 * FNV-1a over 64-bit values: the fingerprint of a program's final state. Only called after a
 * run (never inside a task).
 */
final class Digest {
  private long h = 0xcbf29ce484222325L;

  Digest add(long v) {
    for (int i = 0; i < 8; i++) {
      h ^= (v >>> (8 * i)) & 0xff;
      h *= 0x100000001b3L;
    }
    return this;
  }

  Digest add(double v) {
    return add(Double.doubleToRawLongBits(v));
  }

  Digest add(int[] values) {
    add(values.length);
    for (int v : values) {
      add(v);
    }
    return this;
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%016x", h);
  }
}
