package org.ame4j.internal.agent.instr;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import org.ame4j.internal.agent.instr.Instrumented.Outcome;

/**
 * One {@link TwinTransformer} with the agent's rules around it, shared by the load-time agent
 * (one per class loader) and the offline instrumenter, so both produce the same bytes from the
 * same inputs: the same include rule ({@link CallPolicy#isInstrumentable} and the user's
 * selection), the same transformer, class bytes for hierarchy lookups from the same kind of
 * source (the defining loader's resources at load time; the input jar, {@code --classpath} and
 * the JDK offline).
 *
 * <p>Guarantees: {@link #instrument} never throws (except {@link VirtualMachineError}s) and
 * classifies every class file ({@link Instrumented.Outcome}); it reports nothing itself, the
 * caller does. A class the user's selection leaves out is {@code EXCLUDED} even when its bytes
 * cannot be parsed (they are the JVM's business then); {@code FAILED} is only for selected
 * classes, which the callers must not let run untracked. Thread-safe if the class-bytes function
 * is.
 */
public final class ClassInstrumenter {
  private final Predicate<String> selected;
  private final TwinTransformer transformer;

  /**
   * @param selected the user's selection ({@code includes}/{@code excludes}) by internal name
   * @param annotations annotation types, besides the defaults, whose methods become atomic blocks
   * @param jdkPatched JDK classes (internal names) that have twins in the JVM that will run the
   *     classes (the java.base patch in use); empty offline, which assumes no patch
   * @param classBytes original class files by internal name, null when unknown
   */
  public ClassInstrumenter(Predicate<String> selected, Collection<String> annotations, Set<String> jdkPatched,
      Function<String, byte[]> classBytes) {
    this.selected = selected;
    Set<String> atomic = new HashSet<>(TwinTransformer.defaultAtomicAnnotations());
    atomic.addAll(annotations);
    this.transformer = new TwinTransformer(n -> CallPolicy.isInstrumentable(n) && selected.test(n),
        classBytes, atomic).jdkPatched(Set.copyOf(jdkPatched)::contains);
  }

  /**
   * Emits the conflict report's site markers in the classes instrumented from now on (load time
   * in the JVM that runs them, with {@code -Dame4j.report=true}; see {@link TwinBody#marker}).
   */
  public ClassInstrumenter siteMarkers(boolean on) {
    transformer.siteMarkers(on);
    return this;
  }

  /**
   * What becomes of one class file.
   *
   * @param className internal name ({@code com/acme/Main}), as the JVM or the jar entry gives it
   */
  public Instrumented instrument(String className, byte[] classfile) {
    if (!CallPolicy.isInstrumentable(className) || className.endsWith("module-info")) {
      return Instrumented.of(Outcome.SKIPPED); // the JDK, ame4j itself, module descriptors
    }
    try {
      Instrumented r = transformer.instrument(classfile);
      if (r.outcome() == Outcome.UNCHANGED && !selected.test(className)) {
        return Instrumented.of(Outcome.EXCLUDED); // (an excluded subclass of an instrumented class falls back)
      }
      return r;
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable t) {
      return selected.test(className)
          ? new Instrumented(Outcome.FAILED, null, reason(t))
          : Instrumented.of(Outcome.EXCLUDED);
    }
  }

  /** The exception, and where it was thrown when it carries no message (ASM's often do not). */
  public static String reason(Throwable t) {
    StackTraceElement[] at = t.getStackTrace();
    return t.getMessage() == null && at.length > 0 ? t + " at " + at[0] : t.toString();
  }
}
