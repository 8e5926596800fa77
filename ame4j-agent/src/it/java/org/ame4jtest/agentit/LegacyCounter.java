package org.ame4jtest.agentit;

/**
 * A counter over a plain static field. The integration test rewrites this class file to version
 * 49 (Java 5: no stack map frames guaranteed) before the child JVM loads it, so the agent cannot
 * give it twins: it must report the class and make every transaction that reaches it inevitable.
 * No lambdas, no string concatenation: the class must stay valid at version 49.
 */
public final class LegacyCounter {
  private static long count;

  private LegacyCounter() {}

  /** Reads, works on locals, writes: untracked and not inevitable, this would lose updates. */
  public static void increment() {
    long c = count;
    long x = c;
    for (int i = 0; i < 1000; i++) {
      x = x * 6364136223846793005L + 1442695040888963407L;
    }
    count = c + ((x | 1) != 0 ? 1 : 0);
  }

  public static long count() {
    return count;
  }
}
