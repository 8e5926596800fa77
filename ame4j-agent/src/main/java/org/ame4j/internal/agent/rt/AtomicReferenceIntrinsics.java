package org.ame4j.internal.agent.rt;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;
import org.ame4j.internal.engine.Txn;

/**
 * The transactional stand-ins for {@code AtomicReference}: every public method of the JDK class but the
 * memory-order variants ({@code getAcquire}, {@code setRelease}, {@code weakCompareAndSet…}: the agent calls
 * the volatile form's stand-in for them, see {@code Intrinsics.MEMORY_ORDER_VARIANTS}), as
 * {@code name(receiver, args…, Txn)}. What they guarantee, and what they do not, is the contract
 * of {@link JdkIntrinsics}; which calls are replaced by them is {@code Intrinsics} (the agent).
 */
public final class AtomicReferenceIntrinsics {
  private AtomicReferenceIntrinsics() {}

  private static final CallTarget UNARY =
      Receivers.target("apply", "(Ljava/lang/Object;)Ljava/lang/Object;", "UnaryOperator");
  private static final CallTarget BINARY =
      Receivers.target("apply", "(Ljava/lang/Object;Ljava/lang/Object;)Ljava/lang/Object;", "BinaryOperator");
  private static final CallTarget TO_STRING = Receivers.target("toString", "()Ljava/lang/String;", "toString");

  public static <V> V get(AtomicReference<V> a, Txn tx) {
    return AtomicLocations.read(a, tx);
  }

  public static <V> void set(AtomicReference<V> a, V newValue, Txn tx) {
    AtomicLocations.write(a, newValue, tx);
  }

  public static <V> V getAndSet(AtomicReference<V> a, V newValue, Txn tx) {
    V old = AtomicLocations.update(a, tx);
    a.set(newValue);
    return old;
  }

  public static <V> boolean compareAndSet(AtomicReference<V> a, V expectedValue, V newValue, Txn tx) {
    return AtomicLocations.cas(a, expectedValue, newValue, tx);
  }

  public static <V> V compareAndExchange(AtomicReference<V> a, V expectedValue, V newValue, Txn tx) {
    return AtomicLocations.exchange(a, expectedValue, newValue, tx);
  }

  public static <V> V getAndUpdate(AtomicReference<V> a, UnaryOperator<V> updateFunction, Txn tx) {
    Receivers.function(UNARY, updateFunction, "java.util.concurrent.atomic.AtomicReference.getAndUpdate", tx);
    return update(a, updateFunction, false, tx);
  }

  public static <V> V updateAndGet(AtomicReference<V> a, UnaryOperator<V> updateFunction, Txn tx) {
    Receivers.function(UNARY, updateFunction, "java.util.concurrent.atomic.AtomicReference.updateAndGet", tx);
    return update(a, updateFunction, true, tx);
  }

  public static <V> V getAndAccumulate(AtomicReference<V> a, V x, BinaryOperator<V> accumulatorFunction, Txn tx) {
    Receivers.function(BINARY, accumulatorFunction, "java.util.concurrent.atomic.AtomicReference.getAndAccumulate", tx);
    return update(a, v -> accumulatorFunction.apply(v, x), false, tx);
  }

  public static <V> V accumulateAndGet(AtomicReference<V> a, V x, BinaryOperator<V> accumulatorFunction, Txn tx) {
    Receivers.function(BINARY, accumulatorFunction, "java.util.concurrent.atomic.AtomicReference.accumulateAndGet", tx);
    return update(a, v -> accumulatorFunction.apply(v, x), true, tx);
  }

  /**
   * The JDK's update loop, under the location's lock (so only the function itself can change the
   * value while it runs): the new value if {@code returnNext}, else the old one.
   */
  private static <V> V update(AtomicReference<V> a, UnaryOperator<V> f, boolean returnNext, Txn tx) {
    V old = AtomicLocations.update(a, tx);
    for (; ; ) {
      V next = f.apply(old);
      V now = a.get();
      if (now == old) {
        a.set(next);
        return returnNext ? next : old;
      }
      old = now;
    }
  }

  public static String toString(AtomicReference<?> a, Txn tx) {
    if (Receivers.virtual(a, AtomicReference.class, "toString()Ljava/lang/String;", tx)) {
      return a.toString();
    }
    Object value = AtomicLocations.read(a, tx);
    Receivers.function(TO_STRING, value, "java.util.concurrent.atomic.AtomicReference.toString", tx);
    return String.valueOf(value);
  }
}
