package org.ame4j.internal.agent.rt;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntBinaryOperator;
import java.util.function.IntUnaryOperator;
import org.ame4j.internal.engine.Txn;

/**
 * The transactional stand-ins for {@code AtomicInteger}: every public method of the JDK class but the
 * memory-order variants ({@code getAcquire}, {@code setRelease}, {@code weakCompareAndSet…}: the agent calls
 * the volatile form's stand-in for them, see {@code Intrinsics.MEMORY_ORDER_VARIANTS}), as
 * {@code name(receiver, args…, Txn)}. What they guarantee, and what they do not, is the contract
 * of {@link JdkIntrinsics}; which calls are replaced by them is {@code Intrinsics} (the agent).
 */
public final class AtomicIntegerIntrinsics {
  private AtomicIntegerIntrinsics() {}

  private static final CallTarget INT_UNARY = Receivers.target("applyAsInt", "(I)I", "IntUnaryOperator");
  private static final CallTarget INT_BINARY = Receivers.target("applyAsInt", "(II)I", "IntBinaryOperator");

  public static int get(AtomicInteger a, Txn tx) {
    return AtomicLocations.read(a, tx);
  }

  public static void set(AtomicInteger a, int newValue, Txn tx) {
    AtomicLocations.write(a, newValue, tx);
  }

  public static int getAndSet(AtomicInteger a, int newValue, Txn tx) {
    int old = AtomicLocations.update(a, tx);
    a.set(newValue);
    return old;
  }

  public static boolean compareAndSet(AtomicInteger a, int expectedValue, int newValue, Txn tx) {
    return AtomicLocations.cas(a, expectedValue, newValue, tx);
  }

  public static int compareAndExchange(AtomicInteger a, int expectedValue, int newValue, Txn tx) {
    return AtomicLocations.exchange(a, expectedValue, newValue, tx);
  }

  public static int getAndIncrement(AtomicInteger a, Txn tx) {
    int old = AtomicLocations.update(a, tx);
    int next = old + 1;
    a.set(next);
    return old;
  }

  public static int getAndDecrement(AtomicInteger a, Txn tx) {
    int old = AtomicLocations.update(a, tx);
    int next = old - 1;
    a.set(next);
    return old;
  }

  public static int incrementAndGet(AtomicInteger a, Txn tx) {
    int old = AtomicLocations.update(a, tx);
    int next = old + 1;
    a.set(next);
    return next;
  }

  public static int decrementAndGet(AtomicInteger a, Txn tx) {
    int old = AtomicLocations.update(a, tx);
    int next = old - 1;
    a.set(next);
    return next;
  }

  public static int getAndAdd(AtomicInteger a, int delta, Txn tx) {
    int old = AtomicLocations.update(a, tx);
    int next = old + delta;
    a.set(next);
    return old;
  }

  public static int addAndGet(AtomicInteger a, int delta, Txn tx) {
    int old = AtomicLocations.update(a, tx);
    int next = old + delta;
    a.set(next);
    return next;
  }

  public static int getAndUpdate(AtomicInteger a, IntUnaryOperator updateFunction, Txn tx) {
    Receivers.function(INT_UNARY, updateFunction, "java.util.concurrent.atomic.AtomicInteger.getAndUpdate", tx);
    return update(a, updateFunction, false, tx);
  }

  public static int updateAndGet(AtomicInteger a, IntUnaryOperator updateFunction, Txn tx) {
    Receivers.function(INT_UNARY, updateFunction, "java.util.concurrent.atomic.AtomicInteger.updateAndGet", tx);
    return update(a, updateFunction, true, tx);
  }

  public static int getAndAccumulate(AtomicInteger a, int x, IntBinaryOperator accumulatorFunction, Txn tx) {
    Receivers.function(INT_BINARY, accumulatorFunction, "java.util.concurrent.atomic.AtomicInteger.getAndAccumulate", tx);
    return update(a, v -> accumulatorFunction.applyAsInt(v, x), false, tx);
  }

  public static int accumulateAndGet(AtomicInteger a, int x, IntBinaryOperator accumulatorFunction, Txn tx) {
    Receivers.function(INT_BINARY, accumulatorFunction, "java.util.concurrent.atomic.AtomicInteger.accumulateAndGet", tx);
    return update(a, v -> accumulatorFunction.applyAsInt(v, x), true, tx);
  }

  /**
   * The JDK's update loop, under the location's lock (so only the function itself can change the
   * value while it runs): the new value if {@code returnNext}, else the old one.
   */
  private static int update(AtomicInteger a, IntUnaryOperator f, boolean returnNext, Txn tx) {
    int old = AtomicLocations.update(a, tx);
    for (; ; ) {
      int next = f.applyAsInt(old);
      int now = a.get();
      if (now == old) {
        a.set(next);
        return returnNext ? next : old;
      }
      old = now;
    }
  }

  public static int intValue(AtomicInteger a, Txn tx) {
    return Receivers.virtual(a, AtomicInteger.class, "intValue()I", tx) ? a.intValue() : AtomicLocations.read(a, tx);
  }

  public static long longValue(AtomicInteger a, Txn tx) {
    return Receivers.virtual(a, AtomicInteger.class, "longValue()J", tx) ? a.longValue() : (long) AtomicLocations.read(a, tx);
  }

  public static float floatValue(AtomicInteger a, Txn tx) {
    return Receivers.virtual(a, AtomicInteger.class, "floatValue()F", tx) ? a.floatValue() : (float) AtomicLocations.read(a, tx);
  }

  public static double doubleValue(AtomicInteger a, Txn tx) {
    return Receivers.virtual(a, AtomicInteger.class, "doubleValue()D", tx) ? a.doubleValue() : (double) AtomicLocations.read(a, tx);
  }

  public static byte byteValue(AtomicInteger a, Txn tx) {
    return Receivers.virtual(a, AtomicInteger.class, "byteValue()B", tx) ? a.byteValue() : (byte) intValue(a, tx);
  }

  public static short shortValue(AtomicInteger a, Txn tx) {
    return Receivers.virtual(a, AtomicInteger.class, "shortValue()S", tx) ? a.shortValue() : (short) intValue(a, tx);
  }

  public static String toString(AtomicInteger a, Txn tx) {
    return Receivers.virtual(a, AtomicInteger.class, "toString()Ljava/lang/String;", tx)
        ? a.toString()
        : Integer.toString(AtomicLocations.read(a, tx));
  }
}
