package org.ame4j.internal.agent.rt;

import java.lang.invoke.MethodHandles;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.ame4j.internal.engine.FieldBarriers;
import org.ame4j.internal.engine.FieldWrites;
import org.ame4j.internal.engine.Txn;

/**
 * The small runtime that instrumented code calls besides the engine's barriers ({@link FieldBarriers} and
 * its neighbours).
 * Every method is static, tiny and meant to be inlined; none of them runs through barriers
 * (this package is never instrumented).
 *
 * <p>Promises: {@link #untracked} and {@link #uninstrumented} make the running transaction
 * inevitable <em>before</em> the untracked code runs (docs/semantics.md, "Under the agent"); the engine may restart the
 * attempt as inevitable to do so (it throws its control signal), which is why the call must
 * precede the untracked call rather than follow it.
 */
public final class AgentRuntime {
  private AgentRuntime() {}

  /**
   * Called by a twin right before a call the engine cannot track (a JDK method outside the
   * allow-list, a native method, an unknown bootstrap): the transaction becomes inevitable.
   */
  public static void untracked(String site, Txn tx) {
    tx.runUntracked(site);
  }

  /**
   * The transaction running on this thread, or null: the prologue of a JDK lambda made inside a
   * twin (see the agent's {@code JdkLambdas}), typed {@code Object} for the java.base patch.
   */
  public static Object activeTransaction() {
    return Txn.active();
  }

  /**
   * Called at the entry of every method of a class the transformer could not instrument: a
   * transaction that reaches such code becomes inevitable (fail loudly, never silently).
   */
  public static void uninstrumented(String site) {
    Txn tx = Txn.active();
    if (tx != null) {
      tx.runUntracked(site);
    }
  }

  // ---- static initializers (JLS §12.4.2) -------------------------------------------------

  /**
   * First instruction of every instrumented {@code <clinit>}: the initializer runs outside any
   * transaction (once, plainly, never rolled back), because the JVM runs it once whichever
   * transaction triggers it, and an abort escaping it would leave the class erroneous forever.
   *
   * @return what {@link #exitInitializer} needs (0 when no transaction was running)
   */
  public static int enterInitializer() {
    Txn tx = Txn.active();
    return tx == null ? 0 : tx.suspend();
  }

  /** On every exit of an instrumented {@code <clinit>}, normal or exceptional. */
  public static void exitInitializer(int suspended) {
    if (suspended > 0) {
      Txn.current().resume(suspended);
    }
  }

  // ---- monitors (the policy is documented in DESIGN-NOTES.md) -----------------------------

  /**
   * {@code monitorenter}/{@code monitorexit} in a twin: elided. The transaction already gives
   * the block isolation from every other transaction, which is what a monitor around shared
   * state was for; taking real monitors inside transactions that can wait for one another could
   * deadlock. The null check stays ({@code monitorenter null} throws).
   */
  public static void monitor(Object o) {
    if (o == null) {
      throw new NullPointerException("synchronized (null)");
    }
  }

  /**
   * {@code Object.wait()} in a twin: wait for the condition the way a transaction does, with
   * {@code Ame.retry()} semantics: roll back and run again once something this transaction read
   * has changed. Correct for the guarded-wait idiom ({@code while (!cond) wait();}), which is
   * the only correct use of {@code wait}.
   */
  public static void waitInTransaction(Object o, Txn tx) {
    monitor(o);
    if (!tx.canRollBack()) {
      throw new IllegalStateException("Object.wait() inside an inevitable transaction would wait"
          + " forever: the transaction cannot roll back to let another one change the condition");
    }
    tx.retry();
  }

  /**
   * {@code notify}/{@code notifyAll} in a twin: nothing to do (waiters are woken by commits, see
   * {@link #waitInTransaction}); the null check stays.
   */
  public static void notifyInTransaction(Object o) {
    monitor(o);
  }

  /**
   * {@code bastore} serves both {@code byte[]} and {@code boolean[]} and the transformer does
   * not track operand types, so the array kind is decided here (JVMS §6.5 bastore: a boolean
   * array stores {@code value & 1}).
   */
  public static void writeByteOrBoolean(Object array, int index, int value, Txn tx) {
    if (array instanceof byte[] bytes) {
      FieldWrites.writeElement(bytes, index, (byte) value, tx);
    } else {
      FieldWrites.writeElement((boolean[]) array, index, (value & 1) != 0, tx);
    }
  }

  /**
   * Bootstrap for a {@code ConstantDynamic}: the class that declares static field {@code name}
   * as seen from {@code refc} (JVMS §5.4.3.2 field resolution: the class itself, its
   * superinterfaces, then its superclasses). Static fields are identified by their declaring
   * {@code Class}, so {@code Sub.counter} and {@code Base.counter} must map to one record.
   * Used when the transformer cannot prove the field reference already names its declaring
   * class; resolved once per call site.
   */
  public static Class<?> staticFieldHolder(
      MethodHandles.Lookup lookup, String name, Class<?> type, Class<?> refc) {
    Class<?> found = findStatic(refc, name);
    return found != null ? found : refc;
  }

  private static Class<?> findStatic(Class<?> c, String name) {
    if (c == null) {
      return null;
    }
    for (Field f : c.getDeclaredFields()) {
      if (f.getName().equals(name) && Modifier.isStatic(f.getModifiers())) {
        return c;
      }
    }
    for (Class<?> i : c.getInterfaces()) {
      Class<?> found = findStatic(i, name);
      if (found != null) {
        return found;
      }
    }
    return findStatic(c.getSuperclass(), name);
  }
}
