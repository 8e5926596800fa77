package org.ame4j.internal.agent.rt;

import java.util.concurrent.atomic.LongAdder;
import org.ame4j.internal.engine.Txn;

/**
 * The transactional stand-ins for {@code LongAdder} (adds are blind: they need no read-set entry): every public method of the JDK class, as
 * {@code name(receiver, args…, Txn)}. What they guarantee, and what they do not, is the contract
 * of {@link JdkIntrinsics}; which calls are replaced by them is {@code Intrinsics} (the agent).
 */
public final class LongAdderIntrinsics {
  private LongAdderIntrinsics() {}

  public static void add(LongAdder a, long x, Txn tx) {
    if (Receivers.virtualUnlessPristine(a, LongAdder.class, "add(J)V", tx)) {
      a.add(x);
    } else {
      AtomicLocations.add(a, x, tx);
    }
  }

  public static void increment(LongAdder a, Txn tx) {
    if (Receivers.virtualUnlessPristine(a, LongAdder.class, "increment()V", tx)) {
      a.increment();
    } else {
      AtomicLocations.add(a, 1L, tx);
    }
  }

  public static void decrement(LongAdder a, Txn tx) {
    if (Receivers.virtualUnlessPristine(a, LongAdder.class, "decrement()V", tx)) {
      a.decrement();
    } else {
      AtomicLocations.add(a, -1L, tx);
    }
  }

  public static long sum(LongAdder a, Txn tx) {
    return Receivers.virtualUnlessPristine(a, LongAdder.class, "sum()J", tx) ? a.sum() : AtomicLocations.sum(a, tx);
  }

  public static void reset(LongAdder a, Txn tx) {
    if (Receivers.virtualUnlessPristine(a, LongAdder.class, "reset()V", tx)) {
      a.reset();
    } else {
      AtomicLocations.reset(a, tx);
    }
  }

  public static long sumThenReset(LongAdder a, Txn tx) {
    return Receivers.virtualUnlessPristine(a, LongAdder.class, "sumThenReset()J", tx) ? a.sumThenReset() : AtomicLocations.reset(a, tx);
  }

  public static long longValue(LongAdder a, Txn tx) {
    return Receivers.virtualUnlessPristine(a, LongAdder.class, "longValue()J", tx) ? a.longValue() : AtomicLocations.sum(a, tx);
  }

  public static int intValue(LongAdder a, Txn tx) {
    return Receivers.virtualUnlessPristine(a, LongAdder.class, "intValue()I", tx) ? a.intValue() : (int) AtomicLocations.sum(a, tx);
  }

  public static float floatValue(LongAdder a, Txn tx) {
    return Receivers.virtualUnlessPristine(a, LongAdder.class, "floatValue()F", tx) ? a.floatValue() : (float) AtomicLocations.sum(a, tx);
  }

  public static double doubleValue(LongAdder a, Txn tx) {
    return Receivers.virtualUnlessPristine(a, LongAdder.class, "doubleValue()D", tx) ? a.doubleValue() : (double) AtomicLocations.sum(a, tx);
  }

  public static byte byteValue(LongAdder a, Txn tx) {
    return Receivers.virtualUnlessPristine(a, LongAdder.class, "byteValue()B", tx) ? a.byteValue() : (byte) AtomicLocations.sum(a, tx);
  }

  public static short shortValue(LongAdder a, Txn tx) {
    return Receivers.virtualUnlessPristine(a, LongAdder.class, "shortValue()S", tx) ? a.shortValue() : (short) AtomicLocations.sum(a, tx);
  }

  public static String toString(LongAdder a, Txn tx) {
    return Receivers.virtualUnlessPristine(a, LongAdder.class, "toString()Ljava/lang/String;", tx)
        ? a.toString()
        : Long.toString(AtomicLocations.sum(a, tx));
  }
}
