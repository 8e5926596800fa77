package org.ame4j.internal.agent.rt;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.concurrent.ConcurrentHashMap;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Exact-typed targets for the java.base patch's relocated calls ({@link JdkBridgeLinker}'s
 * {@code static} and {@code virtual} kinds): a hidden class per engine method and erased site
 * type, whose one static method takes the site's (erased) parameters, {@code checkcast}s the
 * ones the engine's method declares narrower, and calls it.
 *
 * <p>Why: the bridge bound each site to {@code findStatic(...).asType(siteType)}, whose reference
 * conversions are {@code Class.cast} calls in a LambdaForm the JDK twins share. C2 compiled that
 * form out of line under the large twins ({@code HashMap.merge$ame}, {@code ArrayList$Itr.next$ame}:
 * "already compiled into a big method"), so every barrier a JDK twin called paid a call and a
 * cast against a class that was not a constant there (json: {@code Class.cast} 6 % of the worker's
 * samples, issue 14, session 15). A bytecode {@code checkcast} against a constant class is what
 * javac would have emitted had the twin been able to name the engine's types.
 *
 * <p>Guarantees: the stub does what the {@code asType} adapter did for the conversions it takes
 * (reference parameters narrowed by a cast, which lets null through and throws
 * {@code ClassCastException} otherwise; a reference result widened, or dropped for a void site).
 * Anything else (a primitive conversion, a class or member the stub could not reach because it
 * is not public) returns null, and the bridge keeps the {@code asType} adapter. It does not
 * cover the {@code indy}/{@code condy} kinds (their bootstraps build their own sites).
 * <p><b>Off by default</b> ({@code -Dame4j.bridgeStubs=true} turns them on): a profile of json
 * with them on showed the samples of {@code Class.cast} moved into the stubs' own frames (the
 * bridge's share of the worker unchanged, 8.3 % against 8.7 %), so the cast's cost is the load of
 * the argument's class and the calls C2 leaves out of line in the large twins, not the adapter;
 * not shown to win (DESIGN-NOTES, "JDK twins' calls into the engine", issue 14, session 15).
 */
final class BridgeStubs {
  private BridgeStubs() {}

  /** {@code ame4j.bridgeStubs} (default false): whether the bridge binds its calls to stubs. */
  static final boolean ON = Boolean.parseBoolean(System.getProperty("ame4j.bridgeStubs", "false"));

  /** One stub per target and site type: the patch names the same barrier from many sites. */
  private static final ConcurrentHashMap<String, MethodHandle> STUBS = new ConcurrentHashMap<>();

  /**
   * A handle of exactly type {@code site} that calls {@code owner.member desc} (static, or
   * virtual with the site's first parameter as the receiver), or null if a stub cannot do what
   * {@code asType} would (the caller then uses {@code asType}).
   */
  static MethodHandle stub(MethodHandles.Lookup own, boolean isStatic, Class<?> owner, String member,
      MethodType desc, MethodType site) throws ReflectiveOperationException {
    MethodType target = isStatic ? desc : desc.insertParameterTypes(0, owner);
    if (!reachable(owner, member, desc, isStatic) || target.parameterCount() != site.parameterCount()
        || !convertible(target, site)) {
      return null;
    }
    String key = (isStatic ? "s " : "v ") + owner.getName() + '.' + member + desc + ' ' + site;
    MethodHandle h = STUBS.get(key);
    if (h == null) {
      h = define(own, isStatic, owner, member, desc, target, site);
      MethodHandle raced = STUBS.putIfAbsent(key, h);
      if (raced != null) {
        h = raced;
      }
    }
    return h;
  }

  /** Public class, public member, of the kind the call needs: a stub in this package can call it. */
  private static boolean reachable(Class<?> owner, String member, MethodType desc, boolean isStatic) {
    if (!Modifier.isPublic(owner.getModifiers())) {
      return false;
    }
    try {
      Method m = owner.getMethod(member, desc.parameterArray());
      return m.getReturnType() == desc.returnType() && Modifier.isStatic(m.getModifiers()) == isStatic;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  /**
   * Whether every parameter is the same primitive or a reference the stub may cast (to a public
   * class), and the result the same, void, or a widened reference.
   */
  private static boolean convertible(MethodType target, MethodType site) {
    for (int i = 0; i < target.parameterCount(); i++) {
      Class<?> t = target.parameterType(i);
      Class<?> s = site.parameterType(i);
      if (t.isPrimitive() || s.isPrimitive() ? t != s : !t.isAssignableFrom(s) && !isPublic(t)) {
        return false;
      }
    }
    Class<?> r = target.returnType();
    Class<?> s = site.returnType();
    return s == void.class || r == s || (!r.isPrimitive() && !s.isPrimitive() && s.isAssignableFrom(r));
  }

  private static boolean isPublic(Class<?> c) {
    while (c.isArray()) {
      c = c.getComponentType();
    }
    return c.isPrimitive() || Modifier.isPublic(c.getModifiers());
  }

  private static int counter;

  private static synchronized String nextName() {
    return "org/ame4j/internal/agent/rt/BridgeStub$" + counter++;
  }

  private static MethodHandle define(MethodHandles.Lookup own, boolean isStatic, Class<?> owner,
      String member, MethodType desc, MethodType target, MethodType site)
      throws ReflectiveOperationException {
    ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    String name = nextName();
    cw.visit(Opcodes.V17, Opcodes.ACC_FINAL | Opcodes.ACC_SUPER | Opcodes.ACC_SYNTHETIC, name, null,
        "java/lang/Object", null);
    MethodVisitor mv = cw.visitMethod(Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC, "call",
        site.toMethodDescriptorString(), null, null);
    mv.visitCode();
    int slot = 0;
    for (int i = 0; i < site.parameterCount(); i++) {
      Type s = Type.getType(site.parameterType(i));
      mv.visitVarInsn(s.getOpcode(Opcodes.ILOAD), slot);
      slot += s.getSize();
      Class<?> t = target.parameterType(i);
      if (!t.isPrimitive() && !t.isAssignableFrom(site.parameterType(i))) {
        mv.visitTypeInsn(Opcodes.CHECKCAST, Type.getInternalName(t));
      }
    }
    String ownerName = Type.getInternalName(owner);
    boolean itf = owner.isInterface();
    int opcode = isStatic ? Opcodes.INVOKESTATIC : itf ? Opcodes.INVOKEINTERFACE : Opcodes.INVOKEVIRTUAL;
    mv.visitMethodInsn(opcode, ownerName, member, desc.toMethodDescriptorString(), itf);
    Type r = Type.getType(desc.returnType());
    if (site.returnType() == void.class && r.getSort() != Type.VOID) {
      mv.visitInsn(r.getSize() == 2 ? Opcodes.POP2 : Opcodes.POP);
      mv.visitInsn(Opcodes.RETURN);
    } else {
      mv.visitInsn(r.getOpcode(Opcodes.IRETURN));
    }
    mv.visitMaxs(0, 0);
    mv.visitEnd();
    cw.visitEnd();
    MethodHandles.Lookup stub = own.defineHiddenClass(cw.toByteArray(), true);
    return stub.findStatic(stub.lookupClass(), "call", site);
  }
}
