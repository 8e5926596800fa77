package org.ame4j.internal.agent.instr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.ame4j.internal.agent.elision.FreshArrayFields;
import org.ame4j.internal.agent.elision.StableFields;
import org.ame4j.testkit.HangGuard;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.Opcodes;

/**
 * Arrays known born from their owner ({@link OwnedArraySites}, {@code FreshArrayFields},
 * {@code engine.OwnedArrays}) as the agent emits them ({@code org.ame4jtest.agenttest.OwnedBuffers}):
 * which fields the analysis proves fresh-only and which element sites get the hand-over; that the
 * twins verify; that a born owner's arrays keep their values; that a nested block's writes to the
 * arrays of an owner born before it are undone; and that arrays reached through a field once
 * assigned a shared array, through a shared owner, or through a task's {@code clone()} of a shared
 * owner keep their barriers (undone by a failing task; never seen half written by readers).
 */
@HangGuard(seconds = 180)
class OwnedArraysTest {
  static final String PKG = "org.ame4jtest.agenttest.";
  static final String CLS = "org/ame4jtest/agenttest/OwnedBuffers";
  static TwinLoader loader;

  @BeforeAll
  static void load() throws Exception {
    loader = new TwinLoader(PKG, OwnedArraysTest.class.getClassLoader());
    Class.forName(PKG + "OwnedBuffers", true, loader);
  }

  @BeforeEach
  void reset() {
    call("reset");
  }

  static Object call(String method, Object... args) {
    return TwinTransformerTest.callInPackage(loader, PKG, "OwnedBuffers", method, args);
  }

  static Map<String, Integer> handOvers(String method) {
    return HoistedChecksTest.barrierCalls(loader, "OwnedBuffers", method, "bornIn");
  }

  @Test
  void theFieldsOnlyEverAssignedNewArraysAreFreshOnly() {
    FreshArrayFields analysis = new FreshArrayFields(new StableFields(loader::originalBytes));
    Set<String> fresh = new HashSet<>();
    for (String key : new String[] {"buffer:[C", "stack:[I", "marks:[J", "lines:[J"}) {
      String[] nd = key.split(":");
      if (analysis.isFreshOnly(CLS, Opcodes.ACC_PRIVATE, nd[0], nd[1], CLS, loader.originalBytes(CLS))) {
        fresh.add(key);
      }
    }
    assertEquals(Set.of("buffer:[C", "stack:[I", "marks:[J"), fresh,
        "lines was assigned a parameter; buffer, stack, marks only new arrays, copies and clones");
  }

  @Test
  void elementSitesOfFreshArrayFieldsGetTheHandOverAndTheTwinsVerify() {
    assertEquals("", loader.verifyAll());
    assertEquals(Map.of("bornIn", 1), handOvers("fill"));
    assertEquals(Map.of("bornIn", 2), handOvers("first"), "outside loops too: one per field load");
    assertEquals(Map.of("bornIn", 1), handOvers("sum"));
    assertEquals(Map.of(), handOvers("fillLines"), "a field once assigned a shared array");
  }

  @Test
  void blindAddsIntoAFreshArrayFieldsArrayTakeTheHandedOverLocal() {
    // With a hoisted local (the hand-over gives one in or out of loops) the add is HoistedAdds'
    // (openWriteAt on the same local, the handed-over array compared first); with
    // -Dame4j.hoistedAdds=false it is openWriteKept.
    String open = HoistedAdds.ON ? "openWriteAt" : "openWriteKept";
    assertEquals(Map.of(open, 1), HoistedChecksTest.barrierCalls(loader, "OwnedBuffers", "tally", "openWrite"));
    assertEquals(Map.of(open, 1),
        HoistedChecksTest.barrierCalls(loader, "OwnedBuffers", "tallyBoth", "openWrite"));
  }

  @Test
  void blindAddsIntoABornOwnersArrayAddUpAndANestedBlocksAddsAreUndone() {
    assertEquals(45L, (long) call("tallies"));
  }

  @Test
  void aBlindAddIntoASharedArrayAtASiteHoldingABornArrayIsLockedAndLogged() {
    assertEquals(0L, (long) call("tallyBothShared", true), "the failed task's add is undone");
    assertEquals(1L, (long) call("tallyBothShared", false));
    assertEquals(1L, (long) call("tallyBothShared", true));
  }

  @Test
  void aBornOwnersArraysKeepTheirValues() {
    assertEquals(120097L * 1_000_000L + 15 * 100 + 14, (long) call("bornRoundTrip", 5));
  }

  @Test
  void aFailingNestedBlockUndoesItsWritesToTheArraysOfAnOwnerBornBeforeIt() {
    // after the failed block: 'a' everywhere, the stack [1], no marks; then a block's own object
    // filled with 'c', taken over by the task and filled with 'd'
    assertEquals(1097097L * 1_000_000_000L + 100100L, (long) call("nestedBlocks"));
  }

  @Test
  void aSharedArrayInABornOwnersUnprovenFieldIsLockedAndLogged() {
    assertEquals(0L, (long) call("linesUndone", 7L));
  }

  @Test
  void aSharedOwnersArraysAndATaskCopysSharedArraysAreLockedAndLogged() {
    assertEquals(0L, (long) call("commonUndone"));
    assertEquals(0L, (long) call("copyUndone"));
  }

  @Test
  void readersNeverSeeASharedArrayHalfFilledThroughABornOwner() throws Exception {
    int fills = Boolean.getBoolean("ame4j.stress") ? 200_000 : 20_000;
    long[] c = PlainFieldOpacityTest.readersAgainst(
        done -> (long[]) call("checkUntil", done), () -> call("fillMany", fills));
    assertTrue(c[0] > 0);
    assertEquals(0, c[1], c[1] + " of " + c[0] + " reads saw a half-filled array");
  }
}
