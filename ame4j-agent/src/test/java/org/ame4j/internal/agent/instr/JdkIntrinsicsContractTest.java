package org.ame4j.internal.agent.instr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.ame4j.Ame;
import org.ame4j.Stats;
import org.ame4j.internal.engine.Txn;
import org.junit.jupiter.api.Test;

/**
 * The naming contract with the transformer: a call {@code owner.name(desc)} becomes
 * {@code S.name(owner-if-instance, desc-params…, Txn)}, S the owner's stand-in class (see
 * {@code Intrinsics.STAND_INS}), with the same return type. Every
 * entry point must name a real JDK method that way, and every public method of the atomic families
 * (minus Object's identity methods) must have one: its own, or for a memory-order variant
 * ({@code getAcquire}, {@code weakCompareAndSetPlain}, …) its volatile form's
 * ({@code Intrinsics.MEMORY_ORDER_VARIANTS}).
 */
class JdkIntrinsicsContractTest {
  static final List<Class<?>> FAMILIES = List.of(
      AtomicInteger.class, AtomicLong.class, AtomicBoolean.class, AtomicReference.class, LongAdder.class);
  static final Set<String> IDENTITY = Set.of("equals", "hashCode", "getClass", "notify", "notifyAll", "wait");

  /** The stand-in class of a JDK class, as the transformer chooses it. */
  static Class<?> standIn(Class<?> jdk) {
    String name = Intrinsics.STAND_INS.get(jdk.getName().replace('.', '/'));
    try {
      return Class.forName(name.replace('/', '.'));
    } catch (ClassNotFoundException e) {
      throw new AssertionError(name, e);
    }
  }

  /**
   * The stand-in the transformer calls for instance method {@code jdk} of atomic family {@code c}
   * (its own, or its volatile form's: {@code Intrinsics.MEMORY_ORDER_VARIANTS}), or null.
   */
  static Method entryPointFor(Class<?> c, Method jdk) {
    Class<?>[] p = new Class<?>[jdk.getParameterCount() + 2];
    p[0] = c;
    System.arraycopy(jdk.getParameterTypes(), 0, p, 1, jdk.getParameterCount());
    p[p.length - 1] = Txn.class;
    String desc = org.objectweb.asm.Type.getMethodDescriptor(
        org.objectweb.asm.Type.getType(jdk.getReturnType()),
        java.util.Arrays.stream(p).map(org.objectweb.asm.Type::getType).toArray(org.objectweb.asm.Type[]::new));
    String name = Intrinsics.standInName(Intrinsics.STAND_INS.get(c.getName().replace('.', '/')), jdk.getName(), desc);
    if (name == null) {
      return null;
    }
    try {
      return standIn(c).getMethod(name, p);
    } catch (NoSuchMethodException e) {
      throw new AssertionError(e);
    }
  }

