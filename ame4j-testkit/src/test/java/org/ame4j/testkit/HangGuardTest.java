package org.ame4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.junit.platform.engine.discovery.DiscoverySelectors;

/**
 * {@link HangGuard} fails a hung test with the dump of where it stood, and lets a test within
 * its limit pass. The example classes below run through JUnit's launcher (surefire skips nested
 * classes), as a module's tests would.
 */
class HangGuardTest {
  @Test
  void aHungTestFailsWithTheDumpOfTheLineItHangsOn() {
    TestExecutionSummary s = run(Hung.class, Map.of());
    assertEquals(1, s.getTotalFailureCount());
    String message = s.getFailures().get(0).getException().getMessage();
    assertTrue(message.startsWith("Hung.sleeps (sleeps()) did not finish in 0.3 s on a free machine"),
        message);
    assertTrue(message.contains("HangGuardTest$Hung.sleeps"), message);
    assertTrue(message.contains("java.lang.Thread.sleep"), message);
  }

  @Test
  void aMethodsLimitOverridesItsClasssAndNestedClassesInheritTheirs() {
    TestExecutionSummary s = run(Overridden.class, Map.of());
    assertEquals(3, s.getTestsFoundCount());
    assertEquals(2, s.getTestsSucceededCount(), () -> failures(s));
    assertEquals(1, s.getTotalFailureCount());
    String message = s.getFailures().get(0).getException().getMessage();
    assertTrue(message.startsWith("Overridden.hangs (hangs()) did not finish in 0.3 s"), message);
  }

  @Test
  void theConfiguredDefaultGuardsUnannotatedTestsAndLifecycleMethods() {
    TestExecutionSummary s = run(Unannotated.class, Map.of(HangGuardExtension.DEFAULT_KEY, "0.3"));
    assertEquals(1, s.getTotalFailureCount());
    String message = s.getFailures().get(0).getException().getMessage();
    assertTrue(message.startsWith("Unannotated.setUp ("), message);
  }

  @Test
  void aTestRegisteredTwiceHasOneWatchdog() {
    TestExecutionSummary s = run(Twice.class, Map.of(HangGuardExtension.DEFAULT_KEY, "60"));
    assertEquals(1, s.getTestsSucceededCount(), () -> failures(s));
  }

  private static TestExecutionSummary run(Class<?> c, Map<String, String> config) {
    LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
        .selectors(DiscoverySelectors.selectClass(c)).configurationParameters(config).build();
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    LauncherFactory.create().execute(request, listener);
    return listener.getSummary();
  }

  private static String failures(TestExecutionSummary s) {
    return String.valueOf(s.getFailures().stream().map(f -> f.getException()).toList());
  }

  @HangGuard(seconds = 0.3)
  static class Hung {
    @Test
    void sleeps() throws InterruptedException {
      Thread.sleep(600_000);
    }
  }

  @HangGuard(seconds = 60)
  static class Overridden {
    @Test
    void withinTheClasssLimit() throws InterruptedException {
      Thread.sleep(500);
    }

    @Test
    @HangGuard(seconds = 0.3)
    void hangs() throws InterruptedException {
      Thread.sleep(600_000);
    }

    @Nested
    class Inner {
      @Test
      void withinTheEnclosingClasssLimit() throws InterruptedException {
        Thread.sleep(500);
      }
    }
  }

  @ExtendWith(HangGuardExtension.class)
  static class Unannotated {
    @BeforeEach
    void setUp() throws InterruptedException {
      Thread.sleep(600_000);
    }

    @Test
    void neverReached() {}
  }

  @HangGuard(seconds = 60)
  @ExtendWith(HangGuardExtension.class)
  static class Twice {
    @Test
    void oneWatchdog() {
      List<String> dogs = Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
          .filter(n -> n.startsWith("watchdog: Twice.oneWatchdog")).toList();
      assertEquals(1, dogs.size(), dogs::toString);
    }
  }
}
