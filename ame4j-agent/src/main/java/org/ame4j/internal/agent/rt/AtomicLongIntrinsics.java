package org.ame4j.internal.agent.rt;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongBinaryOperator;
import java.util.function.LongUnaryOperator;
import org.ame4j.internal.engine.Txn;

/**
 * The transactional stand-ins for {@code AtomicLong}: every public method of the JDK class but the
 * memory-order variants ({@code getAcquire}, {@code setRelease}, {@code weakCompareAndSet…}: the agent calls
 * the volatile form's stand-in for them, see {@code Intrinsics.MEMORY_ORDER_VARIANTS}), as
 * {@code name(receiver, args…, Txn)}. What they guarantee, and what they do not, is the contract
 * of {@link JdkIntrinsics}; which calls are replaced by them is {@code Intrinsics} (the agent).
 */
public final class AtomicLongIntrinsics {
  private AtomicLongIntrinsics() {}

  private static final CallTarget LONG_UNARY = Receivers.target("applyAsLong", "(J)J", "LongUnaryOperator");
  private static final CallTarget LONG_BINARY = Receivers.target("applyAsLong", "(JJ)J", "LongBinaryOperator");

  public static long get(AtomicLong a, Txn tx) {
    return AtomicLocations.read(a, tx);
  }

  public static void set(AtomicLong a, long newValue, Txn tx) {
    AtomicLocations.write(a, newValue, tx);
  }

  public static long getAndSet(AtomicLong a, long newValue, Txn tx) {
    long old = AtomicLocations.update(a, tx);
    a.set(newValue);
    return old;
  }

  public static boolean compareAndSet(AtomicLong a, long expectedValue, long newValue, Txn tx) {
    return AtomicLocations.cas(a, expectedValue, newValue, tx);
  }

  public static long compareAndExchange(AtomicLong a, long expectedValue, long newValue, Txn tx) {
    return AtomicLocations.exchange(a, expectedValue, newValue, tx);
  }

  public static long getAndIncrement(AtomicLong a, Txn tx) {
    long old = AtomicLocations.update(a, tx);
    long next = old + 1;
    a.set(next);
    return old;
  }

  public static long getAndDecrement(AtomicLong a, Txn tx) {
    long old = AtomicLocations.update(a, tx);
    long next = old - 1;
    a.set(next);
    return old;
  }

  public static long incrementAndGet(AtomicLong a, Txn tx) {
    long old = AtomicLocations.update(a, tx);
    long next = old + 1;
    a.set(next);
    return next;
  }

  public static long decrementAndGet(AtomicLong a, Txn tx) {
    long old = AtomicLocations.update(a, tx);
    long next = old - 1;
    a.set(next);
    return next;
  }

  public static long getAndAdd(AtomicLong a, long delta, Txn tx) {
    long old = AtomicLocations.update(a, tx);
    long next = old + delta;
    a.set(next);
    return old;
  }

  public static long addAndGet(AtomicLong a, long delta, Txn tx) {
    long old = AtomicLocations.update(a, tx);
    long next = old + delta;
    a.set(next);
    return next;
  }

  public static long getAndUpdate(AtomicLong a, LongUnaryOperator updateFunction, Txn tx) {
    Receivers.function(LONG_UNARY, updateFunction, "java.util.concurrent.atomic.AtomicLong.getAndUpdate", tx);
    return update(a, updateFunction, false, tx);
  }

  public static long updateAndGet(AtomicLong a, LongUnaryOperator updateFunction, Txn tx) {
    Receivers.function(LONG_UNARY, updateFunction, "java.util.concurrent.atomic.AtomicLong.updateAndGet", tx);
    return update(a, updateFunction, true, tx);
  }

  public static long getAndAccumulate(AtomicLong a, long x, LongBinaryOperator accumulatorFunction, Txn tx) {
    Receivers.function(LONG_BINARY, accumulatorFunction, "java.util.concurrent.atomic.AtomicLong.getAndAccumulate", tx);
    return update(a, v -> accumulatorFunction.applyAsLong(v, x), false, tx);
  }

  public static long accumulateAndGet(AtomicLong a, long x, LongBinaryOperator accumulatorFunction, Txn tx) {
    Receivers.function(LONG_BINARY, accumulatorFunction, "java.util.concurrent.atomic.AtomicLong.accumulateAndGet", tx);
    return update(a, v -> accumulatorFunction.applyAsLong(v, x), true, tx);
  }

  /**
   * The JDK's update loop, under the location's lock (so only the function itself can change the
   * value while it runs): the new value if {@code returnNext}, else the old one.
   */
  private static long update(AtomicLong a, LongUnaryOperator f, boolean returnNext, Txn tx) {
    long old = AtomicLocations.update(a, tx);
    for (; ; ) {
      long next = f.applyAsLong(old);
      long now = a.get();
      if (now == old) {
        a.set(next);
        return returnNext ? next : old;
      }
      old = now;
    }
  }

  public static int intValue(AtomicLong a, Txn tx) {
    return Receivers.virtual(a, AtomicLong.class, "intValue()I", tx) ? a.intValue() : (int) AtomicLocations.read(a, tx);
  }

  public static long longValue(AtomicLong a, Txn tx) {
    return Receivers.virtual(a, AtomicLong.class, "longValue()J", tx) ? a.longValue() : AtomicLocations.read(a, tx);
  }

  public static float floatValue(AtomicLong a, Txn tx) {
    return Receivers.virtual(a, AtomicLong.class, "floatValue()F", tx) ? a.floatValue() : (float) AtomicLocations.read(a, tx);
  }

  public static double doubleValue(AtomicLong a, Txn tx) {
    return Receivers.virtual(a, AtomicLong.class, "doubleValue()D", tx) ? a.doubleValue() : (double) AtomicLocations.read(a, tx);
  }

  public static byte byteValue(AtomicLong a, Txn tx) {
    return Receivers.virtual(a, AtomicLong.class, "byteValue()B", tx) ? a.byteValue() : (byte) intValue(a, tx);
  }

  public static short shortValue(AtomicLong a, Txn tx) {
    return Receivers.virtual(a, AtomicLong.class, "shortValue()S", tx) ? a.shortValue() : (short) intValue(a, tx);
  }

  public static String toString(AtomicLong a, Txn tx) {
    return Receivers.virtual(a, AtomicLong.class, "toString()Ljava/lang/String;", tx)
        ? a.toString()
        : Long.toString(AtomicLocations.read(a, tx));
  }
}
