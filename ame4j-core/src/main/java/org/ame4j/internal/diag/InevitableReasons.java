package org.ame4j.internal.diag;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Why transactions became inevitable at each site ({@code "I/O call"}, {@code "native method"},
 * {@code "untracked code"}, {@code "Ame.inevitable()"}): the report prints it next to the site.
 * A site always has the same reason, so one entry per site is all there is to keep.
 */
public final class InevitableReasons {
  private static final Map<String, String> REASONS = new ConcurrentHashMap<>();

  private InevitableReasons() {}

  public static void record(String site, String reason) {
    REASONS.putIfAbsent(site, reason);
  }

  /** The reason recorded for {@code site}, or {@code "untracked code"}. */
  public static String of(String site) {
    return REASONS.getOrDefault(site, "untracked code");
  }

  /**
   * The reason for running untracked code at {@code site} (the agent's description of the call):
   * a native method, an I/O class of the JDK, or other code the engine cannot track.
   */
  public static String ofUntracked(String site) {
    if (site.contains("(native)")) {
      return "native method";
    }
    int arrow = site.indexOf(" -> "); // "com.acme.Main.run(Main.java:9) -> java.io.PrintStream.println"
    String target = arrow >= 0 ? site.substring(arrow + 4) : site;
    if (target.startsWith("java.io.") || target.startsWith("java.nio.") || target.startsWith("java.net.")
        || target.startsWith("sun.nio.") || target.startsWith("java.lang.System.out")) {
      return "I/O call";
    }
    return "untracked code";
  }
}
