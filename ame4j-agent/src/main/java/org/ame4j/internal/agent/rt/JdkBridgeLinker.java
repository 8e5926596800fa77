package org.ame4j.internal.agent.rt;

import java.lang.invoke.CallSite;
import java.lang.invoke.ConstantCallSite;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;
import java.util.function.Function;

/**
 * The linker behind {@code java.lang.AmeBridge} (the java.base patch's bridge, see the agent's
 * {@code JdkBridge} and {@code JdkPatchTransform}): resolves a patched JDK twin's relocated
 * reference to the engine's real method or bootstrap, with the types the twin's descriptor
 * erased to {@code Object} cast back (by a {@link BridgeStubs} stub's {@code checkcast}s where one
 * can, else by {@code asType}). Called once per relocated site, when it first runs.
 *
 * <p>Input, as the bridge passes it: {@code {Lookup caller, String name, MethodType|Class type,
 * Object[] args}} with {@code args[0]} the kind: {@code "static"} / {@code "virtual"}
 * {@code (owner, name, desc)}: a call; {@code "indy"} / {@code "condy"}
 * {@code (bsm owner, bsm name, bsm desc, original arguments…)}: a bootstrap to run with the
 * caller's lookup. Only classes of ame4j are ever named (the transformer relocated nothing else).
 */
public final class JdkBridgeLinker implements Function<Object[], Object> {
  private static final MethodHandles.Lookup OWN = MethodHandles.lookup();
  private static final ClassLoader LOADER = JdkBridgeLinker.class.getClassLoader();

  @Override
  public Object apply(Object[] request) {
    MethodHandles.Lookup caller = (MethodHandles.Lookup) request[0];
    String name = (String) request[1];
    Object type = request[2];
    Object[] args = (Object[]) request[3];
    try {
      String kind = (String) args[0];
      Class<?> owner = Class.forName(((String) args[1]).replace('/', '.'), true, LOADER);
      String member = (String) args[2];
      MethodType desc = MethodType.fromMethodDescriptorString((String) args[3], LOADER);
      switch (kind) {
        case "static", "virtual" -> {
          boolean isStatic = kind.equals("static");
          MethodHandle stub = BridgeStubs.ON
              ? BridgeStubs.stub(OWN, isStatic, owner, member, desc, (MethodType) type) : null;
          if (stub != null) {
            return new ConstantCallSite(stub);
          }
          MethodHandle target = isStatic
              ? OWN.findStatic(owner, member, desc) : OWN.findVirtual(owner, member, desc);
          return new ConstantCallSite(target.asType((MethodType) type));
        }
        case "indy", "condy" -> {
          MethodHandle bsm = OWN.findStatic(owner, member, desc);
          Object[] call = new Object[3 + args.length - 4];
          call[0] = caller;
          call[1] = name;
          call[2] = type;
          System.arraycopy(args, 4, call, 3, args.length - 4);
          Object result = bsm.invokeWithArguments(call);
          if (result instanceof CallSite site && !site.type().equals(type)) {
            return new ConstantCallSite(site.dynamicInvoker().asType((MethodType) type));
          }
          return result;
        }
        default -> throw new IllegalArgumentException("unknown kind " + kind);
      }
    } catch (Throwable e) {
      throw new IllegalStateException("ame4j: cannot link " + name + " in "
          + caller.lookupClass().getName() + " " + Arrays.toString(args) + ": " + e, e);
    }
  }
}
