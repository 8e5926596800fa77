package org.ame4j.internal.agent.jdkpatch;

import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.ame4j.internal.agent.instr.DynamicConstants;
import org.ame4j.internal.agent.rt.JdkBridgeLinker;

/**
 * What the agent does at start when the JVM runs with the java.base patch
 * ({@code --patch-module java.base=<dir>}, see {@link JdkPatch}): install the bridge's linker, open
 * the patched packages to the agent (its twin linker reaches the twins of package-private JDK
 * classes such as {@code HashMap$KeySet} through {@code privateLookupIn}), and resolve the
 * patched classes' dynamic constants (which their initializers could not: they ran before the
 * agent existed; unresolved constants keep HotSpot from compiling a method, see
 * {@link DynamicConstants}).
 *
 * <p>Guarantees: without the patch nothing happens and JDK calls in transactions stay
 * inevitable; with a patch made for another JDK build or agent (its key differs), the agent
 * refuses to start with a message saying how to make the right one, rather than run twins that
 * do not match the classes. Side effect, documented: the patched packages of java.base are open
 * to the class path (the unnamed module), which deep reflection by application code can see.
 */
public final class JdkPatchStartup {
  private JdkPatchStartup() {}

  /**
   * The patched classes (internal names) when the patch is active, else an empty list; the
   * caller hands them to the instrumenter (whose twins construct those classes through their twin
   * constructors).
   *
   * @param info receives the verbose line saying the patch is active
   */
  public static List<String> start(Instrumentation inst, Consumer<String> info) {
    Class<?> bridge;
    try {
      bridge = Class.forName(JdkBridge.NAME.replace('/', '.'), false, null);
    } catch (ClassNotFoundException e) {
      return List.of();
    }
    String[] manifest;
    try {
      manifest = ((String) bridge.getMethod("manifest").invoke(null)).split("\n");
      String expected = JdkPatch.key();
      if (!manifest[0].equals(expected)) {
        throw new IllegalStateException("the java.base patch in use was made for another JDK build or"
            + " agent (" + manifest[0] + ", this JVM and agent need " + expected + "): run"
            + " `java -jar ame4j-agent.jar jdk-patch` with this JDK and use the directory it prints"
            + " (./ame run does this)");
      }
    } catch (ReflectiveOperationException | java.io.IOException e) {
      throw new IllegalStateException("cannot read the java.base patch's manifest: " + e, e);
    }
    List<String> classes = List.of(manifest).subList(1, manifest.length);
    Module base = Object.class.getModule();
    Module agent = JdkPatchStartup.class.getModule();
    Map<String, Set<Module>> opens = new HashMap<>();
    for (String c : classes) {
      opens.put(c.substring(0, c.lastIndexOf('/')).replace('/', '.'), Set.of(agent));
    }
    // jdk.internal.misc and jdk.internal.util: rt.JdkUnsafe's stand-ins for the Unsafe array
    // accesses of patched code, and the original ArraysSupport.vectorizedMismatch they fall back to.
    inst.redefineModule(base, Set.of(),
        Map.of("jdk.internal.misc", Set.of(agent), "jdk.internal.util", Set.of(agent)), opens, Set.of(), Map.of());
    try {
      bridge.getMethod("install", java.util.function.Function.class).invoke(null, new JdkBridgeLinker());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot install the java.base bridge's linker: " + e, e);
    }
    long start = System.nanoTime();
    int resolved = 0;
    for (String c : classes) {
      resolved += resolveConstants(c) ? 1 : 0;
    }
    info.accept("java.base patch active: " + classes.size() + " classes, constants of " + resolved
        + " resolved in " + (System.nanoTime() - start) / 1_000_000 + " ms");
    return classes;
  }

  private static boolean resolveConstants(String internalName) {
    try {
      Class<?> c = Class.forName(internalName.replace('/', '.'), false, null);
      Method m;
      try {
        m = c.getDeclaredMethod(DynamicConstants.METHOD);
      } catch (NoSuchMethodException e) {
        return false;
      }
      MethodHandles.privateLookupIn(c, MethodHandles.lookup())
          .findStatic(c, m.getName(), MethodType.methodType(void.class)).invoke();
      return true;
    } catch (Throwable e) {
      return false; // the use site resolves it, and fails there if it must
    }
  }
}
