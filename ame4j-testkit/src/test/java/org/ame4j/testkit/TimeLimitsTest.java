package org.ame4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The time limits fail a hang with a diagnosable dump, and let slow work that moves finish
 * ({@link Patience}, {@link Watchdog}, {@link Progress}, {@link ChildJvm}'s limit).
 */
class TimeLimitsTest {
  @Test
  void patienceNeverRunsOutBeforeItsWallTime() throws Exception {
    Patience p = Patience.of(0.3);
    long start = System.nanoTime();
    while (!p.exhausted()) {
      Thread.sleep(20);
    }
    assertTrue(System.nanoTime() - start >= 300_000_000L);
    assertTrue(p.describe().startsWith("0.3 s on a free machine (waited"), p.describe());
    assertThrows(IllegalArgumentException.class, () -> Patience.of(0));
  }

  @Test
  void aHungBodyFailsWithTheDumpOfWhereItStood() {
    AssertionError e = assertThrows(AssertionError.class,
        () -> Watchdog.run("sleeper", 0.2, () -> Thread.sleep(600_000)));
    assertTrue(e.getMessage().startsWith("sleeper did not finish in"), e.getMessage());
    assertTrue(e.getMessage().contains("aHungBodyFailsWithTheDumpOfWhereItStood"), e.getMessage());
    assertTrue(e.getMessage().contains("java.lang.Thread.sleep"), e.getMessage());
    assertTrue(e.getCause() instanceof InterruptedException, String.valueOf(e.getCause()));
    assertTrue(!Thread.currentThread().isInterrupted());
  }

  @Test
  void aBodyWithinItsLimitReturnsItsResult() throws Exception {
    assertEquals(42, Watchdog.call("quick", 60, () -> 42));
  }

  @Test
  void threadsThatKeepMovingAreWaitedForPastTheStall() throws Exception {
    AtomicLong moved = new AtomicLong();
    Thread slow = new Thread(() -> {
      for (int i = 0; i < 8; i++) { // 0.8 s in all, well over the 0.3 s stall
        sleep(100);
        moved.incrementAndGet();
      }
    });
    slow.start();
    assertNull(Progress.joinAll(List.of(slow), moved::get, 0.3));
  }

  @Test
  void aThreadThatStopsMovingIsReportedWithADump() throws Exception {
    Thread stuck = new Thread(() -> sleep(600_000), "stuck-for-the-test");
    stuck.setDaemon(true);
    stuck.start();
    String hung = Progress.joinAll(List.of(stuck), () -> 0, 0.3);
    stuck.interrupt();
    assertTrue(hung != null && hung.contains("no progress (0) for"), hung);
    assertTrue(hung.contains("\"stuck-for-the-test\""), hung);
  }

  @Test
  void aChildThatOutlivesItsLimitIsDumpedThenKilled() {
    AssertionError e = assertThrows(AssertionError.class, () -> ChildJvm.java()
        .classPath(System.getProperty("java.class.path")).timeout(3).run(Sleeper.class.getName()));
    assertTrue(e.getMessage().startsWith("child did not finish in"), e.getMessage());
    assertTrue(e.getMessage().contains("Sleeper.main"), e.getMessage());
  }

  @Test
  void aChildOfATestThatTimesOutIsDumpedThenKilled() throws Exception {
    AssertionError[] failed = {null};
    Thread test = new Thread(() -> {
      try {
        ChildJvm.java().classPath(System.getProperty("java.class.path")).timeout(600)
            .run(Sleeper.class.getName());
      } catch (AssertionError e) {
        failed[0] = e;
      }
    });
    test.start();
    while (ProcessHandle.current().descendants()
        .noneMatch(h -> h.info().commandLine().orElse("").contains("Sleeper"))) {
      Thread.sleep(50);
    }
    Patience settle = Patience.of(3); // for the child to reach its sleep (it sleeps ten minutes)
    while (!settle.exhausted()) {
      Thread.sleep(100);
    }
    test.interrupt(); // what JUnit's @Timeout does
    test.join(600_000);
    assertTrue(failed[0] != null && failed[0].getMessage().startsWith("interrupted while running"),
        String.valueOf(failed[0]));
    assertTrue(failed[0].getMessage().contains("Sleeper.main"), failed[0].getMessage());
  }

  /** A child that hangs (sleeps for ten minutes). */
  public static final class Sleeper {
    public static void main(String[] args) throws InterruptedException {
      System.out.println("sleeping");
      Thread.sleep(600_000);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
