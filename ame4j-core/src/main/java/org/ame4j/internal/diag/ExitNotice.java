package org.ame4j.internal.diag;

/**
 * The exit report of a program that never used ame4j. With {@code -Dame4j.report=true} the user
 * asked for a report, and silence would read as "the property did nothing": so the agent installs
 * this at start, and at exit it says that no transaction ran, unless the API's own exit report
 * ({@code org.ame4j.ExitReport}, installed by the first queue or atomic block) took over, which
 * it marks with {@link #engineUsed}. {@code -Dame4j.report.atExit=never} silences both.
 *
 * <p>Does not notice a program that loads ame4j in a class loader of its own (a second copy of
 * the API, with its own flag): that program gets this line and its report.
 */
public final class ExitNotice {
  /** What a program that never used ame4j gets at exit. */
  public static final String TEXT =
      "ame4j report: no transactions ran (the program used no TransactionQueue, Ame.run or atomic block)";

  private static volatile boolean engineUsed;

  private ExitNotice() {}

  /** The API's exit report is installed: it prints at exit instead of this notice. */
  public static void engineUsed() {
    engineUsed = true;
  }

  /** With {@code -Dame4j.report=true} (and not {@code atExit=never}): print {@link #TEXT} at exit if unused. */
  public static void install() {
    if (Boolean.getBoolean("ame4j.report") && !"never".equals(System.getProperty("ame4j.report.atExit"))) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        if (!engineUsed) {
          System.err.println(TEXT);
          System.err.flush();
        }
      }, "ame4j-no-transactions"));
    }
  }
}
