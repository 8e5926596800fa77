package org.ame4j.internal.agent.rt;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BinaryOperator;
import java.util.function.IntBinaryOperator;
import java.util.function.IntUnaryOperator;
import java.util.function.LongBinaryOperator;
import java.util.function.LongUnaryOperator;
import java.util.function.UnaryOperator;
import org.ame4j.internal.engine.Txn;

/**
 * Transactional stand-ins for the JDK operations that twinning bytecode cannot make
 * transactional, because they are native ({@code System.arraycopy}, array {@code clone()}) or
 * work through {@code Unsafe}/{@code VarHandle} ({@code java.util.concurrent.atomic}).
 *
 * <p><b>The contract with the transformer</b> is names and descriptors: a call
 * {@code owner.name(desc)} in a twin becomes {@code invokestatic JdkIntrinsics.name} with the
 * receiver (typed as {@code owner}) prepended for an instance method and the {@code Txn}
 * appended, whenever this class declares exactly that public static method. So
 * {@code AtomicLong.incrementAndGet()J} is {@link #incrementAndGet(AtomicLong, Txn)} and
 * {@code System.arraycopy} is {@link #arraycopy}; array {@code clone()} is {@link #cloneArray}.
 * Only {@code invokevirtual} calls are meant: a {@code super.m()} call ({@code invokespecial})
 * inside a subclass's override must stay as it is (untracked, so inevitable), because an
 * intrinsic of a non-final method calls an override virtually, and would call itself again.
 *
 * <p><b>What it guarantees.</b> Inside a transaction, an atomic object behaves exactly as a plain
 * field of the transaction would: every operation is isolated from other transactions, undone on
 * abort or on a rolled-back nested block, serializable, and in an ordered queue the result is the
 * sequential one. Its memory-ordering variants ({@code getPlain}, {@code lazySet},
 * {@code setRelease}, …) all mean the transactional read or write (stronger than asked, never
 * weaker); {@code weakCompareAndSet*} never fails spuriously; the {@code compareAndSet} family
 * compares with the value read by the transaction (identity for {@code AtomicReference}). Each
 * atomic object is one location (see {@link AtomicLocations} for its identity and protocol).
 * {@code arraycopy} and {@code cloneArray} read every source element through the read barrier and
 * write every destination element through the write barrier, with {@code System.arraycopy}'s
 * exact semantics and exceptions ({@link ArrayIntrinsics}). Opacity holds throughout: no attempt,
 * even one that will abort, sees a torn or uncommitted state.
 *
 * <p><b>User code behind an intrinsic never runs silently</b> ({@link Receivers}): a function
 * passed to {@code getAndUpdate}/{@code accumulateAndGet}, the value whose {@code toString} an
 * {@code AtomicReference.toString} calls, and a subclass override of a non-final method run as
 * they are when they are tracked (instrumented code, a lambda of instrumented code, a value type);
 * anything else makes the transaction inevitable first, with the caller's source line as site.
 *
 * <p><b>What it does not guarantee.</b> Threads that use the same atomic object or array
 * <em>outside</em> any transaction are not isolated from transactions (no strong atomicity, as for
 * every field): they may see a transaction's uncommitted value, and a rollback may overwrite
 * their update (a {@code LongAdder} rollback subtracts what the transaction added, so concurrent
 * plain adds survive it; an atomic's rollback restores the old value). The atomics' lock-free
 * progress is not kept inside transactions: a transaction that updates an atomic holds its record
 * until commit, so hot counters serialize their transactions (a {@code LongAdder} update is blind,
 * with no read-set entry, which avoids read/write aborts but not that). No fairness beyond the
 * engine's.
 */
public final class JdkIntrinsics {
  private JdkIntrinsics() {}

  private static final CallTarget INT_UNARY = Receivers.target("applyAsInt", "(I)I", "IntUnaryOperator");
  private static final CallTarget INT_BINARY = Receivers.target("applyAsInt", "(II)I", "IntBinaryOperator");
  private static final CallTarget LONG_UNARY = Receivers.target("applyAsLong", "(J)J", "LongUnaryOperator");
  private static final CallTarget LONG_BINARY = Receivers.target("applyAsLong", "(JJ)J", "LongBinaryOperator");
  private static final CallTarget UNARY =
      Receivers.target("apply", "(Ljava/lang/Object;)Ljava/lang/Object;", "UnaryOperator");
  private static final CallTarget BINARY =
      Receivers.target("apply", "(Ljava/lang/Object;Ljava/lang/Object;)Ljava/lang/Object;", "BinaryOperator");
  private static final CallTarget TO_STRING = Receivers.target("toString", "()Ljava/lang/String;", "toString");

