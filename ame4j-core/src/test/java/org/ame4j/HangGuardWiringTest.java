package org.ame4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every ame4j-core test runs under ame4j-testkit's {@code HangGuard} without naming it
 * (auto-detected, {@code junit-platform.properties}), and in a separate thread under JUnit's
 * outer bound: if this configuration is lost, a hang in a test without {@code @HangGuard} would
 * be bounded by nothing but the build.
 */
class HangGuardWiringTest {
  @Test
  void anUnannotatedTestRunsUnderOneWatchdog() {
    List<String> dogs = Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
        .filter(n -> n.startsWith("watchdog: HangGuardWiringTest.anUnannotatedTestRunsUnderOneWatchdog"))
        .toList();
    assertEquals(1, dogs.size(), dogs::toString);
    assertTrue(!Thread.currentThread().getName().equals("main"),
        "the test ran in surefire's main thread: no SEPARATE_THREAD outer bound");
  }
}
