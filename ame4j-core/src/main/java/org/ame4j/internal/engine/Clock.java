package org.ame4j.internal.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The global version clock (TL2, Dice, Shalev and Shavit, DISC 2006).
 *
 * <p>Every writing commit takes a fresh time stamp with {@link #tick()}; every location's
 * ownership record carries the time stamp of the commit that last wrote it. A transaction reads
 * the clock when it starts ({@link #now()}) and treats any location stamped later as possibly
 * inconsistent with what it has read so far (it then validates, see {@code Txn#extend}).
 *
 * <p>Guarantees: stamps are strictly increasing and every stamp stored in an ownership record is
 * at most {@link #now()}. Read-only commits never touch the clock. The counter is padded so that
 * the hot line is not shared with unrelated data (JCTools-style).
 */
final class Clock {
  private static final VarHandle TIME;

  static {
    try {
      TIME = MethodHandles.lookup().findStaticVarHandle(Clock.class, "time", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @SuppressWarnings("unused") private static long p01, p02, p03, p04, p05, p06, p07;
  @SuppressWarnings("unused") private static volatile long time;
  @SuppressWarnings("unused") private static long p11, p12, p13, p14, p15, p16, p17;

  private Clock() {}

  /** Current time stamp (volatile read). */
  static long now() {
    return (long) TIME.getVolatile();
  }

  /** A new time stamp, greater than every one handed out before. */
  static long tick() {
    return (long) TIME.getAndAdd(1L) + 1L;
  }
}
