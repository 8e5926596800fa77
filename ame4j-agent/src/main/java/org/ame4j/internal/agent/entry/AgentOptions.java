package org.ame4j.internal.agent.entry;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The agent's options, in JaCoCo's convention: {@code key=value} pairs separated by commas,
 * after the jar in {@code -javaagent:ame4j-agent.jar=includes=com.acme.*,verbose=true}.
 *
 * <table>
 *   <caption>Options</caption>
 *   <tr><th>option</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code includes}</td><td>{@code *}</td><td>classes to instrument: patterns (see
 *       {@link WildcardMatcher}) separated by {@code ':'}</td></tr>
 *   <tr><td>{@code excludes}</td><td>(none)</td><td>classes not to instrument, same syntax; wins
 *       over {@code includes}</td></tr>
 *   <tr><td>{@code verbose}</td><td>{@code false}</td><td>{@code true}: one stderr line per
 *       instrumented class, and a summary at exit</td></tr>
 *   <tr><td>{@code dump}</td><td>(none)</td><td>a directory: every class file the agent
 *       produces is also written there, as {@code <dir>/com/acme/Main.class}</td></tr>
 *   <tr><td>{@code annotations}</td><td>(none)</td><td>more annotation types (class names,
 *       separated by {@code ':'}) whose methods become atomic blocks, besides
 *       {@code org.ame4j.Atomic} and {@code org.deuce.Atomic}, which are always recognised</td></tr>
 * </table>
 *
 * <p>Whatever the options say, the JDK ({@code java.*}, {@code javax.*}, {@code jdk.*},
 * {@code sun.*}, {@code com.sun.*}) and ame4j itself ({@code org.ame4j.*}: the API, the engine,
 * the agent) are never instrumented: {@code CallPolicy.isInstrumentable} comes
 * first. A class that is not instrumented has no twins: a transaction that calls into it from
 * instrumented code becomes inevitable (docs/semantics.md, "Under the agent"), so an over-broad {@code excludes} costs
 * parallelism, never correctness, for code reached through direct calls.
 *
 * <p>Guarantees: parsing is strict. An unknown key, a key given twice, a pair without
 * {@code '='}, an empty value or a malformed pattern is an {@link IllegalArgumentException}
 * whose message names the problem and lists the valid keys; the agent turns it into a failed
 * JVM start. Values cannot contain {@code ','} (the separator; JaCoCo has the same limit).
 */
public final class AgentOptions {
  static final String INCLUDES = "includes";
  static final String EXCLUDES = "excludes";
  static final String VERBOSE = "verbose";
  static final String DUMP = "dump";
  static final String ANNOTATIONS = "annotations";

  /** Every valid key, in the order the usage text lists them. */
  static final List<String> KEYS = List.of(INCLUDES, EXCLUDES, VERBOSE, DUMP, ANNOTATIONS);

  /** The defaults: instrument everything the default rule allows, quietly. */
  public static final AgentOptions DEFAULT = new AgentOptions(
      WildcardMatcher.ALL, WildcardMatcher.NONE, false, null, List.of());

  private final WildcardMatcher includes;
  private final WildcardMatcher excludes;
  private final boolean verbose;
  private final Path dump;
  private final List<String> annotations;

  private AgentOptions(WildcardMatcher includes, WildcardMatcher excludes, boolean verbose,
      Path dump, List<String> annotations) {
    this.includes = includes;
    this.excludes = excludes;
    this.verbose = verbose;
    this.dump = dump;
    this.annotations = List.copyOf(annotations);
  }

  /**
   * Parses the text after {@code '='} in {@code -javaagent:jar=...}; null or empty gives
   * {@link #DEFAULT}.
   *
   * @throws IllegalArgumentException with a message fit to show the user as it is
   */
  public static AgentOptions parse(String text) {
    if (text == null || text.isBlank()) {
      return DEFAULT;
    }
    Map<String, String> pairs = new LinkedHashMap<>();
    for (String pair : text.split(",", -1)) {
      int eq = pair.indexOf('=');
      String key = (eq < 0 ? pair : pair.substring(0, eq)).strip();
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException(pair.isBlank()
            ? "empty agent option in '" + text + "' (options are key=value pairs separated by ',')"
                + validKeys()
            : "unknown agent option '" + key + "'" + validKeys());
      }
      if (eq < 0) {
        throw new IllegalArgumentException(
            "agent option '" + key + "' needs a value (" + key + "=...)" + validKeys());
      }
      String value = pair.substring(eq + 1).strip();
      if (value.isEmpty()) {
        throw new IllegalArgumentException("agent option '" + key + "' has an empty value");
      }
      if (pairs.putIfAbsent(key, value) != null) {
        throw new IllegalArgumentException("agent option '" + key + "' is given twice");
      }
    }
    WildcardMatcher includes = pairs.containsKey(INCLUDES)
        ? WildcardMatcher.parse(INCLUDES, pairs.get(INCLUDES)) : WildcardMatcher.ALL;
    WildcardMatcher excludes = pairs.containsKey(EXCLUDES)
        ? WildcardMatcher.parse(EXCLUDES, pairs.get(EXCLUDES)) : WildcardMatcher.NONE;
    boolean verbose = false;
    if (pairs.containsKey(VERBOSE)) {
      String v = pairs.get(VERBOSE);
      if (!v.equals("true") && !v.equals("false")) {
        throw new IllegalArgumentException(
            "agent option 'verbose' must be true or false, not '" + v + "'");
      }
      verbose = v.equals("true");
    }
    Path dump = pairs.containsKey(DUMP) ? Path.of(pairs.get(DUMP)) : null;
    List<String> annotations = pairs.containsKey(ANNOTATIONS)
        ? WildcardMatcher.parse(ANNOTATIONS, pairs.get(ANNOTATIONS)).patterns() : List.of();
    for (String a : annotations) {
      if (a.indexOf('*') >= 0 || a.indexOf('?') >= 0) {
        throw new IllegalArgumentException("agent option 'annotations': '" + a
            + "' must be an annotation class name, without wildcards");
      }
    }
    return new AgentOptions(includes, excludes, verbose, dump, annotations);
  }

  private static String validKeys() {
    return "; valid options: " + String.join(", ", KEYS)
        + " (e.g. -javaagent:ame4j-agent.jar=includes=com.acme.*,excludes=com.acme.gen.*,verbose=true)";
  }

  /**
   * True unless {@code includes}/{@code excludes} leave this class (internal name) out; the
   * instrumenter applies it after the default rule ({@code CallPolicy.isInstrumentable}).
   */
  public boolean selects(String internalName) {
    String dotted = internalName.replace('/', '.');
    return includes.matches(dotted) && !excludes.matches(dotted);
  }

  WildcardMatcher includes() {
    return includes;
  }

  WildcardMatcher excludes() {
    return excludes;
  }

  public boolean verbose() {
    return verbose;
  }

  /** The dump directory, or null. */
  public Path dump() {
    return dump;
  }

  /** Annotation class names given with {@code annotations=} (dotted), besides the defaults. */
  public List<String> annotations() {
    return annotations;
  }

  @Override
  public String toString() {
    return INCLUDES + "=" + includes
        + (excludes.patterns().isEmpty() ? "" : "," + EXCLUDES + "=" + excludes)
        + "," + VERBOSE + "=" + verbose + (dump != null ? "," + DUMP + "=" + dump : "")
        + (annotations.isEmpty() ? "" : "," + ANNOTATIONS + "=" + String.join(":", annotations));
  }
}
