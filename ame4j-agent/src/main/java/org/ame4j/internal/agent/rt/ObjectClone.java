package org.ame4j.internal.agent.rt;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.ame4j.internal.engine.FieldBarriers;
import org.ame4j.internal.engine.Txn;
import org.ame4j.internal.engine.JdkWords;
import org.ame4j.internal.engine.TxObject;

/**
 * {@code Object.clone()} reached from a twin (a {@code super.clone()} that resolves to
 * {@code Object}'s, or to {@code TxObject}'s, which every instrumented class extending Object
 * inherits: {@code HashMap.clone()} under the java.base patch, a user class's
 * {@code clone()}), linked by {@link TwinLinker} in place of the native call, which would make
 * the transaction inevitable.
 *
 * <p><b>What it guarantees.</b> The copy holds what the transaction sees: the JVM makes its copy
 * (with {@code Object.clone}'s own checks: {@code CloneNotSupportedException} for a class that is
 * not {@code Cloneable}), then every non-final instance field, of the object's class and all its
 * superclasses, is read from the original through the read barrier (the same location as a
 * twin's {@code getfield}: object identity and {@code name.hashCode()}) and stored into the copy.
 * The JVM's copy reads the original untracked, so it may hold another attempt's uncommitted
 * (written-through) values; each is overwritten by a validated read before anything can see the
 * copy, and a commit to any field of the original afterwards conflicts with this transaction as
 * any read would. Final fields keep the JVM's copy: they do not change after construction, which
 * is why twins read them without a barrier too. The copy is recorded as the attempt's own
 * (fresh), as a {@code new} object would be, unless its class holds private arrays
 * ({@link #HOLDS_ARRAYS}).
 *
 * <p><b>What it does not.</b> When a field of the hierarchy cannot be reached (a class of a named
 * module that does not open its package to the agent), the transaction goes inevitable first
 * ({@code Txn.runUntracked}) and the JVM's copy is used as it is: correct, but serial.
 */
public final class ObjectClone {
  private ObjectClone() {}

  private static final MethodHandle CLONE;

  static {
    try {
      CLONE = MethodHandles.lookup().findStatic(ObjectClone.class, "clone",
          MethodType.methodType(Object.class, MethodHandle.class, String.class, Object.class, Object.class));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** One non-final instance field: how to read and write it, and its location id. */
  private record Slot(VarHandle handle, int id) {}

  /** Per class: its non-final instance fields and its superclasses', or null if one is out of reach. */
  private static final ClassValue<Slot[]> SLOTS = new ClassValue<>() {
    @Override
    protected Slot[] computeValue(Class<?> c) {
      List<Slot> slots = new ArrayList<>();
      MethodHandles.Lookup ours = MethodHandles.lookup();
      // TxObject's word is not a field of the copy's state: TxObject.clone reset it, and
      // FieldBarriers.allocated makes the copy born owned below.
      for (Class<?> k = c; k != null && k != Object.class && k != TxObject.class; k = k.getSuperclass()) {
        try {
          MethodHandles.Lookup in = null;
          for (Field f : k.getDeclaredFields()) {
            int m = f.getModifiers();
            if (Modifier.isStatic(m) || Modifier.isFinal(m) || f.getName().equals(JdkWords.FIELD)) {
              // the java.base patch's record field: the copy gets its own record (allocated)
              continue;
            }
            if (in == null) {
              in = MethodHandles.privateLookupIn(k, ours);
            }
            slots.add(new Slot(in.unreflectVarHandle(f), f.getName().hashCode()));
          }
        } catch (IllegalAccessException | SecurityException e) {
          return null;
        }
      }
      return slots.toArray(new Slot[0]);
    }
  };

  /**
   * The call-site target for {@code super.clone()} resolving to {@code Object.clone}: {@code (self,
   * tx)Object}, given {@code original}, the caller's {@code findSpecial} of it.
   */
  static MethodHandle target(MethodHandle original, String site) {
    return MethodHandles.insertArguments(CLONE, 0, original.asType(MethodType.methodType(Object.class, Object.class)),
        site);
  }

  private static Object clone(MethodHandle original, String site, Object self, Object txObject) throws Throwable {
    Txn tx = (Txn) txObject;
    if (self == null) {
      throw new NullPointerException("Cannot invoke \"Object.clone()\" on null (" + site + ")");
    }
    Slot[] slots = SLOTS.get(self.getClass());
    if (slots == null) {
      tx.runUntracked(site + " (receiver " + self.getClass().getName() + ": a field is out of the agent's reach)");
      return original.invokeExact(self);
    }
    Object copy = original.invokeExact(self);
    for (Slot s : slots) {
      FieldBarriers.beforeRead(self, s.id(), tx);
      Object v = s.handle().get(self);
      FieldBarriers.afterRead(tx);
      s.handle().set(copy, v);
    }
    if (!HOLDS_ARRAYS.get(self.getClass())) {
      FieldBarriers.allocated(copy, tx);
    } else {
      // The JVM copied the java.base patch's record too: a copy sharing a born original's record
      // would count as born while it holds the original's arrays. No record: installed at
      // version 0 at its first access (JdkWords), tracked like a shared object.
      JdkWords.forget(copy);
    }
    return copy;
  }

  /**
   * Per class: true if it or a superclass below {@code TxObject} declares a private array-typed
   * instance field (or, in java.base, a package-private one: {@code HashMap.table}, issue 14,
   * session 14), one the agent may have proven fresh-only ({@code FreshArrayFields}): the
   * JVM's copy shares the original's array without a {@code putfield}, so such a copy must not be
   * born owned (a born owner's fresh-array field is trusted to hold a born array,
   * {@code OwnedArrays}). It is tracked like a shared object instead: locked and logged when
   * written, which is sound for an object nobody else can reach yet.
   */
  private static final ClassValue<Boolean> HOLDS_ARRAYS = new ClassValue<>() {
    @Override
    protected Boolean computeValue(Class<?> c) {
      for (Class<?> k = c; k != null && k != Object.class && k != TxObject.class; k = k.getSuperclass()) {
        for (Field f : k.getDeclaredFields()) {
          int m = f.getModifiers();
          if (f.getType().isArray() && !Modifier.isStatic(m)
              && (Modifier.isPrivate(m) || (k.getModule() == Object.class.getModule()
                  && !Modifier.isPublic(m) && !Modifier.isProtected(m)))) {
            return true; // private; or package-private in java.base (the patch's package scope)
          }
        }
      }
      return false;
    }
  };
}
