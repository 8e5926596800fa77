package org.ame4j.internal.queue;

import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one warning a program gets when it runs a {@code TransactionQueue} on several workers
 * without the ame4j agent: then only the explicit cells are transactional, and plain fields,
 * statics and arrays that tasks share race silently (lost updates, no error). Printed once per
 * JVM on stderr, before the first such run.
 *
 * <p>"Without the agent" means: the agent's {@code premain} did not call {@link #agentLoaded},
 * and the class of the run's first task (the class that made it, for a lambda) has no
 * transactional twins, so it was not instrumented offline either. Not warned: runs on one
 * worker (no race), serial runs, and programs that say with {@code -Dame4j.cellsOnly=true} that
 * tasks share nothing but explicit cells.
 *
 * <p>Does not prove the program racy or safe: a task class instrumented offline beside plain
 * classes that were not is not noticed, and a cells-only program without the property is
 * warned needlessly.
 */
public final class NoAgentWarning {
  private NoAgentWarning() {}

  /** The property that silences the warning: tasks share only explicit cells. */
  public static final String CELLS_ONLY = "ame4j.cellsOnly";

  private static volatile boolean agent;
  private static final AtomicBoolean WARNED = new AtomicBoolean();

  /** Called by the agent's {@code premain}: plain code is instrumented as it loads. */
  public static void agentLoaded() {
    agent = true;
  }

  /**
   * Before a run on {@code workers} threads whose first task runs {@code first}: a task, the
   * body of an {@code addRange}, or null.
   */
  static void beforeRun(int workers, Object first, PrintStream err) {
    if (workers <= 1 || agent || first == null || WARNED.get() || Boolean.getBoolean(CELLS_ONLY)
        || isInstrumented(first.getClass()) || !WARNED.compareAndSet(false, true)) {
      return;
    }
    err.println(message(workers));
  }

  static String message(int workers) {
    return String.join(System.lineSeparator(),
        "ame4j: TransactionQueue.run on " + workers + " workers without the ame4j agent: only"
            + " the explicit cells (IntRef, LongRef, Ref,",
        "  TMap, TSet, TCounter) are transactional. Plain fields, statics and arrays that tasks"
            + " share are NOT tracked:",
        "  tasks race on them and updates can be lost, with no error. Start the program with the"
            + " agent",
        "  (./ame run ..., or java -javaagent:ame4j-agent.jar ...). If the tasks share nothing"
            + " but explicit cells,",
        "  -D" + CELLS_ONLY + "=true turns this warning off.");
  }

  /**
   * True if {@code c}, or for a lambda the class that made it, has the agent's twins (synthetic
   * methods named {@code …$ame}): instrumented at load time or offline. A class that cannot be
   * inspected counts as instrumented (no warning rather than a wrong one).
   */
  static boolean isInstrumented(Class<?> c) {
    Class<?> owner = c.isHidden() ? c.getNestHost() : c;
    try {
      for (Method m : owner.getDeclaredMethods()) {
        if (m.isSynthetic() && m.getName().endsWith("$ame")) {
          return true;
        }
      }
      return false;
    } catch (LinkageError | SecurityException e) {
      return true;
    }
  }
}
