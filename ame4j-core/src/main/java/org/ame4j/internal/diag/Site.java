package org.ame4j.internal.diag;

/**
 * One barrier site of instrumented code: the class and method it is in, its source line, and
 * what it touches ({@code com.acme.Account.balance}, {@code int[]}, or a call such as
 * {@code java.util.HashMap.put()}).
 *
 * @param className the binary name of the class ({@code com.acme.Account})
 * @param method the method's name
 * @param file the source file ({@code Account.java}), or null if the class has none
 * @param line the source line, or -1 if the class has no line numbers
 * @param what the field ({@code Owner.name}), array type ({@code int[]}) or callee
 *     ({@code Owner.name()}) of the site
 */
public record Site(String className, String method, String file, int line, String what) {
  /** The site of accesses no instrumented code names (offline-instrumented, report off). */
  public static final Site UNKNOWN = new Site("?", "?", null, -1, "?");

  /** {@code Account.java:17 (com.acme.Account.deposit)}, or {@code line unknown}. */
  public String where() {
    if (this == UNKNOWN) {
      return "line unknown";
    }
    String at = (file != null ? file : "?") + ":" + (line >= 0 ? Integer.toString(line) : "?");
    return at + " (" + className + "." + method + ")";
  }

  /** True for a site that touches an array element ({@code what} ends with {@code []}). */
  public boolean isArray() {
    return what.endsWith("[]");
  }

  /** True for a call site (the accesses happen in the callee, e.g. JDK code). */
  public boolean isCall() {
    return what.endsWith("()");
  }
}
