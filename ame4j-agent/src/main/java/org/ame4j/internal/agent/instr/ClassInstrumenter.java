package org.ame4j.internal.agent.instr;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;
import org.ame4j.internal.agent.entry.AgentLog;
import org.ame4j.internal.agent.entry.AgentOptions;
import org.ame4j.internal.agent.jdkpatch.JdkPatchStartup;

/**
 * One {@link TwinTransformer} with the agent's rules around it, shared by the load-time agent
 * ({@link LoadTimeTransformer}, one per class loader) and the offline instrumenter
 * ({@link OfflineInstrumenter}), so both produce the same bytes from the same inputs: the same
 * include rule ({@link AgentOptions#instrumentable()}), the same transformer, class bytes for
 * hierarchy lookups from the same kind of source (the defining loader's resources at load time;
 * the input jar, {@code --classpath} and the JDK offline).
 *
 * <p>Guarantees: {@link #instrument} never throws (except {@link VirtualMachineError}s); every
 * outcome is classified and logged ({@link AgentLog}): instrumented, not instrumentable (the
 * transformer's loud fallback: runs inevitable), unchanged (already instrumented), excluded by
 * options, or failed (bytes the transformer could not process: returned unchanged, reported
 * as untracked). Thread-safe if the class-bytes function is.
 */
public final class ClassInstrumenter {
  /** The fallback report of the transform running on this thread, if any (see below). */
  private static final ThreadLocal<String> REPORT = new ThreadLocal<>();

  private final AgentOptions options;
  private final TwinTransformer transformer;
  private final AgentLog log;

  public ClassInstrumenter(AgentOptions options, Function<String, byte[]> classBytes, AgentLog log) {
    this.options = options;
    this.log = log;
    // The transformer reports synchronously, on the thread that called transform: remember the
    // line so the outcome of *this* class can be told apart from a plain success.
    Set<String> atomic = new HashSet<>(TwinTransformer.defaultAtomicAnnotations());
    atomic.addAll(options.annotations());
    this.transformer = new TwinTransformer(options.instrumentable(), classBytes, REPORT::set, atomic)
        .jdkPatched(JdkPatchStartup::isPatched);
  }

  /**
   * The instrumented class file, or null if the class stays as it is.
   *
   * @param className internal name ({@code com/acme/Main}), as the JVM or the jar entry gives it
   */
  public byte[] instrument(String className, byte[] classfile) {
    if (!CallPolicy.isInstrumentable(className) || className.endsWith("module-info")) {
      return null; // the JDK, ame4j itself, module descriptors: not even counted
    }
    String dotted = className.replace('/', '.');
    String outer = REPORT.get(); // a transform further up this thread's stack (nested loading)
    REPORT.set(null);
    try {
      byte[] out = transformer.transform(classfile);
      String report = REPORT.get();
      if (report != null) {
        log.notInstrumentable(report);
      } else if (out == null && !options.selects(className)) {
        log.excluded(dotted); // (an excluded subclass of an instrumented class falls back, above)
      } else if (out == null) {
        log.unchanged(dotted);
      } else {
        log.instrumented(dotted);
      }
      if (out != null && options.dump() != null) {
        dump(className, out);
      }
      return out;
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable t) {
      log.failed(dotted, t);
      return null;
    } finally {
      REPORT.set(outer);
    }
  }

  /** The {@code dump} option: a copy of every class file produced, for {@code javap}. */
  private void dump(String className, byte[] bytes) {
    Path file = options.dump().resolve(className + ".class");
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, bytes);
    } catch (IOException | RuntimeException e) {
      log.warn("dump: cannot write " + file + " (" + e + ")");
    }
  }
}
