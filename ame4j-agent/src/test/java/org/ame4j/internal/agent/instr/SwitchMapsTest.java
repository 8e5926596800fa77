package org.ame4j.internal.agent.instr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.ame4j.testkit.HangGuard;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * javac's enum switch maps read with no element barrier ({@code elision.SwitchMaps}), as the agent
 * emits them ({@code org.ame4jtest.agenttest.Switches}): the switch's load has no barrier, a
 * {@code static final int[]} that is no switch map keeps its barrier, the twins verify, a switch
 * initialising the map's class inside a task gives the right branches, and readers of the
 * non-map array never see writers' halves while they switch.
 */
@HangGuard(seconds = 180)
class SwitchMapsTest {
  static final String PKG = "org.ame4jtest.agenttest.";
  static TwinLoader loader;

  @BeforeAll
  static void load() throws Exception {
    loader = new TwinLoader(PKG, SwitchMapsTest.class.getClassLoader());
    Class.forName(PKG + "Switches", true, loader);
  }

  static Object call(String method, Object... args) {
    return TwinTransformerTest.callInPackage(loader, PKG, "Switches", method, args);
  }

  static Map<String, Integer> elementReads(String method) {
    return HoistedChecksTest.barrierCalls(loader, "Switches", method, "beforeReadElement");
  }

  @Test
  void theSwitchMapsLoadHasNoBarrierAndOtherFinalArraysKeepTheirsAndTheTwinsVerify() {
    assertEquals("", loader.verifyAll());
    assertEquals(Map.of(), elementReads("weight"), "the switch map's iaload is plain");
    assertEquals(Map.of("beforeReadElement", 3), elementReads("table"),
        "beside a switch: the map's load plain, a static final int[] that is no switch map barred");
  }

  @Test
  void aSwitchInATaskTakesTheRightBranches() {
    assertEquals(1234L, (long) call("weights"), "the first one initialises the map's class in the task");
    assertEquals(1234L, (long) call("weights"));
  }

  @Test
  void readersThatSwitchNeverSeeAFinalArrayHalfWritten() throws Exception {
    int fills = Boolean.getBoolean("ame4j.stress") ? 200_000 : 20_000;
    long[] c = PlainFieldOpacityTest.readersAgainst(
        done -> (long[]) call("checkUntil", done), () -> call("fillMany", fills));
    assertTrue(c[0] > 0);
    assertEquals(0, c[1], c[1] + " of " + c[0] + " reads saw TABLE half written or a wrong branch");
  }
}
