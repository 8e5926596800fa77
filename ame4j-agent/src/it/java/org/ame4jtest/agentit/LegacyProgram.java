package org.ame4jtest.agentit;

import org.ame4j.Ame;
import org.ame4j.Stats;
import org.ame4j.TransactionQueue;

/**
 * Runs code the agent refuses to instrument, under {@code -javaagent}, in a child JVM of the
 * integration tests: a class whose bytes are malformed ({@code Broken}, written by the test) and
 * {@link LegacyCounter} rewritten to class file version 49. Prints {@code key: value} lines.
 */
public final class LegacyProgram {
  public static void main(String[] args) {
    String broken;
    try {
      Class.forName("org.ame4jtest.agentit.Broken");
      broken = "loaded";
    } catch (ClassFormatError e) {
      broken = "ClassFormatError";
    } catch (ClassNotFoundException e) {
      broken = "missing";
    }
    System.out.println("broken: " + broken);

    int tasks = 2_000;
    Stats before = Ame.stats();
    TransactionQueue q = new TransactionQueue();
    for (int i = 0; i < tasks; i++) {
      // The lambda proxy calls the original increment(), whose fallback prologue makes the
      // transaction inevitable. (A direct call from a twin is not used: see DESIGN-NOTES,
      // "calls from a twin into a class that took the fallback".)
      q.add(LegacyCounter::increment);
    }
    q.run(2);
    Stats delta = Ame.stats().minus(before);
    System.out.println("legacy count: " + LegacyCounter.count() + " of " + tasks);
    System.out.println("legacy inevitable: " + (delta.inevitable() >= tasks));
  }
}
