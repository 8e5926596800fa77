package org.ame4j.internal.agent.rt;

import java.lang.invoke.CallSite;
import java.lang.invoke.ConstantCallSite;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.MutableCallSite;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import org.ame4j.internal.engine.Txn;
import org.ame4j.internal.engine.TxObject;

/**
 * Links a twin's call into code whose twins the transformer could not see (the JDK, whose
 * twins exist only when the java.base patch is in use; an interface or superclass outside the
 * instrumented set) when the call first runs. The {@code invokedynamic} has the original call's
 * receiver and arguments followed by the transaction ({@code Object}, see
 * {@code TwinTransformer.twinDesc}).
 *
 * <p>Guarantees, per call: if the method the JVM selects has a twin (declared by the same class
 * that declares the selected method: a patched JDK class, an instrumented class), the twin runs;
 * otherwise the original runs, as it is when its declaring class is tracked anyway
 * ({@link TrackedClasses}: an instrumented class whose original dispatches to its twin, a value
 * type, a lambda of an instrumented class), else after making the transaction inevitable
 * (docs/semantics.md, "Under the agent: plain code"). So no untracked code ever runs silently
 * inside a transaction, and with or without the patch the same bytes are right: an
 * offline-instrumented class needs no rebuild.
 *
 * <p>Virtual and interface calls keep an inline cache of up to {@link #POLYMORPHIC} (8) receiver
 * classes (a {@code guardWithTest} chain the JIT inlines like a polymorphic virtual call), then
 * go megamorphic through a {@link ClassValue}. Static and {@code super} calls are linked once.
 *
 * <p>Twins of classes in other modules are reached through {@code privateLookupIn}, which needs
 * their packages open to the agent: the agent opens the patched packages of {@code java.base}
 * when it starts ({@code Instrumentation.redefineModule}). A twin that cannot be reached for
 * lack of access is treated as absent (the call goes inevitable: slower, never wrong).
 */
public final class TwinLinker {
  private TwinLinker() {}

  static final String SUFFIX = "$ame";
  /**
   * Receiver classes cached per virtual call site before it goes megamorphic:
   * {@code -Dame4j.linker.inlineCache} (default 8; 4 before issue 14, session 14). The patched
   * {@code HashMap.merge}'s one call of its remapping function sees a lambda class per
   * {@code Integer::sum} of the program (json: six in tasks); past the cache every call pays a
   * {@link ClassValue} lookup and an invoker of a handle the JIT cannot inline.
   */
  static final int POLYMORPHIC = Math.max(1, Integer.getInteger("ame4j.linker.inlineCache", 8));

  private static final MethodHandles.Lookup OWN = MethodHandles.lookup();
  private static final MethodHandle UNTRACKED;
  private static final MethodHandle IS_CLASS;
  private static final MethodHandle MISS;
  private static final MethodHandle TARGET_OF;

