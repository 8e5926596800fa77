package org.ame4j.internal.agent.rt;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import org.ame4j.internal.engine.Txn;
import java.util.Set;

/**
 * Which loaded classes run tracked code: the ones the agent instrumented, and the lambda
 * classes they spin (a hidden class whose nest host was instrumented: its one method calls an
 * instrumented method or one of the host's trampolines, never untracked code directly).
 *
 * <p>A class is recognised as instrumented by its twins (methods named {@code …$ame}), so
 * classes instrumented offline count too. Cached per class ({@link ClassValue}); the reflective
 * look happens once per class.
 */
final class TrackedClasses {
  private TrackedClasses() {}

  /** Immutable value types whose methods touch no shared mutable state (see CallPolicy). */
  private static final Set<Class<?>> VALUE_TYPES = Set.of(
      String.class, Integer.class, Long.class, Short.class, Byte.class, Character.class,
      Boolean.class, Float.class, Double.class, Object.class);

  /** {@code java.lang.AmeBridge$TxLambda}, present when the java.base patch is in use. */
  private static final Class<?> TX_LAMBDA = txLambdaMarker();

  private static Class<?> txLambdaMarker() {
    try {
      return Class.forName("java.lang.AmeBridge$TxLambda", false, null);
    } catch (ClassNotFoundException e) {
      return null;
    }
  }

  private static final ClassValue<Boolean> TRACKED = new ClassValue<>() {
    @Override
    protected Boolean computeValue(Class<?> c) {
      if (VALUE_TYPES.contains(c)) {
        return true;
      }
      if (c.isHidden() && TX_LAMBDA != null && TX_LAMBDA.isAssignableFrom(c)) {
        return true; // made by patched JDK code inside a twin: calls the twin (JdkLambdas)
      }
      if (c.isHidden()) {
        // LambdaMetafactory's classes are nestmates of the class that created them (JDK 15+).
        Class<?> host = c.getNestHost();
        return host != c && c.getName().contains("$$Lambda") && isInstrumented(host);
      }
      return isInstrumented(c);
    }
  };

  /** String, the boxes and Object: immutable, or (Object) only identity methods. */
  static boolean isValueType(Class<?> c) {
    return VALUE_TYPES.contains(c);
  }

  static boolean isTracked(Class<?> c) {
    return TRACKED.get(c);
  }

  private static boolean isInstrumented(Class<?> c) {
    if (c.getClassLoader() == null && !c.isHidden()) {
      return false; // the boot loader's classes are the JDK's (until the java.base patch)
    }
    try {
      for (Method m : c.getDeclaredMethods()) {
        if (m.isSynthetic() && m.getName().endsWith("$ame")) {
          return true;
        }
      }
      for (Constructor<?> k : c.getDeclaredConstructors()) {
        Class<?>[] p = k.getParameterTypes();
        if (k.isSynthetic() && p.length > 0 && p[p.length - 1] == Txn.class) {
          return true;
        }
      }
      return false;
    } catch (LinkageError e) {
      return false;
    }
  }
}
