package org.ame4j.internal.diag;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Where explicit cells ({@code Ref}, {@code IntRef}, {@code LongRef}, {@code TCounter}) were
 * created, so that a conflict on one is named {@code IntRef created at Bank.java:12}. Kept only
 * while the report is on (a stack walk per cell), weakly: a dead cell leaves the table.
 */
public final class CellNames {
  private static final Map<Object, String> NAMES = Collections.synchronizedMap(new WeakHashMap<>());

  private CellNames() {}

  /** Records the first caller outside ame4j as {@code cell}'s creation site. */
  public static void created(Object cell) {
    NAMES.put(cell, callerOutsideAme4j());
  }

  /** {@code IntCell created at Bank.java:12 (com.acme.Bank.<init>)}, or null if not recorded. */
  public static String name(Object cell) {
    return NAMES.get(cell);
  }

  private static String callerOutsideAme4j() {
    return StackWalker.getInstance().walk(frames -> frames
        .filter(f -> !f.getClassName().startsWith("org.ame4j."))
        .findFirst()
        .map(f -> f.getFileName() + ":" + f.getLineNumber() + " (" + f.getClassName() + "." + f.getMethodName() + ")")
        .orElse("line unknown"));
  }
}
