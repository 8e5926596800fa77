package org.ame4j.internal.agent.rt;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.ame4j.internal.engine.FieldBarriers;
import org.ame4j.internal.engine.JdkBarriers;
import org.ame4j.internal.engine.Txn;

/**
 * An atomic object as one transactional location, the way {@link FieldBarriers} sees a field:
 * holder = the atomic object, field id = {@code "value".hashCode()} (the name of the JDK's own
 * field, so a patched {@code java.base} that ever tracked {@code value} itself would share the
 * record), and {@link #SUM} = {@code "sum".hashCode()} for a {@code LongAdder} (a name no field of
 * {@code LongAdder}/{@code Striped64} has: the adder's whole state, base and cells, is one location).
 *
 * <p>Four primitives per class, everything else in {@link JdkIntrinsics} is built from them:
 *
 * <ul>
 *   <li>{@code read}: the read barrier protocol around the public getter (logged in the read set,
 *       validated, opaque);
 *   <li>{@code write}: lock the record (encounter time, as field writes), log the old value with a
 *       restorer that calls the public setter, then the public setter;
 *   <li>{@code update}: lock first, then read (a read under our own lock is stable: no read-set
 *       entry, as {@code BlindAdds.add*}) and log; the caller stores the new value with the
 *       setter. For operations that always write (getAndSet, increments, update functions);
 *   <li>{@code cas}/{@code exchange}: compare with the value <em>read</em> under the transaction
 *       (reference identity for {@code AtomicReference}); write only on a match. A failed compare
 *       is a plain read, so it conflicts only with writers.
 * </ul>
 *
 * The setters used (and the restorers) are final JDK methods, so no user override can run on
 * these paths; {@code LongAdder}'s are not final, which is why {@link JdkIntrinsics} sends a
 * {@code LongAdder} subclass with overrides down the virtual path instead.
 */
final class AtomicLocations {
  private AtomicLocations() {}

  static final int VALUE = "value".hashCode();
  static final int SUM = "sum".hashCode();

  private static final int INT = JdkBarriers.register((t, r, b) -> ((AtomicInteger) t).set((int) b));
  private static final int LONG = JdkBarriers.register((t, r, b) -> ((AtomicLong) t).set(b));
  private static final int BOOLEAN = JdkBarriers.register((t, r, b) -> ((AtomicBoolean) t).set(b != 0));
  @SuppressWarnings("unchecked")
  private static final int REFERENCE =
      JdkBarriers.register((t, r, b) -> ((AtomicReference<Object>) t).set(r));
  /** A LongAdder entry holds the delta applied; undoing it adds it back negated (keeps others' adds). */
  private static final int ADDER = JdkBarriers.register((t, r, b) -> ((LongAdder) t).add(-b));

  // ---- AtomicInteger -------------------------------------------------------------------------

  static int read(AtomicInteger a, Txn tx) {
    Objects.requireNonNull(a);
    FieldBarriers.beforeRead(a, VALUE, tx);
    int v = a.get();
    FieldBarriers.afterRead(tx);
    return v;
  }

  static void write(AtomicInteger a, int v, Txn tx) {
    if (JdkBarriers.lock(Objects.requireNonNull(a), VALUE, tx)) {
      JdkBarriers.logRestore(INT, a, null, a.get(), tx);
    }
    a.set(v);
  }

  static int update(AtomicInteger a, Txn tx) {
    if (JdkBarriers.lock(Objects.requireNonNull(a), VALUE, tx)) {
      int old = a.get();
      JdkBarriers.logRestore(INT, a, null, old, tx);
      return old;
    }
    return a.get();
  }

  static boolean cas(AtomicInteger a, int expected, int next, Txn tx) {
    if (read(a, tx) != expected) {
      return false;
    }
    write(a, next, tx);
    return true;
  }

  static int exchange(AtomicInteger a, int expected, int next, Txn tx) {
    int witness = read(a, tx);
    if (witness == expected) {
      write(a, next, tx);
    }
    return witness;
  }

  // ---- AtomicLong ----------------------------------------------------------------------------

  static long read(AtomicLong a, Txn tx) {
    Objects.requireNonNull(a);
    FieldBarriers.beforeRead(a, VALUE, tx);
    long v = a.get();
    FieldBarriers.afterRead(tx);
    return v;
  }

  static void write(AtomicLong a, long v, Txn tx) {
    if (JdkBarriers.lock(Objects.requireNonNull(a), VALUE, tx)) {
      JdkBarriers.logRestore(LONG, a, null, a.get(), tx);
    }
    a.set(v);
  }

