package org.ame4j.internal.agent.rt;

import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;
import org.ame4j.internal.engine.Txn;

/**
 * The two ways user code can hide behind a JDK intrinsic, and what {@link JdkIntrinsics} does
 * about them (untracked code never runs silently inside a transaction).
 *
 * <ul>
 *   <li><b>Subclasses that override.</b> An intrinsic reproduces the JDK class's own method. For a
 *       final method that is what the JVM selects for every receiver. For a non-final one
 *       ({@code AtomicInteger.toString}, every method of {@code LongAdder}) a subclass may
 *       override it: {@link #override} finds the override the JVM would select, and the
 *       intrinsic then calls the method virtually, after making the transaction inevitable if the
 *       override is not tracked ({@link TrackedClasses}). Found once per class by reflection
 *       ({@link ClassValue}); the exact JDK class answers with one comparison.
 *   <li><b>Functions</b> ({@code getAndUpdate(IntUnaryOperator)}, {@code AtomicReference.toString}
 *       calling {@code value.toString()}): {@link #function} asks a {@link CallTarget} whether the
 *       selected implementation is tracked, else the transaction becomes inevitable first.
 * </ul>
 *
 * <p>Sites name the user's frame that called the intrinsic (a twin: its {@code $ame} suffix is
 * dropped), found by a stack walk only on the way to inevitability.
 */
final class Receivers {
  private Receivers() {}

  /**
   * For a class below a JDK class: the JDK class's non-final public methods ({@code name + desc}
   * keys) that the class or a superclass below the JDK class overrides, with the overriding
   * declaring class.
   */
  private static final ClassValue<Map<String, Class<?>>> OVERRIDES = new ClassValue<>() {
    @Override
    protected Map<String, Class<?>> computeValue(Class<?> c) {
      Class<?> jdk = c;
      while (jdk.getClassLoader() != null) { // up to the first JDK (boot loader) class
        jdk = jdk.getSuperclass();
      }
      Map<String, Class<?>> found = new HashMap<>();
      for (Method m : jdk.getMethods()) {
        int mod = m.getModifiers();
        if (Modifier.isStatic(mod) || Modifier.isFinal(mod) || m.getDeclaringClass() == Object.class) {
          continue;
        }
        for (Class<?> k = c; k != jdk; k = k.getSuperclass()) {
          if (declares(k, m)) {
            found.put(key(m), k);
            break;
          }
        }
      }
      return Map.copyOf(found);
    }
  };

  private static boolean declares(Class<?> k, Method m) {
    try {
      Method d = k.getDeclaredMethod(m.getName(), m.getParameterTypes());
      return !Modifier.isStatic(d.getModifiers()) && !Modifier.isPrivate(d.getModifiers());
    } catch (NoSuchMethodException e) {
      return false;
    } catch (LinkageError e) {
      return true; // cannot tell: treat as an override, the safe side (virtual call, maybe inevitable)
    }
  }

  private static String key(Method m) {
    return m.getName() + MethodType.methodType(m.getReturnType(), m.getParameterTypes()).toMethodDescriptorString();
  }

  /**
   * The class whose override of {@code jdk}'s non-final method {@code key} ({@code name + desc})
   * the JVM selects for {@code receiver}, or null if it selects {@code jdk}'s own. Throws
   * NullPointerException for a null receiver, as the call would.
   */
  static Class<?> override(Object receiver, Class<?> jdk, String key) {
    Class<?> c = receiver.getClass();
    return c == jdk ? null : OVERRIDES.get(c).get(key);
  }

  /** True if {@code receiver}'s class is {@code jdk} or overrides none of its non-final methods. */
  static boolean pristine(Object receiver, Class<?> jdk) {
    Class<?> c = receiver.getClass();
    return c == jdk || OVERRIDES.get(c).isEmpty();
  }

  /**
   * For an intrinsic of {@code jdk}'s non-final method {@code key}: true if {@code receiver}'s
   * class overrides it, so the caller must call it virtually (the transaction has then been made
   * inevitable unless the override is tracked); false if the JDK's own method is selected.
   */
  static boolean virtual(Object receiver, Class<?> jdk, String key, Txn tx) {
    Class<?> o = override(receiver, jdk, key);
    if (o == null) {
      return false;
    }
    beforeVirtualCall(o, jdk, key, receiver, tx);
    return true;
  }

  /**
   * Like {@link #virtual}, for a class whose intrinsics rely on several of its non-final methods
   * ({@code LongAdder}: increment is add, reset reads the sum): unless the receiver's class
   * overrides none of them, every call goes virtual, inevitable unless the selected method is a
   * tracked override.
   */
  static boolean virtualUnlessPristine(Object receiver, Class<?> jdk, String key, Txn tx) {
    if (pristine(receiver, jdk)) {
      return false;
    }
    Class<?> o = override(receiver, jdk, key);
    beforeVirtualCall(o != null ? o : jdk, jdk, key, receiver, tx);
    return true;
  }

  private static void beforeVirtualCall(Class<?> declaring, Class<?> jdk, String key, Object receiver, Txn tx) {
    if (!TrackedClasses.isTracked(declaring)) {
      String method = jdk.getName() + "." + key.substring(0, key.indexOf('('));
      tx.runUntracked(caller(method) + " (receiver " + receiver.getClass().getName() + ")");
    }
  }

  /** Before calling user function {@code f} through {@code target}: inevitable unless tracked. */
  static void function(CallTarget target, Object f, String intrinsic, Txn tx) {
    if (!target.tracks(f)) {
      tx.runUntracked(caller(intrinsic) + " (function " + f.getClass().getName() + ")");
    }
  }

  /** A call target for a functional interface method (no call site of its own). */
  static CallTarget target(String name, String desc, String what) {
    return new CallTarget(name, desc, what);
  }

  private static final StackWalker WALKER = StackWalker.getInstance();
  private static final String RT = Receivers.class.getPackageName() + ".";

  /** {@code pkg.Class.method(File.java:line) -> callee}, naming the first frame outside this package. */
  static String caller(String callee) {
    String where = WALKER.walk(frames -> frames
        .filter(f -> !f.getClassName().startsWith(RT))
        .findFirst()
        .map(f -> {
          String m = f.getMethodName();
          if (m.endsWith("$ame")) {
            m = m.substring(0, m.length() - 4);
          }
          return f.getClassName() + "." + m + "(" + f.getFileName() + ":" + f.getLineNumber() + ")";
        })
        .orElse("?"));
    return where + " -> " + callee;
  }
}