  // ---- arrays ---------------------------------------------------------------------------------

  /** {@code System.arraycopy}, element by element through the barriers. */
  public static void arraycopy(Object src, int srcPos, Object dest, int destPos, int length, Txn tx) {
    ArrayIntrinsics.arraycopy(src, srcPos, dest, destPos, length, tx);
  }

  /** {@code array.clone()} for any array type: read through the barriers, the copy is the attempt's own. */
  public static Object cloneArray(Object array, Txn tx) {
    return ArrayIntrinsics.cloneArray(array, tx);
  }

  // ---- AtomicInteger -----------------------------------------------------------------------

  public static int get(AtomicInteger a, Txn tx) {
    return AtomicLocations.read(a, tx);
  }

  public static int getPlain(AtomicInteger a, Txn tx) {
    return AtomicLocations.read(a, tx);
  }

  public static int getOpaque(AtomicInteger a, Txn tx) {
    return AtomicLocations.read(a, tx);
  }

  public static int getAcquire(AtomicInteger a, Txn tx) {
    return AtomicLocations.read(a, tx);
  }

  public static void set(AtomicInteger a, int newValue, Txn tx) {
    AtomicLocations.write(a, newValue, tx);
  }

  public static void lazySet(AtomicInteger a, int newValue, Txn tx) {
    AtomicLocations.write(a, newValue, tx);
  }

  public static void setPlain(AtomicInteger a, int newValue, Txn tx) {
    AtomicLocations.write(a, newValue, tx);
  }

  public static void setOpaque(AtomicInteger a, int newValue, Txn tx) {
    AtomicLocations.write(a, newValue, tx);
  }