  static long update(AtomicLong a, Txn tx) {
    if (JdkBarriers.lock(Objects.requireNonNull(a), VALUE, tx)) {
      long old = a.get();
      JdkBarriers.logRestore(LONG, a, null, old, tx);
      return old;
    }
    return a.get();
  }

  static boolean cas(AtomicLong a, long expected, long next, Txn tx) {
    if (read(a, tx) != expected) {
      return false;
    }
    write(a, next, tx);
    return true;
  }

  static long exchange(AtomicLong a, long expected, long next, Txn tx) {
    long witness = read(a, tx);
    if (witness == expected) {
      write(a, next, tx);
    }
    return witness;
  }

  // ---- AtomicBoolean -------------------------------------------------------------------------

  static boolean read(AtomicBoolean a, Txn tx) {
    Objects.requireNonNull(a);
    FieldBarriers.beforeRead(a, VALUE, tx);
    boolean v = a.get();
    FieldBarriers.afterRead(tx);
    return v;
  }

  static void write(AtomicBoolean a, boolean v, Txn tx) {
    if (JdkBarriers.lock(Objects.requireNonNull(a), VALUE, tx)) {
      JdkBarriers.logRestore(BOOLEAN, a, null, a.get() ? 1L : 0L, tx);
    }
    a.set(v);
  }

  static boolean update(AtomicBoolean a, Txn tx) {
    if (JdkBarriers.lock(Objects.requireNonNull(a), VALUE, tx)) {
      boolean old = a.get();
      JdkBarriers.logRestore(BOOLEAN, a, null, old ? 1L : 0L, tx);
      return old;
    }
    return a.get();
  }

  static boolean cas(AtomicBoolean a, boolean expected, boolean next, Txn tx) {
    if (read(a, tx) != expected) {
      return false;
    }
    write(a, next, tx);
    return true;
  }

  static boolean exchange(AtomicBoolean a, boolean expected, boolean next, Txn tx) {
    boolean witness = read(a, tx);
    if (witness == expected) {
      write(a, next, tx);
    }
    return witness;
  }

  // ---- AtomicReference -----------------------------------------------------------------------

  static <V> V read(AtomicReference<V> a, Txn tx) {
    Objects.requireNonNull(a);
    FieldBarriers.beforeRead(a, VALUE, tx);
    V v = a.get();
    FieldBarriers.afterRead(tx);
    return v;
  }

  static <V> void write(AtomicReference<V> a, V v, Txn tx) {
    if (JdkBarriers.lock(Objects.requireNonNull(a), VALUE, tx)) {
      JdkBarriers.logRestore(REFERENCE, a, a.get(), 0, tx);
    }
    a.set(v);
  }

  static <V> V update(AtomicReference<V> a, Txn tx) {
    if (JdkBarriers.lock(Objects.requireNonNull(a), VALUE, tx)) {
      V old = a.get();
      JdkBarriers.logRestore(REFERENCE, a, old, 0, tx);
      return old;
    }
    return a.get();
  }

  static <V> boolean cas(AtomicReference<V> a, V expected, V next, Txn tx) {
    if (read(a, tx) != expected) {
      return false;
    }
    write(a, next, tx);
    return true;
  }

  static <V> V exchange(AtomicReference<V> a, V expected, V next, Txn tx) {
    V witness = read(a, tx);
    if (witness == expected) {
      write(a, next, tx);
    }
    return witness;
  }

  // ---- LongAdder (callers have checked that the receiver overrides nothing) -------------------

  static long sum(LongAdder a, Txn tx) {
    FieldBarriers.beforeRead(a, SUM, tx);
    long v = a.sum();
    FieldBarriers.afterRead(tx);
    return v;
  }

  /**
   * A blind update: lock and apply, no read-set entry. Two transactions that only add still
   * exclude each other while one holds the record (until its commit), but never invalidate a
   * read of each other, as a read-then-write would.
   */
  static void add(LongAdder a, long x, Txn tx) {
    if (JdkBarriers.lock(a, SUM, tx)) {
      JdkBarriers.logRestore(ADDER, a, null, x, tx);
    }
    a.add(x);
  }

  /** Sets the sum to zero and returns what it was (the value under our lock: stable). */
  static long reset(LongAdder a, Txn tx) {
    long old;
    if (JdkBarriers.lock(a, SUM, tx)) {
      old = a.sum();
      JdkBarriers.logRestore(ADDER, a, null, -old, tx);
    } else {
      old = a.sum();
    }
    a.reset();
    return old;
  }
}
