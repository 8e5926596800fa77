package org.ame4jexamples;

import java.lang.reflect.Method;

/**
 * Tells whether this JVM runs with the ame4j agent. The agent gives every method {@code m} of an
 * instrumented class a synthetic transactional twin named {@code m$ame}; this class is one of
 * the instrumented ones (everything outside {@code org.ame4j}), so it looks for a twin of its
 * own {@link #probe()} method.
 */
public final class AgentCheck {
  private AgentCheck() {}

  /** True if the ame4j agent instrumented this class when it was loaded. */
  public static boolean isActive() {
    for (Method m : AgentCheck.class.getDeclaredMethods()) {
      if (m.getName().equals("probe$ame")) {
        return true;
      }
    }
    return false;
  }

  /** The method whose twin {@link #isActive()} looks for. */
  static int probe() {
    return 0;
  }

  /**
   * What to tell a user who started a plain-field program without the agent: {@code what} names
   * the program, {@code launcher} is the {@code ./ame} command line that runs it with the agent.
   */
  public static String missingAgentMessage(String what, String launcher, Class<?> main) {
    return String.join("\n",
        what + " runs ordinary Java code (plain fields and arrays) as parallel tasks, and only the",
        "ame4j agent makes those plain accesses transactional. This JVM runs without the agent,",
        "so the parallel runs would race and compute wrong results. Run it with the agent:",
        "  " + launcher,
        "  java -javaagent:ame4j-agent/target/ame4j-agent-<version>.jar -cp <classpath> "
            + main.getName() + " ...");
  }
}
