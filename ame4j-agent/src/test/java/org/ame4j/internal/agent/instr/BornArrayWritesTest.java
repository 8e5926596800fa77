package org.ame4j.internal.agent.instr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.ame4j.internal.engine.ArrayStripesForTesting;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Element stores in loops with a hoisted check of born arrays ({@code BornArrayWrites}, emitted
 * by {@link HoistedChecks}) as the agent emits them ({@code org.ame4jtest.agenttest.BornArrays}):
 * which stores get the check, that the twins verify, that born arrays of every kind keep their
 * values, that a shared array written in a loop is still locked and logged element by element
 * (undone by a failing nested block; never seen half written by readers), that a nested block's
 * stores into an array allocated before it are undone, and that a born array filled in a loop and
 * published is seen whole or not at all; the same for the rows of a matrix the attempt allocated
 * in one {@code multianewarray}, which are its own and never turned written.
 */
@Timeout(180)
class BornArrayWritesTest {
  static final String PKG = "org.ame4jtest.agenttest.";
  static TwinLoader loader;

  @BeforeAll
  static void load() throws Exception {
    loader = new TwinLoader(PKG, BornArrayWritesTest.class.getClassLoader());
    Class.forName(PKG + "BornArrays", true, loader);
  }

  @BeforeEach
  void reset() {
    call("reset");
  }

  static Object call(String method, Object... args) {
    return TwinTransformerTest.callInPackage(loader, PKG, "BornArrays", method, args);
  }

  /** Element write barriers by name in twin {@code method$ame} of BornArrays. */
  static Map<String, Integer> elementWrites(String method) {
    return HoistedChecksTest.barrierCalls(loader, "BornArrays", method, "write");
  }

  @Test
  void storesInLoopsGetAHoistedCheckAndTheTwinsVerify() {
    assertEquals("", loader.verifyAll());
    assertEquals(Map.of("writeElementAt", 1), elementWrites("fill"));
    // Not in a loop: no hoisted check; the store is one call (ElementSites.storeLong: held until
    // commit, or opened, logged and stored there).
    assertEquals(Map.of(), elementWrites("setFirst"), "not in a loop");
    assertEquals(Map.of("storeLong", 1),
        HoistedChecksTest.barrierCalls(loader, "BornArrays", "setFirst", "store"), "not in a loop");
  }

  @Test
  void bornArraysOfEveryKindFilledInALoopKeepTheirValues() {
    int n = 100;
    long expected = 0;
    for (int i = 0; i < n; i++) {
      expected += 4L * i + ((i & 1) == 0 ? 1 : 0) + (i & 0xff) + i + 2L * ('a' + i % 26);
    }
    assertEquals(expected, (long) call("freshKinds", n));
  }

  @Test
  void aFailingNestedBlockUndoesEveryStoreOfItsLoopIntoASharedArray() {
    assertEquals(0L, (long) call("sharedFillUndone", 7L));
  }

  @Test
  void aFailingNestedBlockUndoesItsLoopsStoresIntoAnArrayBornBeforeIt() {
    assertEquals(100 * 5 + 2, (long) call("bornBeforeTheBlock", 50));
  }

  @Test
  void readersNeverSeeASharedArrayHalfFilledByALoop() throws Exception {
    int fills = Boolean.getBoolean("ame4j.stress") ? 200_000 : 20_000;
    long[] c = PlainFieldOpacityTest.readersAgainst(
        done -> (long[]) call("checkSharedUntil", done), () -> call("fillMany", fills));
    assertTrue(c[0] > 0);
    assertEquals(0, c[1], c[1] + " of " + c[0] + " reads saw a half-filled array");
  }

  /**
   * {@code new double[k][4]} allocates the rows too (one {@code multianewarray}): a task adding
   * into them writes its own arrays, so no row's stripe is turned written (before, only the outer
   * array was recorded, and each row was turned and locked element by element like shared data).
   */
  @Test
  void theRowsOfAMatrixTheAttemptAllocatedAreItsOwn() {
    long expected = 0;
    for (int p = 0; p < 100; p++) {
      for (int j = 0; j < 4; j++) {
        expected += p + j;
      }
    }
    expected += 100;
    long turns = ArrayStripesForTesting.turns();
    assertEquals(expected, (long) call("ownRows", 8));
    assertEquals(turns, ArrayStripesForTesting.turns(), "a row of the attempt's own matrix was turned");
  }

  @Test
  void aFailingNestedBlockUndoesItsStoresIntoRowsBornBeforeIt() {
    assertEquals(5L, (long) call("rowsBornBeforeTheBlock", 40));
  }

  @Test
  void aRowOfABornMatrixPublishedIsSeenWholeOrNotAtAll() throws Exception {
    int publications = Boolean.getBoolean("ame4j.stress") ? 200_000 : 20_000;
    long[] c = PlainFieldOpacityTest.readersAgainst(
        done -> (long[]) call("checkPublishedUntil", done), () -> call("publishRowsMany", publications, 64));
    assertTrue(c[0] > 0);
    assertEquals(0, c[1], c[1] + " of " + c[0] + " reads saw a half-filled row");
  }

  @Test
  void aBornArrayFilledInALoopAndPublishedIsSeenWholeOrNotAtAll() throws Exception {
    int publications = Boolean.getBoolean("ame4j.stress") ? 200_000 : 20_000;
    long[] c = PlainFieldOpacityTest.readersAgainst(
        done -> (long[]) call("checkPublishedUntil", done), () -> call("publishMany", publications, 64));
    assertTrue(c[0] > 0);
    assertEquals(0, c[1], c[1] + " of " + c[0] + " reads saw a half-filled array");
  }
}
