package org.ame4j.internal.agent.entry;

import java.io.PrintStream;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Everything the agent and the offline instrumenter tell the user: one line per event on a
 * {@link PrintStream} (stderr), each starting with {@code "ame4j: "}, and the counts behind the
 * {@code verbose} summary.
 *
 * <p>The line users must never miss is the one for a class that could not be instrumented
 * (DESIGN §3.2, fail loudly):
 * <pre>ame4j: cannot instrument com.acme.Old (class file version 49 may lack stack map frames); transactions that reach its code run inevitable</pre>
 * It is always printed, verbose or not. The transformer's own report for such a class is passed
 * through {@link #notInstrumentable} and normalised to that exact format. A class whose bytes the
 * transformer could not even parse ({@link #failed}) is worse: it is left as it is, its code is
 * not tracked, and the line says so.
 *
 * <p>Thread-safe: classes are transformed on whatever threads load them. Lines are printed
 * whole ({@code println} of one string), but lines of different threads may interleave.
 */
public final class AgentLog {
  public static final String PREFIX = "ame4j: ";

  /** The transformer's fallback report, with its historical prefix and wording accepted. */
  private static final Pattern FALLBACK = Pattern.compile(
      "ame4j(?:-agent)?: cannot instrument (\\S+) \\((.*)\\); transactions that reach its code"
          + " (?:become|run) inevitable",
      Pattern.DOTALL);

  private final PrintStream out;
  private final boolean verbose;
  private final LongAdder instrumented = new LongAdder();
  private final LongAdder notInstrumentable = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder unchanged = new LongAdder();
  private final LongAdder excluded = new LongAdder();

  public AgentLog(PrintStream out, boolean verbose) {
    this.out = out;
    this.verbose = verbose;
  }

  /** The line for a class that takes the transformer's fallback (runs inevitable). */
  public static String cannotInstrument(String className, String reason) {
    return PREFIX + "cannot instrument " + className + " (" + reason
        + "); transactions that reach its code run inevitable";
  }

  /**
   * A report from {@code TwinTransformer}: a class that took the fallback (counted among the
   * instrumented ones: its methods were rewritten to go inevitable). Always printed.
   */
  public void notInstrumentable(String transformerLine) {
    instrumented.increment(); // transformed all the same: every method now goes inevitable
    notInstrumentable.increment();
    Matcher m = FALLBACK.matcher(transformerLine);
    out.println(m.matches()
        ? cannotInstrument(m.group(1), m.group(2))
        : transformerLine.startsWith(PREFIX) ? transformerLine : PREFIX + transformerLine);
  }

  /**
   * A class the transformer could not process at all (it threw, typically on bytes it cannot
   * parse): it is loaded or copied unchanged, untracked. Always printed.
   */
  public void failed(String className, Throwable t) {
    failed.increment();
    out.println(PREFIX + "cannot instrument " + className + " (" + reason(t)
        + "); left unchanged: its code is NOT tracked, transactions that reach it may lose updates");
  }

  /** The exception, and where it was thrown when it carries no message (ASM's often do not). */
  static String reason(Throwable t) {
    StackTraceElement[] at = t.getStackTrace();
    return t.getMessage() == null && at.length > 0 ? t + " at " + at[0] : t.toString();
  }

  /** A class that got twins (or the fallback: the transformer reported that separately). */
  public void instrumented(String className) {
    instrumented.increment();
    if (verbose) {
      out.println(PREFIX + "instrumented " + className);
    }
  }

  /** A class the transformer returned as it was (already instrumented, e.g. offline). */
  public void unchanged(String className) {
    unchanged.increment();
    if (verbose) {
      out.println(PREFIX + "unchanged " + className + " (already instrumented)");
    }
  }

  /** A class left out by {@code includes}/{@code excludes} (not counting the JDK and ame4j). */
  public void excluded(String className) {
    excluded.increment();
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

  boolean verbose() {
    return verbose;
  }

  public long instrumentedCount() {
    return instrumented.sum();
  }

  long notInstrumentableCount() {
    return notInstrumentable.sum();
  }

  long failedCount() {
    return failed.sum();
  }

  public long unchangedCount() {
    return unchanged.sum();
  }

  /**
   * One line: {@code N classes instrumented (F of them not instrumentable: run inevitable),
   * U already instrumented, E excluded by options, X left untracked}.
   */
  public String summary() {
    long f = notInstrumentable.sum();
    long x = failed.sum();
    return PREFIX + instrumented.sum() + " classes instrumented"
        + (f > 0 ? " (" + f + " of them not instrumentable: run inevitable)" : "")
        + ", " + unchanged.sum() + " already instrumented"
        + ", " + excluded.sum() + " excluded by options"
        + (x > 0 ? ", " + x + " left untracked (could not be read)" : "");
  }
}
