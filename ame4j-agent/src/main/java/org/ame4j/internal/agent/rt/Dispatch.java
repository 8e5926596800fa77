package org.ame4j.internal.agent.rt;

import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

/**
 * Which class declares the method the JVM selects for a receiver class (JVMS §5.4.6 method
 * selection: the receiver's class, then its superclasses, then the maximally-specific
 * superinterface default method), found reflectively and without invoking anything.
 *
 * <p>Used once per (call site, receiver class); callers cache the answer. Does not model
 * conflicting defaults (the JVM throws {@code IncompatibleClassChangeError} there; we return one
 * of the candidates and the call itself then throws as it would have).
 */
final class Dispatch {
  private Dispatch() {}

  /**
   * The class or interface declaring the non-abstract instance method {@code name desc} that a
   * virtual or interface call selects on receivers of class {@code c}, or null if there is none
   * (the call would throw {@code AbstractMethodError}).
   */
  static Class<?> selected(Class<?> c, String name, String desc) {
    for (Class<?> k = c; k != null; k = k.getSuperclass()) {
      Method m = declared(k, name, desc);
      if (m != null && !Modifier.isAbstract(m.getModifiers()) && !Modifier.isStatic(m.getModifiers())) {
        return k;
      }
    }
    for (Class<?> k = c; k != null; k = k.getSuperclass()) {
      for (Class<?> i : k.getInterfaces()) {
        Class<?> found = defaultIn(i, name, desc);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  /** The first class from {@code c} up its superclasses that declares {@code name desc}, or null. */
  static Class<?> declaringSuperclass(Class<?> c, String name, String desc, boolean isStatic) {
    for (Class<?> k = c; k != null; k = k.getSuperclass()) {
      Method m = declared(k, name, desc);
      if (m != null && Modifier.isStatic(m.getModifiers()) == isStatic) {
        return k;
      }
    }
    return null;
  }

  /** The method {@code name desc} declared by {@code k} itself (any access, static or not), or null. */
  static Method declared(Class<?> k, String name, String desc) {
    for (Method m : k.getDeclaredMethods()) {
      if (m.getName().equals(name) && descriptor(m).equals(desc)) {
        return m;
      }
    }
    return null;
  }

  private static Class<?> defaultIn(Class<?> i, String name, String desc) {
    Method m = declared(i, name, desc);
    if (m != null && m.isDefault()) {
      return i;
    }
    for (Class<?> sup : i.getInterfaces()) {
      Class<?> found = defaultIn(sup, name, desc);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  /** A method descriptor without ASM (this package runs in the user's JVM, beside any ASM). */
  static String descriptor(Method m) {
    return MethodType.methodType(m.getReturnType(), m.getParameterTypes()).toMethodDescriptorString();
  }
}
