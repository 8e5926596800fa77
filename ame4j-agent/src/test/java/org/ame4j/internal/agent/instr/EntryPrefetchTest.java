package org.ame4j.internal.agent.instr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.ame4j.testkit.HangGuard;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link EntryPrefetch} as the agent emits it ({@code org.ame4jtest.agenttest.VertexTasks}): which
 * twins get the entry loads (several arrays of {@code this} at an unassigned {@code int}
 * parameter, one of them stored to), that the twins verify, and that the loads change nothing the program sees: the
 * values, an index out of bounds and a null array throw at the access as before, and an attempt
 * that throws after a write leaves nothing of it.
 */
@HangGuard(seconds = 120)
class EntryPrefetchTest {
  static final String PKG = "org.ame4jtest.agenttest.";
  static TwinLoader loader;

  @BeforeAll
  static void load() throws Exception {
    loader = new TwinLoader(PKG, EntryPrefetchTest.class.getClassLoader());
    Class.forName(PKG + "VertexTasks", true, loader);
  }

  static Object call(String method, Object... args) {
    return TwinTransformerTest.callInPackage(loader, PKG, "VertexTasks", method, args);
  }

  static Map<String, Integer> prefetches(String method) {
    return HoistedChecksTest.barrierCalls(loader, "VertexTasks", method, "prefetch");
  }

  @Test
  void onlyTwinsWithSeveralArraysAtAnUnassignedParameterGetTheEntryLoads() {
    assertTrue(EntryPrefetch.DEFAULT, "on by default");
    assertEquals("", loader.verifyAll());
    assertEquals(Map.of("prefetch", 3), prefetches("visit"), "queued, visits, label at u");
    assertEquals(Map.of(), prefetches("single"), "one array: nothing to overlap");
    assertEquals(Map.of(), prefetches("readOnly"), "no store among them: no lock serialises them");
    assertEquals(Map.of(), prefetches("shifted"), "u assigned before the accesses");
    assertEquals(Map.of(), prefetches("alone"), "static: no this");
  }

  /** Index-grouped records (issue 14, session 16): the same twins group their arrays first. */
  @Test
  void theSameTwinsGroupTheirArraysAtTheParameter() {
    assertTrue(EntryPrefetch.GROUPS, "on by default");
    assertEquals(Map.of("group", 1),
        HoistedChecksTest.barrierCalls(loader, "VertexTasks", "visit", "group"), "one call, three arrays");
    for (String m : new String[] {"single", "readOnly", "shifted", "alone"}) {
      assertEquals(Map.of(), HoistedChecksTest.barrierCalls(loader, "VertexTasks", m, "group"), m);
    }
  }

  @Test
  void aVisitGivesTheProgramsValues() {
    Object t = call("create", 8);
    assertEquals(5, (int) call("visitAtomically", t, 5));
    assertEquals(5, (int) call("visitAtomically", t, 5));
    assertEquals(false, call("queued", t, 5));
    assertEquals(2, (int) call("visits", t, 5));
    assertEquals(true, call("queued", t, 4));
    assertEquals(0, (int) call("visits", t, 4));
  }

  @Test
  void anIndexOutOfBoundsThrowsAtTheAccessAndChangesNothing() {
    Object t = call("create", 8);
    for (int u : new int[] {8, -1, Integer.MAX_VALUE}) {
      Throwable e = assertThrows(ArrayIndexOutOfBoundsException.class, () -> call("visitAtomically", t, u));
      for (StackTraceElement f : e.getStackTrace()) {
        assertTrue(!f.getMethodName().equals("prefetch"), "thrown by the entry load, not the access: " + f);
      }
    }
    for (int v = 0; v < 8; v++) {
      assertEquals(true, call("queued", t, v));
      assertEquals(0, (int) call("visits", t, v));
    }
  }

  @Test
  void aNullArrayThrowsAtItsAccessAndTheEarlierWriteIsRolledBack() {
    Object t = call("create", 8);
    call("dropVisits", t);
    assertThrows(NullPointerException.class, () -> call("visitAtomically", t, 3));
    assertEquals(true, call("queued", t, 3), "queued[3] = false was undone with the attempt");
  }
}