  static {
    try {
      UNTRACKED = OWN.findStatic(AgentRuntime.class, "untracked",
          MethodType.methodType(void.class, String.class, Txn.class));
      IS_CLASS = OWN.findStatic(TwinLinker.class, "isClass",
          MethodType.methodType(boolean.class, Class.class, Object.class));
      MISS = OWN.findVirtual(VirtualSite.class, "miss",
          MethodType.methodType(Object.class, Object[].class));
      TARGET_OF = OWN.findVirtual(VirtualSite.class, "targetOf",
          MethodType.methodType(MethodHandle.class, Object.class));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** {@code invokedynamic} kinds, the {@code kind} static argument: JVMS §4.4.8 reference kinds. */
  public static final int STATIC = 6;
  public static final int VIRTUAL = 5;
  public static final int SPECIAL = 7;
  public static final int INTERFACE = 9;

  /**
   * Bootstrap: {@code type} is {@code (receiver?, args…, Object)R}; {@code owner} and
   * {@code desc} are the original call's symbolic reference; {@code site} names it for
   * statistics ({@code Class.method(File.java:line) -> callee}).
   */
  public static CallSite link(MethodHandles.Lookup caller, String name, MethodType type,
      int kind, Class<?> owner, String desc, String site) throws ReflectiveOperationException {
    MethodType original = MethodType.fromMethodDescriptorString(desc, loaderOf(caller));
    switch (kind) {
      case STATIC -> {
        MethodHandle decision = decide(Dispatch.declaringSuperclass(owner, name, desc, true), name, original, true, null);
        return new ConstantCallSite(bind(decision, caller.findStatic(owner, name, original), site, type));
      }
      case SPECIAL -> {
        Class<?> declaring = Dispatch.selected(owner, name, desc);
        MethodHandle special = caller.findSpecial(owner, name, original, caller.lookupClass());
        if ((declaring == Object.class || declaring == TxObject.class) && name.equals("clone")
            && desc.equals("()Ljava/lang/Object;")) {
          return new ConstantCallSite(ObjectClone.target(special, site).asType(type)); // native: a tracked copy instead
        }
        MethodHandle decision = decide(declaring, name, original, false, caller);
        return new ConstantCallSite(bind(decision, special, site, type));
      }
      case VIRTUAL, INTERFACE -> {
        return new VirtualSite(caller, name, type, owner, desc, original, site).callSite;
      }
      default -> throw new IllegalArgumentException("reference kind " + kind);
    }
  }

  /** One virtual/interface call site: an inline cache keyed on the receiver's class. */
  static final class VirtualSite {
    final MutableCallSite callSite;
    private final MethodHandles.Lookup caller;
    private final String name;
    private final String desc;
    private final MethodType type;
    private final MethodHandle original;
    private final String site;
    private final MethodHandle miss;
    private int cached;
    private final ClassValue<MethodHandle> targets = new ClassValue<>() {
      @Override
      protected MethodHandle computeValue(Class<?> c) {
        return targetFor(c);
      }
    };

    VirtualSite(MethodHandles.Lookup caller, String name, MethodType type, Class<?> owner,
        String desc, MethodType original, String site) throws ReflectiveOperationException {
      this.caller = caller;
      this.name = name;
      this.desc = desc;
      this.type = type;
      this.site = site;
      this.original = caller.findVirtual(owner, name, original);
      this.miss = MISS.bindTo(this).asCollector(Object[].class, type.parameterCount()).asType(type);
      this.callSite = new MutableCallSite(miss);
    }

    /** The first call with a receiver class the cache does not know: link, then call. */
    Object miss(Object[] args) throws Throwable {
      Object receiver = args[0];
      if (receiver == null) {
        throw new NullPointerException("Cannot invoke \"" + name + "\" on null (" + site + ")");
      }
      Class<?> c = receiver.getClass();
      MethodHandle target = targets.get(c);
      synchronized (this) {
        if (cached < POLYMORPHIC) {
          cached++;
          MethodHandle test = MethodHandles.insertArguments(IS_CLASS, 0, c)
              .asType(MethodType.methodType(boolean.class, type.parameterType(0)));
          callSite.setTarget(MethodHandles.guardWithTest(
              MethodHandles.dropArguments(test, 1, type.dropParameterTypes(0, 1).parameterList()),
              target, callSite.getTarget()));
        } else if (cached == POLYMORPHIC) {
          cached++;
          callSite.setTarget(megamorphic());
        }
      }
      return target.invokeWithArguments(args);
    }

    /** Past the inline cache: one {@link ClassValue} lookup per call. */
    private MethodHandle megamorphic() {
      MethodHandle getTarget = MethodHandles.insertArguments(TARGET_OF, 0, this)
          .asType(MethodType.methodType(MethodHandle.class, type.parameterType(0)));
      MethodHandle invoker = MethodHandles.exactInvoker(type);
      return MethodHandles.foldArguments(invoker, getTarget);
    }

    MethodHandle targetOf(Object receiver) {
      return targets.get(receiver.getClass());
    }

    private MethodHandle targetFor(Class<?> c) {
      MethodHandle decision = selectedTwin(c, name, desc, original.type().dropParameterTypes(0, 1));
      return bind(decision, original, site + " (receiver " + c.getName() + ")", type);
    }
  }

  /** What a call site runs for a {@link #decide decision}: the twin, or the original, as is or after going inevitable. */
  private static MethodHandle bind(MethodHandle decision, MethodHandle original, String site, MethodType type) {
    if (decision == AS_IS) {
      return ignoreTx(original).asType(type);
    }
    if (decision != null) {
      return decision.asType(type);
    }
    return untrackedThen(original, site).asType(type);
  }

  /** Marks a method that runs as it is (see {@link #selectedTwin}); never invoked. */
  private static final MethodHandle AS_IS = MethodHandles.zero(void.class);

  /**
   * For receivers of class {@code c}: the twin of the selected method {@code name desc}
   * ({@code (receiver, args…, Object)R}), {@link #AS_IS} if the original runs as it is (tracked,
   * or a pure value-type method: String.equals needs no barriers, its bytes are immutable), or
   * null if calling it is untracked.
   */
  static MethodHandle selectedTwin(Class<?> c, String name, String desc, MethodType args) {
    return decide(Dispatch.selected(c, name, desc), name, args, false, null);
  }

  /**
   * For a call that runs {@code d.name(args)} ({@code d} the declaring class the JVM resolves or
   * selects, null if none): {@code d}'s twin, {@link #AS_IS}, or null (untracked). A pure
   * value-type method runs as is before any twin is looked for (its barriers would only cost).
   */
  private static MethodHandle decide(Class<?> d, String name, MethodType args, boolean isStatic,
      MethodHandles.Lookup specialCaller) {
    if (d == null) {
      return null;
    }
    if (TrackedClasses.isValueType(d) && asIs(d, name, args)) {
      return AS_IS;
    }
    MethodHandle twin = twin(d, name, args, isStatic, specialCaller);
    if (twin != null) {
      return twin;
    }
    return asIs(d, name, args) ? AS_IS : null;
  }

  // ---- String.valueOf(o), Objects.hashCode(o), string concatenation ------------------------

  /** Per receiver class: how {@code toString()} / {@code hashCode()} run inside a transaction. */
  private static final ClassValue<MethodHandle> TO_STRING = objectMethod("toString", MethodType.methodType(String.class));
  private static final ClassValue<MethodHandle> HASH_CODE = objectMethod("hashCode", MethodType.methodType(int.class));

  private static ClassValue<MethodHandle> objectMethod(String name, MethodType type) {
    MethodType call = type.insertParameterTypes(0, Object.class).appendParameterTypes(Object.class);
    return new ClassValue<>() {
      @Override
      protected MethodHandle computeValue(Class<?> c) {
        MethodHandle h = selectedTwin(c, name, type.toMethodDescriptorString(), type);
        return h == null || h == AS_IS ? h : h.asType(call);
      }
    };
  }

  /**
   * The twin to call on {@code o} ({@code (Object, Object tx)R}), or null to call the original,
   * having first made {@code tx} run untracked if the original is not tracked.
   */
  private static MethodHandle twinOf(ClassValue<MethodHandle> targets, Object o, Object tx, String site) {
    MethodHandle h = targets.get(o.getClass());
    if (h == null) {
      ((Txn) tx).runUntracked(site + " (receiver " + o.getClass().getName() + ")");
    }
    return h == AS_IS ? null : h;
  }

  /**
   * {@code String.valueOf(o)} in a twin (also what string concatenation does with an object):
   * {@code o}'s {@code toString} twin when it has one (a JDK collection under the java.base
   * patch, an instrumented class), the original when that is tracked, else the original after
   * making {@code tx} inevitable, with {@code site} as the reason.
   */
  public static String stringOf(Object o, Object tx, String site) throws Throwable {
    if (o == null) {
      return "null";
    }
    MethodHandle twin = twinOf(TO_STRING, o, tx, site);
    return twin == null ? o.toString() : (String) twin.invokeExact(o, tx);
  }

  /** {@code Objects.hashCode(o)} in a twin: as {@link #stringOf}, for {@code hashCode}. */
  public static int hashOf(Object o, Object tx, String site) throws Throwable {
    if (o == null) {
      return 0;
    }
    MethodHandle twin = twinOf(HASH_CODE, o, tx, site);
    return twin == null ? o.hashCode() : (int) twin.invokeExact(o, tx);
  }

  static boolean isClass(Class<?> c, Object o) {
    return o != null && o.getClass() == c;
  }

  /**
   * {@code d}'s own twin of {@code name original} (virtual: {@code (d, args…, Object)R}; static:
   * {@code (args…, Object)R}; special when {@code specialCaller} is given), or null if {@code d}
   * declares none or it cannot be reached.
   */
  private static MethodHandle twin(Class<?> d, String name, MethodType original, boolean isStatic,
      MethodHandles.Lookup specialCaller) {
    MethodType twinType = original.appendParameterTypes(Object.class);
    Method m = Dispatch.declared(d, name + SUFFIX, twinType.toMethodDescriptorString());
    if (m == null || !m.isSynthetic() || Modifier.isStatic(m.getModifiers()) != isStatic) {
      return null;
    }
    try {
      if (specialCaller != null) {
        return specialCaller.findSpecial(d, name + SUFFIX, twinType, specialCaller.lookupClass());
      }
      MethodHandles.Lookup in = MethodHandles.privateLookupIn(d, OWN);
      return isStatic ? in.findStatic(d, name + SUFFIX, twinType) : in.findVirtual(d, name + SUFFIX, twinType);
    } catch (IllegalAccessException | NoSuchMethodException | SecurityException e) {
      return null; // not open to the agent: treated as untracked (inevitable), never wrong
    }
  }

  /**
   * True if the original {@code d.name(original)} may run inside a transaction as it is: its
   * class is tracked (instrumented, or a lambda of an instrumented class), or it is a method of an
   * immutable value type (String, the boxes, Object's identity methods) whose reference
   * arguments are themselves value types: {@code String.getBytes(byte[], int, byte)} writes into
   * its argument, {@code String.contentEquals(CharSequence)} reads a possibly shared builder.
   * {@code equals(Object)} of a value type reads its argument only if it is the same value type.
   */
  private static boolean asIs(Class<?> d, String name, MethodType original) {
    if (!TrackedClasses.isTracked(d)) {
      return false;
    }
    if (!TrackedClasses.isValueType(d)) {
      return true; // instrumented: its original dispatches to its twin
    }
    if (d == Object.class) {
      return name.equals("equals") || name.equals("hashCode") || name.equals("toString")
          || name.equals("getClass");
    }
    if (name.equals("equals") && original.parameterCount() == 1) {
      return true;
    }
    for (Class<?> p : original.parameterArray()) {
      if (!p.isPrimitive() && !TrackedClasses.isValueType(p)) {
        return false;
      }
    }
    return true;
  }

  /** {@code (args…) R} to {@code (args…, Object tx) R}, ignoring the transaction. */
  private static MethodHandle ignoreTx(MethodHandle target) {
    return MethodHandles.dropArguments(target, target.type().parameterCount(), Object.class);
  }

  /** {@code (args…) R} to {@code (args…, Object tx) R} that first makes {@code tx} inevitable. */
  private static MethodHandle untrackedThen(MethodHandle target, String site) {
    int n = target.type().parameterCount();
    MethodHandle inevitable = MethodHandles.insertArguments(UNTRACKED, 0, site)
        .asType(MethodType.methodType(void.class, Object.class));
    return MethodHandles.foldArguments(ignoreTx(target), n, inevitable);
  }

  private static ClassLoader loaderOf(MethodHandles.Lookup caller) {
    return caller.lookupClass().getClassLoader();
  }
}
