package org.ame4j.internal.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The records of JDK objects whose class got a record field from the java.base patch (issue 14:
 * objects of {@code HashMap}, its nodes, {@code ArrayList}, {@code StringBuilder}, … otherwise
 * hashed into the striped table and, when created in a transaction, into the capture set).
 *
 * <p>The patch adds {@code transient volatile Object $ame4j$rec} ({@link #FIELD}) to the top-most
 * patched class of each of those hierarchies; it holds a {@link JdkRecord}, typed {@code Object}
 * because {@code java.base} cannot name it. The patch's own twins read the field at the site
 * ({@code getfield}) and pass it to {@code RecordBarriers.openReadRecord}/{@code openWriteRecord};
 * every other path (application twins on a subclass, blind updates, {@code clone}, the generic
 * barriers) asks {@link #record} here, which finds the field by class ({@link ClassValue}) and
 * reads it through a {@link VarHandle}. So every path agrees on one record per object.
 *
 * <p><b>Guarantees.</b> An object with the field gets its record once: born owned when its
 * constructor ran in a transaction ({@link #born}), else installed by compare-and-set at its first
 * tracked access (a new record at version 0, unlocked: no transaction wrote the object through a
 * barrier before, since every such write needs the record). Two transactions racing to install
 * use the winner's. A {@code clone} made outside a transaction shares its original's record (a
 * coarser record, never a lost update); one made inside gets a record of its own (born owned).
 *
 * <p><b>Does not guarantee</b> anything without the patch: then no class has the field and
 * {@link #record} answers null for every object (one {@code ClassValue} probe).
 */
public final class JdkWords {
  /** The name of the field the patch injects (the patch and this class must agree). */
  public static final String FIELD = "$ame4j$rec";

  private JdkWords() {}

  /** The record field's handle for objects of a class, or null if it has none. */
  private static final ClassValue<VarHandle> HANDLES = new ClassValue<>() {
    @Override
    protected VarHandle computeValue(Class<?> c) {
      for (Class<?> k = c; k != null; k = k.getSuperclass()) {
        if (k.getModule() != Object.class.getModule()) {
          continue; // only java.base classes carry it
        }
        try {
          k.getDeclaredField(FIELD);
        } catch (NoSuchFieldException e) {
          continue;
        }
        try {
          return MethodHandles.privateLookupIn(k, MethodHandles.lookup())
              .findVarHandle(k, FIELD, Object.class);
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException("the java.base patch's record field of " + k.getName()
              + " is out of the engine's reach (its package must be opened to the agent): " + e, e);
        }
      }
      return null;
    }
  };

  /** True if objects of {@code c} carry the patch's record field. */
  public static boolean has(Class<?> c) {
    return HANDLES.get(c) != null;
  }

  /**
   * The record of {@code holder}, installed now if it has none yet; null if its class has no
   * record field (the striped table and the capture set then guard it).
   */
  static TxObject record(Object holder) {
    VarHandle vh = HANDLES.get(holder.getClass());
    if (vh == null) {
      return null;
    }
    Object r = vh.getAcquire(holder);
    return r != null ? (TxObject) r : install(holder, vh);
  }

  /** The record of an object known to carry the field, read at the site: installed if null. */
  static TxObject recordOf(Object holder, Object rec) {
    if (rec != null) {
      return (TxObject) rec;
    }
    if (holder == null) {
      throw new NullPointerException("Cannot read a field of null");
    }
    return record(holder);
  }

  private static TxObject install(Object holder, VarHandle vh) {
    JdkRecord fresh = new JdkRecord(); // version 0, unlocked
    Object won = vh.compareAndExchange(holder, null, fresh);
    return won == null ? fresh : (TxObject) won;
  }

  /**
   * A new record born owned by {@code tx}, for the field of an object its constructor is
   * initialising (the patch's twin constructors store it; no other thread can see the object).
   */
  static TxObject born(Txn tx) {
    JdkRecord r = new JdkRecord();
    TxCell.META.setRelease(r, tx.freshWord); // release: RecordStoresTest holds every record store to it
    tx.born.add(r);
    return r;
  }

  /**
   * Clears the record field of {@code o}, a copy the running transaction just made that must not
   * count as born ({@code ObjectClone}: the JVM's copy shares its original's record and arrays);
   * its first tracked access installs a record at version 0. No-op without the field.
   */
  public static void forget(Object o) {
    VarHandle vh = HANDLES.get(o.getClass());
    if (vh != null) {
      vh.setRelease(o, null); // release: RecordStoresTest holds every record store to it
    }
  }

  /**
   * Gives {@code o} (an object this transaction created, e.g. a {@code clone} copy) a record of
   * its own, born owned; false if its class has no record field.
   */
  static boolean bornAs(Object o, Txn tx) {
    VarHandle vh = HANDLES.get(o.getClass());
    if (vh == null) {
      return false;
    }
    vh.setRelease(o, born(tx));
    return true;
  }
}
