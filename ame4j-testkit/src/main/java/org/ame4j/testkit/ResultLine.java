package org.ame4j.testkit;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The line protocol by which the examples' and benchmarks' child programs report a run:
 * {@code RESULT key=value key=value … [check=free text]} on stdout. One parser for every reader
 * (the integration tests through {@link ChildJvm.Result#results}, the agent-overhead harness).
 *
 * <p>Guarantees: a value is the text between {@code =} and the next space; {@code check} is
 * everything after {@code " check="} (a check message may contain spaces and {@code =}, so it
 * must come last). Tokens without {@code =} are ignored. Does not interpret any value.
 */
public final class ResultLine {
  /** What starts a result line. */
  public static final String PREFIX = "RESULT ";

  private ResultLine() {}

  /** True if {@code line} is a result line. */
  public static boolean is(String line) {
    return line.startsWith(PREFIX);
  }

  /** The {@code key=value} tokens of a result line, in order, {@code check} last if present. */
  public static Map<String, String> parse(String line) {
    if (!is(line)) {
      throw new IllegalArgumentException("not a RESULT line: " + line);
    }
    Map<String, String> kv = new LinkedHashMap<>();
    int check = line.indexOf(" check=");
    String head = check < 0 ? line : line.substring(0, check);
    for (String token : head.substring(PREFIX.length()).split(" ")) {
      int eq = token.indexOf('=');
      if (eq > 0) {
        kv.put(token.substring(0, eq), token.substring(eq + 1));
      }
    }
    if (check >= 0) {
      kv.put("check", line.substring(check + " check=".length()));
    }
    return kv;
  }
}
