package org.ame4j.internal.agent.entry;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.ClassFileTransformer;
import java.lang.ref.WeakReference;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.Function;
import org.ame4j.internal.agent.instr.ClassInstrumenter;
import org.ame4j.internal.agent.instr.Instrumented;
import org.ame4j.internal.engine.Diagnostics;

/**
 * The {@link ClassFileTransformer} the agent registers: every class that an application class
 * loader defines goes through a {@link ClassInstrumenter} (twins, barriers, prologues) before the
 * JVM sees it.
 *
 * <p>What it is called for, and what it skips (java.lang.instrument, {@code ClassFileTransformer}:
 * "the transformer will be called for every new class definition and every class redefinition"):
 * <ul>
 *   <li>Classes of the bootstrap loader ({@code loader == null}) and of the platform loader are
 *       skipped: the JDK gets its twins from a patch, never from the agent ({@code jdkpatch}).</li>
 *   <li>Redefinitions and retransformations ({@code classBeingRedefined != null}) are skipped: a
 *       redefinition cannot add methods (JVMTI {@code RedefineClasses}), and the agent declares
 *       neither capability.</li>
 *   <li>Hidden classes (lambda proxies, {@code Lookup.defineHiddenClass}) never reach a
 *       transformer at all: checked on JDK 17 and 25. A lambda's proxy calls the synthetic
 *       {@code lambda$…} method of its (instrumented) host class, whose prologue dispatches to the
 *       twin, so lambdas are covered anyway. A null {@code className} is skipped.</li>
 *   <li>ame4j itself (the API, the engine, the agent and its shaded ASM: {@code org/ame4j/})
 *       and the JDK packages are skipped by name
 *       ({@code CallPolicy.isInstrumentable}), before {@code includes}/{@code excludes}.</li>
 * </ul>
 *
 * <p>Class bytes for hierarchy lookups (superclasses, field finality, method resolution) come
 * from {@code loader.getResourceAsStream(name + ".class")} of the defining loader: never from
 * loading a class, which inside a transformer would initialise it through the wrong loader and
 * at the wrong time, and worse, leave it uninstrumented: a class loaded on a thread while that
 * thread is inside a transformer is <em>not</em> passed to any transformer (the JDK's
 * java.lang.instrument implementation holds a per-thread reentrancy token; checked on JDK 17 and
 * 25). The agent's own classes first used inside {@code transform} are not instrumented for the
 * same reason, which is what they need anyway.
 *
 * <p>One {@link ClassInstrumenter} per loader, because the same name can mean different classes
 * in different loaders; the map is weak, and each instrumenter reaches its loader only through a
 * {@link WeakReference}, so a discarded loader (a redeployed web app) is not kept alive by the
 * agent.
 *
 * <p>Guarantees: {@link #transform} never throws. The JVM ignores an exception from a
 * transformer and defines the original bytes ("throwing an exception has the same effect as
 * returning null"), which would be a <em>silent</em> loss of instrumentation. Instead a class
 * the transformer could not process ({@code FAILED}, or anything thrown) is <em>refused</em>:
 * reported on stderr with the class name and the reason ({@link AgentLog#refused}), and replaced
 * by {@link #REFUSED}, bytes the JVM rejects with a {@code ClassFormatError} where the class is
 * first used. The original bytes are not passed on: most bytes the transformer cannot parse are
 * malformed and the JVM would reject them too, but the rest (a class file version newer than the
 * agent knows, say) would load without twins and run untracked inside transactions, which is
 * what the agent promises never to do. A class left out with {@code excludes} is never refused.
 * Does not guarantee anything about classes loaded before the agent started (there are none from
 * application loaders when it is given with {@code -javaagent}).
 */
public final class LoadTimeTransformer implements ClassFileTransformer {
  private final AgentOptions options;
  private final AgentLog log;
  private final ClassLoader platform = ClassLoader.getPlatformClassLoader();
  private final Set<String> jdkPatched;
  private final Map<ClassLoader, ClassInstrumenter> byLoader = new WeakHashMap<>();

  /** What a refused class is replaced by: a class file whose magic number is wrong. */
  static final byte[] REFUSED = new byte[16];

  /** @param jdkPatched the JDK classes with twins in this JVM (the java.base patch in use) */
  public LoadTimeTransformer(AgentOptions options, AgentLog log, Set<String> jdkPatched) {
    this.options = options;
    this.log = log;
    this.jdkPatched = Set.copyOf(jdkPatched);
  }

  @Override
  public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain, byte[] classfileBuffer) {
    if (loader == null || loader == platform || classBeingRedefined != null || className == null) {
      return null;
    }
    try {
      Instrumented r = instrumenterFor(loader).instrument(className, classfileBuffer);
      return r.outcome() == Instrumented.Outcome.FAILED
          ? refuse(className, r.reason())
          : log.record(className, r, options.dump());
    } catch (Throwable t) { // includes VirtualMachineErrors: the JVM would swallow them silently
      return refuse(className, ClassInstrumenter.reason(t));
    }
  }

  private byte[] refuse(String className, String reason) {
    try {
      log.refused(className.replace('/', '.'), reason);
    } catch (Throwable ignored) {
      // nothing left to report with (e.g. out of memory while printing)
    }
    return REFUSED.clone();
  }

  private ClassInstrumenter instrumenterFor(ClassLoader loader) {
    synchronized (byLoader) {
      ClassInstrumenter i = byLoader.get(loader);
      if (i == null) {
        i = new ClassInstrumenter(options::selects, options.annotations(), jdkPatched, resourceBytes(loader))
            .siteMarkers(Diagnostics.ON); // the report's site ids are this JVM's: load time only
        byLoader.put(loader, i);
      }
      return i;
    }
  }

  /** Class bytes by internal name from a loader's resources; null if not found or unreadable. */
  public static Function<String, byte[]> resourceBytes(ClassLoader loader) {
    WeakReference<ClassLoader> ref = new WeakReference<>(loader);
    return internalName -> {
      ClassLoader l = ref.get();
      if (l == null) {
        return null;
      }
      try (InputStream in = l.getResourceAsStream(internalName + ".class")) {
        return in == null ? null : in.readAllBytes();
      } catch (IOException | RuntimeException e) {
        return null; // unknown: the transformer treats it conservatively
      }
    };
  }

}