  public static void setRelease(AtomicInteger a, int newValue, Txn tx) {
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

  public static boolean weakCompareAndSet(AtomicInteger a, int expectedValue, int newValue, Txn tx) {
    return AtomicLocations.cas(a, expectedValue, newValue, tx);
  }

  public static boolean weakCompareAndSetPlain(AtomicInteger a, int expectedValue, int newValue, Txn tx) {
    return AtomicLocations.cas(a, expectedValue, newValue, tx);
  }

  public static boolean weakCompareAndSetVolatile(AtomicInteger a, int expectedValue, int newValue, Txn tx) {
    return AtomicLocations.cas(a, expectedValue, newValue, tx);
  }

  public static boolean weakCompareAndSetAcquire(AtomicInteger a, int expectedValue, int newValue, Txn tx) {
    return AtomicLocations.cas(a, expectedValue, newValue, tx);
  }

  public static boolean weakCompareAndSetRelease(AtomicInteger a, int expectedValue, int newValue, Txn tx) {
    return AtomicLocations.cas(a, expectedValue, newValue, tx);
  }

  public static int compareAndExchange(AtomicInteger a, int expectedValue, int newValue, Txn tx) {
    return AtomicLocations.exchange(a, expectedValue, newValue, tx);
  }

  public static int compareAndExchangeAcquire(AtomicInteger a, int expectedValue, int newValue, Txn tx) {
    return AtomicLocations.exchange(a, expectedValue, newValue, tx);
  }

  public static int compareAndExchangeRelease(AtomicInteger a, int expectedValue, int newValue, Txn tx) {
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
    int old = AtomicLocations.update(a, tx);
    for (; ; ) { // the JDK's loop; under our lock only the function itself can change the value
      int next = updateFunction.applyAsInt(old);
      int now = a.get();
      if (now == old) {
        a.set(next);
        return old;
      }
      old = now;
    }
  }

  public static int updateAndGet(AtomicInteger a, IntUnaryOperator updateFunction, Txn tx) {
    Receivers.function(INT_UNARY, updateFunction, "java.util.concurrent.atomic.AtomicInteger.updateAndGet", tx);
    int old = AtomicLocations.update(a, tx);
    for (; ; ) { // the JDK's loop; under our lock only the function itself can change the value
      int next = updateFunction.applyAsInt(old);
      int now = a.get();
      if (now == old) {
        a.set(next);
        return next;
      }
      old = now;
    }
  }

  public static int getAndAccumulate(AtomicInteger a, int x, IntBinaryOperator accumulatorFunction, Txn tx) {
    Receivers.function(INT_BINARY, accumulatorFunction, "java.util.concurrent.atomic.AtomicInteger.getAndAccumulate", tx);
    int old = AtomicLocations.update(a, tx);
    for (; ; ) { // the JDK's loop; under our lock only the function itself can change the value
      int next = accumulatorFunction.applyAsInt(old, x);
      int now = a.get();
      if (now == old) {
        a.set(next);
        return old;
      }
      old = now;
    }
  }

  public static int accumulateAndGet(AtomicInteger a, int x, IntBinaryOperator accumulatorFunction, Txn tx) {
    Receivers.function(INT_BINARY, accumulatorFunction, "java.util.concurrent.atomic.AtomicInteger.accumulateAndGet", tx);
    int old = AtomicLocations.update(a, tx);
    for (; ; ) { // the JDK's loop; under our lock only the function itself can change the value
      int next = accumulatorFunction.applyAsInt(old, x);
      int now = a.get();
      if (now == old) {
        a.set(next);
        return next;
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

  // ---- AtomicLong --------------------------------------------------------------------------

  public static long get(AtomicLong a, Txn tx) {
    return AtomicLocations.read(a, tx);
  }

  public static long getPlain(AtomicLong a, Txn tx) {
    return AtomicLocations.read(a, tx);
  }

  public static long getOpaque(AtomicLong a, Txn tx) {
    return AtomicLocations.read(a, tx);
  }

  public static long getAcquire(AtomicLong a, Txn tx) {
    return AtomicLocations.read(a, tx);
  }

  public static void set(AtomicLong a, long newValue, Txn tx) {
    AtomicLocations.write(a, newValue, tx);
  }

  public static void lazySet(AtomicLong a, long newValue, Txn tx) {
    AtomicLocations.write(a, newValue, tx);
  }

  public static void setPlain(AtomicLong a, long newValue, Txn tx) {
    AtomicLocations.write(a, newValue, tx);
  }

  public static void setOpaque(AtomicLong a, long newValue, Txn tx) {
    AtomicLocations.write(a, newValue, tx);
  }

  public static void setRelease(AtomicLong a, long newValue, Txn tx) {
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

  public static boolean weakCompareAndSet(AtomicLong a, long expectedValue, long newValue, Txn tx) {
    return AtomicLocations.cas(a, expectedValue, newValue, tx);
  }

  public static boolean weakCompareAndSetPlain(AtomicLong a, long expectedValue, long newValue, Txn tx) {
    return AtomicLocations.cas(a, expectedValue, newValue, tx);
  }

  public static boolean weakCompareAndSetVolatile(AtomicLong a, long expectedValue, long newValue, Txn tx) {
    return AtomicLocations.cas(a, expectedValue, newValue, tx);
  }

  public static boolean weakCompareAndSetAcquire(AtomicLong a, long expectedValue, long newValue, Txn tx) {
    return AtomicLocations.cas(a, expectedValue, newValue, tx);
  }

  public static boolean weakCompareAndSetRelease(AtomicLong a, long expectedValue, long newValue, Txn tx) {
    return AtomicLocations.cas(a, expectedValue, newValue, tx);
  }

  public static long compareAndExchange(AtomicLong a, long expectedValue, long newValue, Txn tx) {
    return AtomicLocations.exchange(a, expectedValue, newValue, tx);
  }

  public static long compareAndExchangeAcquire(AtomicLong a, long expectedValue, long newValue, Txn tx) {
    return AtomicLocations.exchange(a, expectedValue, newValue, tx);
  }

  public static long compareAndExchangeRelease(AtomicLong a, long expectedValue, long newValue, Txn tx) {
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
    long old = AtomicLocations.update(a, tx);
    for (; ; ) { // the JDK's loop; under our lock only the function itself can change the value
      long next = updateFunction.applyAsLong(old);
      long now = a.get();
      if (now == old) {
        a.set(next);
        return old;
      }
      old = now;
    }
  }

  public static long updateAndGet(AtomicLong a, LongUnaryOperator updateFunction, Txn tx) {
    Receivers.function(LONG_UNARY, updateFunction, "java.util.concurrent.atomic.AtomicLong.updateAndGet", tx);
    long old = AtomicLocations.update(a, tx);
    for (; ; ) { // the JDK's loop; under our lock only the function itself can change the value
      long next = updateFunction.applyAsLong(old);
      long now = a.get();
      if (now == old) {
        a.set(next);
        return next;
      }
      old = now;
    }
  }

  public static long getAndAccumulate(AtomicLong a, long x, LongBinaryOperator accumulatorFunction, Txn tx) {
    Receivers.function(LONG_BINARY, accumulatorFunction, "java.util.concurrent.atomic.AtomicLong.getAndAccumulate", tx);
    long old = AtomicLocations.update(a, tx);
    for (; ; ) { // the JDK's loop; under our lock only the function itself can change the value
      long next = accumulatorFunction.applyAsLong(old, x);
      long now = a.get();
      if (now == old) {
        a.set(next);
        return old;
      }
      old = now;
    }
  }

  public static long accumulateAndGet(AtomicLong a, long x, LongBinaryOperator accumulatorFunction, Txn tx) {
    Receivers.function(LONG_BINARY, accumulatorFunction, "java.util.concurrent.atomic.AtomicLong.accumulateAndGet", tx);
    long old = AtomicLocations.update(a, tx);
    for (; ; ) { // the JDK's loop; under our lock only the function itself can change the value
      long next = accumulatorFunction.applyAsLong(old, x);
      long now = a.get();
      if (now == old) {
        a.set(next);
        return next;
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

  // ---- AtomicBoolean -----------------------------------------------------------------------

  public static boolean get(AtomicBoolean a, Txn tx) {
    return AtomicLocations.read(a, tx);
  }

  public static boolean getPlain(AtomicBoolean a, Txn tx) {
    return AtomicLocations.read(a, tx);
  }

  public static boolean getOpaque(AtomicBoolean a, Txn tx) {
    return AtomicLocations.read(a, tx);
  }

  public static boolean getAcquire(AtomicBoolean a, Txn tx) {
    return AtomicLocations.read(a, tx);
  }

  public static void set(AtomicBoolean a, boolean newValue, Txn tx) {
    AtomicLocations.write(a, newValue, tx);
  }

  public static void lazySet(AtomicBoolean a, boolean newValue, Txn tx) {
    AtomicLocations.write(a, newValue, tx);
  }

  public static void setPlain(AtomicBoolean a, boolean newValue, Txn tx) {
    AtomicLocations.write(a, newValue, tx);
  }

  public static void setOpaque(AtomicBoolean a, boolean newValue, Txn tx) {
    AtomicLocations.write(a, newValue, tx);
  }

  public static void setRelease(AtomicBoolean a, boolean newValue, Txn tx) {
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

  public static boolean weakCompareAndSetVolatile(AtomicBoolean a, boolean expectedValue, boolean newValue, Txn tx) {
    return AtomicLocations.cas(a, expectedValue, newValue, tx);
  }

  public static boolean weakCompareAndSetAcquire(AtomicBoolean a, boolean expectedValue, boolean newValue, Txn tx) {
    return AtomicLocations.cas(a, expectedValue, newValue, tx);
  }

  public static boolean weakCompareAndSetRelease(AtomicBoolean a, boolean expectedValue, boolean newValue, Txn tx) {
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

  public static boolean compareAndExchangeAcquire(AtomicBoolean a, boolean expectedValue, boolean newValue, Txn tx) {
    return AtomicLocations.exchange(a, expectedValue, newValue, tx);
  }

  public static boolean compareAndExchangeRelease(AtomicBoolean a, boolean expectedValue, boolean newValue, Txn tx) {
    return AtomicLocations.exchange(a, expectedValue, newValue, tx);
  }

  public static String toString(AtomicBoolean a, Txn tx) {
    return Receivers.virtual(a, AtomicBoolean.class, "toString()Ljava/lang/String;", tx)
        ? a.toString()
        : Boolean.toString(AtomicLocations.read(a, tx));
  }

  // ---- AtomicReference ---------------------------------------------------------------------

  public static <V> V get(AtomicReference<V> a, Txn tx) {
    return AtomicLocations.read(a, tx);
  }

  public static <V> V getPlain(AtomicReference<V> a, Txn tx) {
    return AtomicLocations.read(a, tx);
  }

  public static <V> V getOpaque(AtomicReference<V> a, Txn tx) {
    return AtomicLocations.read(a, tx);
  }

  public static <V> V getAcquire(AtomicReference<V> a, Txn tx) {
    return AtomicLocations.read(a, tx);
  }

  public static <V> void set(AtomicReference<V> a, V newValue, Txn tx) {
    AtomicLocations.write(a, newValue, tx);
  }

  public static <V> void lazySet(AtomicReference<V> a, V newValue, Txn tx) {
    AtomicLocations.write(a, newValue, tx);
  }

  public static <V> void setPlain(AtomicReference<V> a, V newValue, Txn tx) {
    AtomicLocations.write(a, newValue, tx);
  }

  public static <V> void setOpaque(AtomicReference<V> a, V newValue, Txn tx) {
    AtomicLocations.write(a, newValue, tx);
  }

  public static <V> void setRelease(AtomicReference<V> a, V newValue, Txn tx) {
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

  public static <V> boolean weakCompareAndSet(AtomicReference<V> a, V expectedValue, V newValue, Txn tx) {
    return AtomicLocations.cas(a, expectedValue, newValue, tx);
  }

  public static <V> boolean weakCompareAndSetPlain(AtomicReference<V> a, V expectedValue, V newValue, Txn tx) {
    return AtomicLocations.cas(a, expectedValue, newValue, tx);
  }

  public static <V> boolean weakCompareAndSetVolatile(AtomicReference<V> a, V expectedValue, V newValue, Txn tx) {
    return AtomicLocations.cas(a, expectedValue, newValue, tx);
  }

  public static <V> boolean weakCompareAndSetAcquire(AtomicReference<V> a, V expectedValue, V newValue, Txn tx) {
    return AtomicLocations.cas(a, expectedValue, newValue, tx);
  }

  public static <V> boolean weakCompareAndSetRelease(AtomicReference<V> a, V expectedValue, V newValue, Txn tx) {
    return AtomicLocations.cas(a, expectedValue, newValue, tx);
  }

  public static <V> V compareAndExchange(AtomicReference<V> a, V expectedValue, V newValue, Txn tx) {
    return AtomicLocations.exchange(a, expectedValue, newValue, tx);
  }

  public static <V> V compareAndExchangeAcquire(AtomicReference<V> a, V expectedValue, V newValue, Txn tx) {
    return AtomicLocations.exchange(a, expectedValue, newValue, tx);
  }

  public static <V> V compareAndExchangeRelease(AtomicReference<V> a, V expectedValue, V newValue, Txn tx) {
    return AtomicLocations.exchange(a, expectedValue, newValue, tx);
  }

  public static <V> V getAndUpdate(AtomicReference<V> a, UnaryOperator<V> updateFunction, Txn tx) {
    Receivers.function(UNARY, updateFunction, "java.util.concurrent.atomic.AtomicReference.getAndUpdate", tx);
    V old = AtomicLocations.update(a, tx);
    for (; ; ) { // the JDK's loop; under our lock only the function itself can change the value
      V next = updateFunction.apply(old);
      V now = a.get();
      if (now == old) {
        a.set(next);
        return old;
      }
      old = now;
    }
  }

  public static <V> V updateAndGet(AtomicReference<V> a, UnaryOperator<V> updateFunction, Txn tx) {
    Receivers.function(UNARY, updateFunction, "java.util.concurrent.atomic.AtomicReference.updateAndGet", tx);
    V old = AtomicLocations.update(a, tx);
    for (; ; ) { // the JDK's loop; under our lock only the function itself can change the value
      V next = updateFunction.apply(old);
      V now = a.get();
      if (now == old) {
        a.set(next);
        return next;
      }
      old = now;
    }
  }

  public static <V> V getAndAccumulate(AtomicReference<V> a, V x, BinaryOperator<V> accumulatorFunction, Txn tx) {
    Receivers.function(BINARY, accumulatorFunction, "java.util.concurrent.atomic.AtomicReference.getAndAccumulate", tx);
    V old = AtomicLocations.update(a, tx);
    for (; ; ) { // the JDK's loop; under our lock only the function itself can change the value
      V next = accumulatorFunction.apply(old, x);
      V now = a.get();
      if (now == old) {
        a.set(next);
        return old;
      }
      old = now;
    }
  }

  public static <V> V accumulateAndGet(AtomicReference<V> a, V x, BinaryOperator<V> accumulatorFunction, Txn tx) {
    Receivers.function(BINARY, accumulatorFunction, "java.util.concurrent.atomic.AtomicReference.accumulateAndGet", tx);
    V old = AtomicLocations.update(a, tx);
    for (; ; ) { // the JDK's loop; under our lock only the function itself can change the value
      V next = accumulatorFunction.apply(old, x);
      V now = a.get();
      if (now == old) {
        a.set(next);
        return next;
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

  // ---- LongAdder ---------------------------------------------------------------------------

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
