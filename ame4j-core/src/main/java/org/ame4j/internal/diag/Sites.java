package org.ame4j.internal.diag;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The table of barrier sites: a small int per site, given out at class load by the agent (which
 * then passes the id to {@code Diagnostics.at} before the site's barrier), and looked up when a
 * conflict is recorded. Id 0 is {@link Site#UNKNOWN}. One site, one id: accesses of one kind on
 * one line (a stencil's {@code row[c - 1] + row[c + 1]}) share it, so that the agent can drop a
 * marker that repeats the one before it.
 *
 * <p>Ids are only valid in the JVM that registered them: classes instrumented offline or for the
 * java.base patch (in another JVM) carry no ids, and their accesses are reported as "line
 * unknown" (JDK code is named by the instrumented call into it).
 */
public final class Sites {
  private static volatile Site[] table = new Site[1024];
  private static int count = 1;
  /** The id of each site registered (under the class lock). */
  private static final Map<Site, Integer> ids = new HashMap<>();

  static {
    table[0] = Site.UNKNOWN;
  }

  private Sites() {}

  /** Registers a site; returns its id (never 0). */
  public static synchronized int register(String className, String method, String file, int line, String what) {
    Site site = new Site(className, method, file, line, what);
    Integer known = ids.get(site);
    if (known != null) {
      return known;
    }
    Site[] t = table;
    if (count == t.length) {
      t = Arrays.copyOf(t, count * 2);
    }
    t[count] = site;
    table = t; // volatile publish: a reader that sees the id sees the site
    ids.put(site, count);
    return count++;
  }

  /** The site with this id, {@link Site#UNKNOWN} for 0 or an id this JVM did not give out. */
  public static Site get(int id) {
    Site[] t = table;
    Site s = id > 0 && id < t.length ? t[id] : null;
    return s != null ? s : Site.UNKNOWN;
  }
}
