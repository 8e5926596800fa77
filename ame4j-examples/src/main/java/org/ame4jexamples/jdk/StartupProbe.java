package org.ame4jexamples.jdk;

import java.util.HashMap;
import java.util.Map;

/** The smallest program worth starting: what JVM start-up costs with and without the patch. */
public final class StartupProbe {
  private StartupProbe() {}

  public static void main(String[] args) {
    Map<String, Integer> m = new HashMap<>();
    m.merge("started", 1, Integer::sum);
    System.out.println(m);
  }
}
