package org.ame4j.internal.agent.rt;

import java.util.concurrent.atomic.AtomicBoolean;
import org.ame4j.internal.engine.Txn;

/**
 * The transactional stand-ins for {@code AtomicBoolean}: every public method of the JDK class but the
 * memory-order variants ({@code getAcquire}, {@code setRelease}, {@code weakCompareAndSet…}: the agent calls
 * the volatile form's stand-in for them, see {@code Intrinsics.MEMORY_ORDER_VARIANTS}), as
 * {@code name(receiver, args…, Txn)}. What they guarantee, and what they do not, is the contract
 * of {@link JdkIntrinsics}; which calls are replaced by them is {@code Intrinsics} (the agent).
 */
public final class AtomicBooleanIntrinsics {
  private AtomicBooleanIntrinsics() {}

  public static boolean get(AtomicBoolean a, Txn tx) {
    return AtomicLocations.read(a, tx);
  }

  public static void set(AtomicBoolean a, boolean newValue, Txn tx) {
    AtomicLocations.write(a, newValue, tx);
  }

  public static boolean getAndSet(AtomicBoolean a, boolean newValue, Txn tx) {
    boolean old = AtomicLocations.update(a, tx);
    a.set(newValue);
    return old;
  }

  public static boolean compareAndSet(AtomicBoolean a, boolean expectedValue, boolean newValue, Txn tx) {
    return AtomicLocations.cas(a, expectedValue, newValue, tx);
  }

  public static boolean weakCompareAndSet(AtomicBoolean a, boolean expectedValue, boolean newValue, Txn tx) {
    return Receivers.virtual(a, AtomicBoolean.class, "weakCompareAndSet(ZZ)Z", tx)
        ? a.weakCompareAndSet(expectedValue, newValue)
        : AtomicLocations.cas(a, expectedValue, newValue, tx);
  }

  public static boolean weakCompareAndSetPlain(AtomicBoolean a, boolean expectedValue, boolean newValue, Txn tx) {
    return Receivers.virtual(a, AtomicBoolean.class, "weakCompareAndSetPlain(ZZ)Z", tx)
        ? a.weakCompareAndSetPlain(expectedValue, newValue)
        : AtomicLocations.cas(a, expectedValue, newValue, tx);
  }

  public static boolean compareAndExchange(AtomicBoolean a, boolean expectedValue, boolean newValue, Txn tx) {
    return AtomicLocations.exchange(a, expectedValue, newValue, tx);
  }

  public static String toString(AtomicBoolean a, Txn tx) {
    return Receivers.virtual(a, AtomicBoolean.class, "toString()Ljava/lang/String;", tx)
        ? a.toString()
        : Boolean.toString(AtomicLocations.read(a, tx));
  }
}
