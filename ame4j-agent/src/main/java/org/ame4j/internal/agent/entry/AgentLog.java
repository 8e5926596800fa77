package org.ame4j.internal.agent.entry;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.LongAdder;
import org.ame4j.internal.agent.instr.Instrumented;

/**
 * Everything the agent and the offline instrumenter tell the user: one line per event on a
 * {@link PrintStream} (stderr), each starting with {@code "ame4j: "}, and the counts behind the
 * {@code verbose} summary.
 *
 * <p>The line users must never miss is the one for a class that could not be instrumented
 * (fail loudly: docs/semantics.md, "Under the agent"):
 * <pre>ame4j: cannot instrument com.acme.Old (class file version 49 may lack stack map frames); transactions that reach its code run inevitable</pre>
 * It is always printed, verbose or not ({@link #record} of a {@code FALLBACK} outcome). A class
 * whose bytes the transformer could not even parse ({@code FAILED}) cannot get that fallback: at
 * load time it is refused ({@link #refused}), offline the run fails ({@link #unreadable}) unless
 * the user accepts to copy it untracked ({@link #record}, which then says so).
 *
 * <p>Thread-safe: classes are transformed on whatever threads load them. Lines are printed
 * whole ({@code println} of one string), but lines of different threads may interleave.
 */
public final class AgentLog {
  public static final String PREFIX = "ame4j: ";

  private final PrintStream out;
  private final boolean verbose;
  private final LongAdder instrumented = new LongAdder();
  private final LongAdder notInstrumentable = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder refused = new LongAdder();
  private final LongAdder unchanged = new LongAdder();
  private final LongAdder excluded = new LongAdder();

  public AgentLog(PrintStream out, boolean verbose) {
    this.out = out;
    this.verbose = verbose;
  }

  /**
   * Logs what became of one class (internal name) and returns the class file to use, null for
   * the original; with {@code dump} set, writes a copy of every class file produced there, for
   * {@code javap}. One place for the load-time agent and the offline instrumenter.
   */
  public byte[] record(String className, Instrumented result, Path dump) {
    String dotted = className.replace('/', '.');
    switch (result.outcome()) {
      case INSTRUMENTED -> instrumented(dotted);
      case FALLBACK -> notInstrumentable(dotted, result.reason()
          + "); transactions that reach its code run inevitable");
      case NO_FALLBACK -> notInstrumentable(dotted, result.reason()
          + "); left as it is: instrumented code that calls it runs inevitable");
      case UNCHANGED -> unchanged(dotted);
      case EXCLUDED -> excluded.increment();
      case FAILED -> failed(dotted, result.reason());
      case SKIPPED -> { }
    }
    if (result.bytes() != null && dump != null) {
      dump(dump, className, result.bytes());
    }
    return result.bytes();
  }

  /** A class that took the fallback (counted among the instrumented ones: its methods go inevitable). */
  private void notInstrumentable(String className, String reasonAndEnd) {
    instrumented.increment(); // transformed all the same: every method now goes inevitable
    notInstrumentable.increment();
    out.println(PREFIX + "cannot instrument " + className + " (" + reasonAndEnd);
  }

  /**
   * Load time: a class the transformer could not process at all (it threw, typically on bytes it
   * cannot parse) is refused, never loaded untracked. Always printed.
   */
  public void refused(String className, String reason) {
    refused.increment();
    out.println(PREFIX + "cannot instrument " + className + " (" + reason + "); refused: the JVM"
        + " is given it as a malformed class (ClassFormatError), because its code could not be"
        + " tracked. Fix or recompile it, or leave it out with excludes=" + className);
  }

  /** Offline, before the run fails: a class whose bytes could not be processed. Always printed. */
  public void unreadable(String className, String reason) {
    out.println(PREFIX + "cannot instrument " + className + " (" + reason + ")");
  }

  /**
   * Offline with {@code --copy-unreadable}: a class the transformer could not process at all is
   * copied unchanged, untracked, as the user asked. Always printed.
   */
  public void failed(String className, String reason) {
    failed.increment();
    out.println(PREFIX + "cannot instrument " + className + " (" + reason
        + "); left unchanged: its code is NOT tracked, transactions that reach it may lose updates");
  }

  /** A class that got twins. */
  private void instrumented(String className) {
    instrumented.increment();
    if (verbose) {
      out.println(PREFIX + "instrumented " + className);
    }
  }

  /** A class the transformer returned as it was (already instrumented, e.g. offline). */
  private void unchanged(String className) {
    unchanged.increment();
    if (verbose) {
      out.println(PREFIX + "unchanged " + className + " (already instrumented)");
    }
  }

  /** Any other message (warnings of the offline instrumenter, dump failures). */
  public void warn(String message) {
    out.println(PREFIX + message);
  }

  /** Printed only when verbose. */
  public void info(String message) {
    if (verbose) {
      out.println(PREFIX + message);
    }
  }

  public long instrumentedCount() {
    return instrumented.sum();
  }

  public long unchangedCount() {
    return unchanged.sum();
  }

  /** The {@code dump} option: a copy of a class file produced. */
  private void dump(Path dir, String className, byte[] bytes) {
    Path file = dir.resolve(className + ".class");
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, bytes);
    } catch (IOException | RuntimeException e) {
      warn("dump: cannot write " + file + " (" + e + ")");
    }
  }

  /**
   * One line: {@code N classes instrumented (F of them not instrumentable: run inevitable),
   * U already instrumented, E excluded by options, R refused (could not be read), X left
   * untracked (could not be read)}; "1 class", and the last two only when not zero.
   */
  public String summary() {
    long f = notInstrumentable.sum();
    long r = refused.sum();
    long x = failed.sum();
    long n = instrumented.sum();
    return PREFIX + n + (n == 1 ? " class" : " classes") + " instrumented"
        + (f > 0 ? " (" + f + " of them not instrumentable: run inevitable)" : "")
        + ", " + unchanged.sum() + " already instrumented"
        + ", " + excluded.sum() + " excluded by options"
        + (r > 0 ? ", " + r + " refused (could not be read)" : "")
        + (x > 0 ? ", " + x + " left untracked (could not be read)" : "");
  }
}
