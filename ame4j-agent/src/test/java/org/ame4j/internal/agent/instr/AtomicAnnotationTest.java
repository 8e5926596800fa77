package org.ame4j.internal.agent.instr;

import static org.ame4j.internal.agent.instr.TwinTransformerTest.PKG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.ame4j.Ame;
import org.ame4j.Stats;
import org.ame4j.testkit.HangGuard;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 6: methods annotated {@code @org.ame4j.Atomic} or Deuce's {@code @org.deuce.Atomic} are
 * atomic blocks, called from the program's own threads (not from a queue).
 */
@HangGuard(seconds = 120)
class AtomicAnnotationTest {
  static TwinLoader loader;

  @BeforeAll
  static void load() throws Exception {
    loader = new TwinLoader(PKG, AtomicAnnotationTest.class.getClassLoader());
    Class.forName(PKG + "DeuceBank", true, loader);
    Class.forName(PKG + "AtomicOps", true, loader);
  }

  static Object call(String cls, String method, Object... args) {
    return TwinTransformerTest.callIn(loader, cls, method, args);
  }

  @Test
  void producedClassesVerify() {
    assertEquals("", loader.verifyAll());
    assertEquals(List.of(), loader.reports);
  }

  @Test
  void deuceStyleThreadsKeepEveryInvariantAndReallyConflict() {
    Stats before = Ame.stats();
    int n = 8;
    for (int threads : new int[] {1, 2, 4}) {
      long[] r = (long[]) call("DeuceBank", "run", threads, n, 20_000, 11L);
      assertEquals(n * 1_000L, r[0], "total, threads=" + threads);
      assertEquals(0, r[2], "audits that saw money created or destroyed, threads=" + threads);
      long audits = threads * ((20_000 + 63) / 64L);
      assertEquals(audits, r[3], "every histogram update kept, threads=" + threads);
      assertTrue(r[1] > 0 && r[1] <= threads * 20_000L, "transfers " + r[1]);
    }
    Stats s = Ame.stats().minus(before);
    assertTrue(s.aborts() > 0, "contention on 8 accounts must cause aborts: " + s);
    assertTrue(s.inevitableSites().keySet().stream().anyMatch(k -> k.contains("record")),
        "the java.util map makes record() inevitable: " + s.inevitableSites());
  }

  /**
   * Issue 16: javac copies {@code @Atomic} onto the bridge of a method that overrides a generic
   * one; the bridge (it only forwards to the method) must not become a second atomic method, or
   * the class fails to load with a duplicate {@code get$ame$run}. The same for a generic
   * parameter, two bridges to one method, Deuce's annotation, and an atomic default method.
   */
  @Test
  void atomicOverridesOfGenericMethodsLoadAndStayAtomicThroughTheirBridges() throws Exception {
    TwinLoader own = new TwinLoader(PKG, AtomicAnnotationTest.class.getClassLoader());
    Stats before = Ame.stats();
    assertEquals("ok,ok", TwinTransformerTest.callIn(own, "AtomicBridges", "get"));
    Stats s = Ame.stats().minus(before);
    assertEquals(2, s.commits(), "one atomic block per call, through the bridge too: " + s);
    assertEquals("none,x,x,x,1,2", TwinTransformerTest.callIn(own, "AtomicBridges", "viaBridges"));
    assertEquals(4 * 5_000, TwinTransformerTest.callIn(own, "AtomicBridges", "putsFromThreads", 4,
        5_000), "no lost update through the bridge");
    assertEquals("", own.verifyAll());
    assertEquals(List.of(), own.reports);
  }

  @Test
  void atomicMethodThatThrowsRollsBackAndRethrowsTheOriginal() {
    call("AtomicOps", "reset");
    call("AtomicOps", "move", 3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> call("AtomicOps", "moveThenFail", 5));
    assertEquals("refused 5", e.getMessage());
    assertEquals(3, (int) call("AtomicOps", "x"), "writes rolled back");
    assertTrue((boolean) call("AtomicOps", "consistent"));
    assertEquals(4, (int) call("AtomicOps", "outerCatchesInner", 7), "inner undone, outer kept");
    assertTrue((boolean) call("AtomicOps", "consistent"));
  }

  @Test
  void atomicMethodCallingIoGoesInevitableAndCompletes() {
    call("AtomicOps", "reset");
    Stats before = Ame.stats();
    call("AtomicOps", "moveAndPrint", 2);
    Stats s = Ame.stats().minus(before);
    assertEquals(2, (int) call("AtomicOps", "x"));
    assertEquals(1, s.inevitable(), s.toString());
    assertEquals(1, s.commits(), s.toString());
  }

  @Test
  void atomicMethodInsideAnAtomicBlockJoinsIt() {
    call("AtomicOps", "reset");
    assertThrows(IllegalStateException.class, () -> Ame.atomic(() -> {
      call("AtomicOps", "move", 9);
      throw new IllegalStateException("outer fails");
    }));
    assertEquals(0, (int) call("AtomicOps", "x"), "the joined method's writes went with the outer block");
  }
}
