package org.ame4j.internal.agent.rt;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.function.IntConsumer;

/**
 * The agent's answer to the queue's question "may a task of this class join a transaction that
 * holds other tasks' records?" ({@code TaskEntries}): yes if the worker enters it through
 * tracked code, so that nothing at its start can block outside the engine.
 *
 * <p>The entry methods are {@code run()} for a task and {@code accept(int)} for an
 * {@code addRange} body (each that the class has). Each must be declared by a tracked class
 * ({@link TrackedClasses}: instrumented, or a lambda class spun for one) and not be
 * {@code synchronized}: an instrumented original no longer is (its prologue dispatches before
 * the monitor, {@code SynchronizedOriginals}), so the flag is left only on code the agent did not
 * rewrite (a fallback class), where the JVM takes the monitor before anything of ours runs.
 *
 * <p>Not seen: a lambda class whose one method calls a fallback class's synchronized method
 * directly (a method reference to a class the agent reported it could not instrument).
 * Cached per class.
 */
public final class TaskEntryRule {
  private TaskEntryRule() {}

  private static final ClassValue<Boolean> STARTS_TRACKED = new ClassValue<>() {
    @Override
    protected Boolean computeValue(Class<?> c) {
      try {
        if (Runnable.class.isAssignableFrom(c) && !isTrackedEntry(c.getMethod("run"))) {
          return false;
        }
        if (IntConsumer.class.isAssignableFrom(c)
            && !isTrackedEntry(c.getMethod("accept", int.class))) {
          return false;
        }
        return Runnable.class.isAssignableFrom(c) || IntConsumer.class.isAssignableFrom(c);
      } catch (NoSuchMethodException | LinkageError | SecurityException e) {
        return false; // cannot tell: the task runs alone, as without batching
      }
    }
  };

  private static boolean isTrackedEntry(Method m) {
    return !Modifier.isSynchronized(m.getModifiers())
        && TrackedClasses.isTracked(m.getDeclaringClass());
  }

  /** True if a task (or range body) of class {@code c} starts in tracked code. */
  public static boolean startsTracked(Class<?> c) {
    return STARTS_TRACKED.get(c);
  }
}
