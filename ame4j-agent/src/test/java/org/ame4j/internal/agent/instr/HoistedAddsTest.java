package org.ame4j.internal.agent.instr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.ame4j.Ame;
import org.ame4j.testkit.HangGuard;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;

/**
 * {@link HoistedAdds} as the agent emits them ({@code org.ame4jtest.agenttest.RowSums}): compound
 * adds in loops open their element through {@code ElementSites.openWriteAt} with a local of their
 * own, the twins verify, sums into a task's own rows are right, and an add site that meets a
 * shared array after its own still locks and logs each of its elements (a throw undoes them all),
 * as does an add into an array allocated before a nested block that fails.
 */
@HangGuard(seconds = 120)
class HoistedAddsTest {
  static final String PKG = "org.ame4jtest.agenttest.";
  static TwinLoader loader;

  @BeforeAll
  static void load() throws Exception {
    loader = new TwinLoader(PKG, HoistedAddsTest.class.getClassLoader());
    loader.transformer.blindUpdates(true);
    Class.forName(PKG + "RowSums", true, loader);
  }

  static Object call(String method, Object... args) {
    return TwinTransformerTest.callInPackage(loader, PKG, "RowSums", method, args);
  }

  /** The names of the ElementSites calls of twin {@code method$ame}, in order. */
  static List<String> siteCalls(String method) {
    ClassNode cn = new ClassNode();
    new ClassReader(loader.produced.get(PKG + "RowSums")).accept(cn, 0);
    return cn.methods.stream().filter(m -> m.name.equals(method + "$ame"))
        .flatMap(m -> Arrays.stream(m.instructions.toArray()))
        .filter(n -> n instanceof MethodInsnNode mi && mi.owner.equals(RuntimeContract.ELEMENT_SITES))
        .map(n -> ((MethodInsnNode) n).name).toList();
  }

  @Test
  void addsInLoopsOpenWithAHoistedCheckAndTheTwinsVerify() {
    assertEquals("", loader.verifyAll());
    List<String> expected = HoistedAdds.ON
        ? List.of("openWriteAt", "logDoubleAt", "openWriteAt", "logIntAt")
        : List.of("openWrite", "logDouble", "openWrite", "logInt");
    assertEquals(expected, siteCalls("blockSums").subList(0, 4), siteCalls("blockSums").toString());
    assertEquals(expected, siteCalls("ownThenShared"));
  }

  @Test
  void sumsIntoATasksOwnRowsAreThePlainSums() {
    int n = 500;
    int rows = 8;
    int width = 4;
    double[][] points = new double[n][width];
    int[] best = new int[n];
    double[] expected = new double[rows * width + rows];
    for (int p = 0; p < n; p++) {
      best[p] = (p * 7 + p / 3) % rows;
      for (int j = 0; j < width; j++) {
        points[p][j] = p + j * 0.25;
        expected[best[p] * width + j] += points[p][j];
      }
      expected[rows * width + best[p]]++;
    }
    double[] got = Ame.atomic(() -> (double[]) call("blockSums", points, best, rows, width));
    assertArrayEquals(expected, got);
  }

  @Test
  void anAddSiteKeepsLockingASharedArrayAfterItsOwn() {
    double[] target = {10, 20, 30, 40};
    int[] counts = {1, 2, 3};
    double total = Ame.atomic(() -> (double) call("ownThenShared", target, counts, 12));
    assertEquals(12 + 4, total); // the fresh array's 12 ones and ownCounts[0]
    assertArrayEquals(new double[] {13, 23, 33, 43}, target);
    assertArrayEquals(new int[] {5, 6, 7}, counts);
    // A throw undoes every add into the shared arrays: each was logged, not only the first.
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Ame.atomic(() -> call("ownThenSharedThenFail", target, counts, 12)));
    assertEquals("refused", e.getMessage());
    assertArrayEquals(new double[] {13, 23, 33, 43}, target);
    assertArrayEquals(new int[] {5, 6, 7}, counts);
  }

  @Test
  void anArrayBornBeforeAFailingNestedBlockGetsItsAddsUndone() {
    double[] seen = Ame.atomic(() -> (double[]) call("nestedAddsUndone", 9));
    assertArrayEquals(new double[] {2, 2, 2}, seen);
    assertEquals(List.of("openWriteAt", "logDoubleAt").equals(siteCalls("addOnes")), HoistedAdds.ON);
  }
}
