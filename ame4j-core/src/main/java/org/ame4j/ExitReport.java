package org.ame4j;

import java.io.PrintStream;
import java.util.Locale;
import org.ame4j.internal.diag.ExitNotice;

/**
 * Prints {@link Stats#report()} to standard error when the JVM exits: always with
 * {@code -Dame4j.report=true} (unless {@code -Dame4j.report.atExit=never}); with {@code -Dame4j.report.atExit=auto} (what {@code ame run}
 * passes) only when aborts were at least {@link #AUTO_SHARE} of the attempts (and there were at
 * least {@link #AUTO_MIN_ATTEMPTS}), the share past which a program usually does not scale.
 * Installed the first time a queue or an atomic block is used; never installed otherwise (then,
 * with {@code -Dame4j.report=true} and the agent, {@link ExitNotice} says that no transaction ran).
 */
final class ExitReport {
  /** The share of attempts that aborted above which {@code ame run} reports on its own. */
  static final double AUTO_SHARE = 0.2;
  /** Fewer attempts than this are too few to say anything. */
  static final long AUTO_MIN_ATTEMPTS = 1000;

  private static final String AT_EXIT = System.getProperty("ame4j.report.atExit", "");
  private static final boolean ALWAYS = Boolean.getBoolean("ame4j.report") && !AT_EXIT.equals("never");
  private static final boolean AUTO = AT_EXIT.equals("auto");

  private ExitReport() {}

  static {
    ExitNotice.engineUsed();
    if (ALWAYS || AUTO) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> print(Ame.stats(), System.err), "ame4j-report"));
    }
  }

  /** Installs the hook (class initialization does it, once). */
  static void install() {}

  static void print(Stats s, PrintStream out) {
    String text = textAtExit(s, ALWAYS);
    if (text != null) {
      out.println(text);
      out.flush();
    }
  }

  /** The text to print at exit, or null: {@code always}, or aborts past {@link #AUTO_SHARE}. */
  static String textAtExit(Stats s, boolean always) {
    long attempts = s.commits() + s.aborts();
    double share = attempts == 0 ? 0 : (double) s.aborts() / attempts;
    if (!always && (attempts < AUTO_MIN_ATTEMPTS || share < AUTO_SHARE)) {
      return null;
    }
    String head = always ? "ame4j report:" : String.format(Locale.ROOT,
        "ame4j: %.0f%% of transaction attempts aborted (report printed above %.0f%%):", 100 * share, 100 * AUTO_SHARE);
    return head + System.lineSeparator() + s.report();
  }
}