  /** Every entry point of every stand-in class. */
  static List<Method> entryPoints() {
    List<Method> out = new ArrayList<>();
    for (String standIn : new TreeSet<>(Intrinsics.STAND_INS.values())) {
      Class<?> c;
      try {
        c = Class.forName(standIn.replace('/', '.'));
      } catch (ClassNotFoundException e) {
        throw new AssertionError(standIn, e);
      }
      for (Method m : c.getDeclaredMethods()) {
        if (Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers())) {
          out.add(m);
        }
      }
    }
    return out;
  }

  static String descriptor(Method m) {
    return MethodType.methodType(m.getReturnType(), m.getParameterTypes()).toMethodDescriptorString();
  }

  /** The JDK method an entry point stands for (instance method of its first parameter's class). */
  static Method jdkMethod(Method intrinsic) throws NoSuchMethodException {
    Class<?>[] p = intrinsic.getParameterTypes();
    if (intrinsic.getName().equals("arraycopy")) {
      return System.class.getMethod("arraycopy", Arrays.copyOf(p, p.length - 1));
    }
    return p[0].getMethod(intrinsic.getName(), Arrays.copyOfRange(p, 1, p.length - 1));
  }

  @Test
  void everyEntryPointNamesAJdkMethodByTheDescriptorRule() throws Exception {
    Set<String> listing = new TreeSet<>();
    for (Method m : entryPoints()) {
      Class<?>[] p = m.getParameterTypes();
      assertEquals(Txn.class, p[p.length - 1], m + ": Txn last");
      listing.add(m.getName() + descriptor(m));
      if (m.getName().equals("cloneArray")) { // stands for [X.clone() on every array type
        assertEquals("(Ljava/lang/Object;Lorg/ame4j/internal/engine/Txn;)Ljava/lang/Object;", descriptor(m));
        continue;
      }
      Method jdk = jdkMethod(m);
      assertEquals(standIn(jdk.getDeclaringClass() == System.class ? System.class : p[0]), m.getDeclaringClass(),
          m + ": declared in its owner's stand-in class, where the transformer looks for it");
      assertEquals(jdk.getReturnType(), m.getReturnType(), m.toString());
      String jdkDesc = descriptor(jdk);
      String owner = Modifier.isStatic(jdk.getModifiers()) ? "" : p[0].descriptorString();
      String expected = "(" + owner + jdkDesc.substring(1, jdkDesc.indexOf(')'))
          + "Lorg/ame4j/internal/engine/Txn;" + jdkDesc.substring(jdkDesc.indexOf(')'));
      assertEquals(expected, descriptor(m), m.toString());
      assertTrue(Modifier.isStatic(jdk.getModifiers()) == m.getName().equals("arraycopy"), m.toString());
    }
    assertTrue(listing.contains("arraycopy(Ljava/lang/Object;ILjava/lang/Object;IILorg/ame4j/internal/engine/Txn;)V"));
    assertTrue(listing.contains(
        "incrementAndGet(Ljava/util/concurrent/atomic/AtomicLong;Lorg/ame4j/internal/engine/Txn;)J"));
    System.out.println("JDK intrinsics: " + listing.size() + " entry points");
  }

  @Test
  void everyPublicMethodOfTheAtomicFamiliesHasAnEntryPoint() {
    List<String> missing = new ArrayList<>();
    for (Class<?> c : FAMILIES) {
      for (Method jdk : c.getMethods()) {
        if (Modifier.isStatic(jdk.getModifiers()) || IDENTITY.contains(jdk.getName())) {
          continue;
        }
        Class<?>[] p = new Class<?>[jdk.getParameterCount() + 2];
        p[0] = c;
        System.arraycopy(jdk.getParameterTypes(), 0, p, 1, jdk.getParameterCount());
        p[p.length - 1] = Txn.class;
        Method m = entryPointFor(c, jdk);
        if (m == null) {
          missing.add(c.getSimpleName() + "." + jdk.getName() + descriptor(jdk));
        } else {
          assertEquals(jdk.getReturnType(), m.getReturnType(), m.toString());
        }
      }
    }
    assertEquals(List.of(), missing);
  }

  /** A null receiver throws NullPointerException, as the call would, and leaves nothing behind. */
  @Test
  void nullReceiversThrowNullPointerException() {
    Stats before = Ame.stats();
    for (Method m : entryPoints()) {
      if (m.getName().equals("arraycopy")) {
        continue; // its null cases are compared with System.arraycopy in ArrayIntrinsicsTest
      }
      Object[] args = new Object[m.getParameterCount()];
      Class<?>[] p = m.getParameterTypes();
      for (int i = 1; i < p.length - 1; i++) {
        args[i] = AtomicIntrinsicsTest.zero(p[i]);
      }
      Ame.atomic(() -> {
        args[args.length - 1] = Txn.active();
        InvocationTargetException e = assertThrows(InvocationTargetException.class, () -> m.invoke(null, args));
        assertEquals(NullPointerException.class, e.getCause().getClass(), m.toString());
      });
    }
    Stats s = Ame.stats().minus(before);
    assertEquals(0, s.inevitable(), s.toString());
    assertFalse(s.commits() == 0);
  }
}
