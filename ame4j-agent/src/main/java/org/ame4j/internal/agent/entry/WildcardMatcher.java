package org.ame4j.internal.agent.entry;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A list of class name patterns in JaCoCo's agent-option syntax: patterns separated by
 * {@code ':'}, each a class name in Java's dotted form ({@code com.acme.Main},
 * {@code com.acme.Outer$Inner}) where {@code *} matches any run of characters, dots included,
 * and {@code ?} exactly one character. So {@code com.acme.*} matches every class in
 * {@code com.acme} and its subpackages, and {@code *Test} every class whose name ends in Test.
 *
 * <p>Guarantees: a match is a match of the whole name (no implicit prefix or suffix), and the
 * empty list matches nothing. Does not interpret anything else: no character classes, no
 * escapes, no package-only form ({@code com.acme} matches that one class name only).
 */
final class WildcardMatcher {
  private final List<String> patterns;
  private final Pattern regex;

  private WildcardMatcher(List<String> patterns) {
    this.patterns = List.copyOf(patterns);
    StringBuilder re = new StringBuilder();
    for (String p : patterns) {
      if (re.length() > 0) {
        re.append('|');
      }
      re.append("(?:");
      for (int i = 0; i < p.length(); i++) {
        char c = p.charAt(i);
        switch (c) {
          case '*' -> re.append(".*");
          case '?' -> re.append('.');
          default -> re.append(Pattern.quote(String.valueOf(c)));
        }
      }
      re.append(')');
    }
    this.regex = patterns.isEmpty() ? null : Pattern.compile(re.toString(), Pattern.DOTALL);
  }

  /** The matcher that matches nothing. */
  static final WildcardMatcher NONE = new WildcardMatcher(List.of());

  /** The matcher that matches every class name. */
  static final WildcardMatcher ALL = new WildcardMatcher(List.of("*"));

  /**
   * Parses {@code a.b.*:c.D?}. Each pattern must be non-empty and use dots, not slashes.
   *
   * @throws IllegalArgumentException naming the offending pattern
   */
  static WildcardMatcher parse(String optionName, String list) {
    List<String> out = new ArrayList<>();
    for (String p : list.split(":", -1)) {
      p = p.strip();
      if (p.isEmpty()) {
        throw new IllegalArgumentException(
            "option '" + optionName + "' has an empty pattern in '" + list
                + "' (patterns are separated by ':', e.g. " + optionName + "=com.acme.*:org.foo.*)");
      }
      if (p.indexOf('/') >= 0) {
        throw new IllegalArgumentException("option '" + optionName + "': pattern '" + p
            + "' contains '/': class name patterns use dots (e.g. " + p.replace('/', '.') + ")");
      }
      out.add(p);
    }
    return new WildcardMatcher(out);
  }

  /** True if {@code className} (dotted, e.g. {@code com.acme.Outer$Inner}) matches a pattern. */
  boolean matches(String className) {
    return regex != null && regex.matcher(className).matches();
  }

  List<String> patterns() {
    return patterns;
  }

  @Override
  public String toString() {
    return String.join(":", patterns);
  }
}
