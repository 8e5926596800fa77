package org.ame4j.internal.agent.instr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.TreeMap;
import org.ame4j.testkit.HangGuard;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * {@link HoistedChecks} as the agent emits them ({@code org.ame4jtest.agenttest.ArrayLoops}): which
 * element loads get a hoisted check (those in loops), that the twins verify, and that results
 * stay right: read-only and fresh arrays summed in loops, and readers summing a written array in
 * one loop while a writer moves value between its elements never see a sum other than 0 (a load
 * site that kept a written array would skip the checks of every element after the first).
 */
@HangGuard(seconds = 180)
class HoistedChecksTest {
  static final String PKG = "org.ame4jtest.agenttest.";
  static TwinLoader loader;

  @BeforeAll
  static void load() throws Exception {
    loader = new TwinLoader(PKG, HoistedChecksTest.class.getClassLoader());
    Class.forName(PKG + "ArrayLoops", true, loader);
  }

  static Object call(String method, Object... args) {
    return TwinTransformerTest.callInPackage(loader, PKG, "ArrayLoops", method, args);
  }

  /** Element read barriers by name in twin {@code method$ame} of ArrayLoops. */
  static Map<String, Integer> elementReads(String method) {
    return barrierCalls(loader, "ArrayLoops", method, "beforeReadElement");
  }

  /** Calls whose name starts with {@code prefix}, by name, in twin {@code method$ame} of {@code cls}. */
  static Map<String, Integer> barrierCalls(TwinLoader loader, String cls, String method, String prefix) {
    byte[] out = new TwinTransformer(loader::originalBytes)
        .transform(loader.originalBytes("org/ame4jtest/agenttest/" + cls));
    ClassNode cn = new ClassNode();
    new ClassReader(out).accept(cn, 0);
    Map<String, Integer> counts = new TreeMap<>();
    for (MethodNode m : cn.methods) {
      if (m.name.equals(method + "$ame")) {
        for (AbstractInsnNode n : m.instructions) {
          if (n instanceof MethodInsnNode mi && mi.name.startsWith(prefix)) {
            counts.merge(mi.name, 1, Integer::sum);
          }
        }
      }
    }
    return counts;
  }

  @Test
  void loadsInLoopsGetAHoistedCheckAndTheTwinsVerify() {
    assertEquals("", loader.verifyAll());
    assertEquals(Map.of("beforeReadElementAt", 1), elementReads("sum"));
    assertEquals(Map.of("beforeReadElementAt", 1), elementReads("total"));
    assertEquals(Map.of("beforeReadElement", 1), elementReads("first"), "not in a loop");
  }

  @Test
  void readOnlyAndFreshArraysReadInLoopsGiveTheirValues() {
    long[] a = new long[1_000];
    for (int i = 0; i < a.length; i++) {
      a[i] = 3 * i;
    }
    assertEquals(3L * 999 * 1_000 / 2, (long) call("totalOf", a));
    assertEquals(99L * 100 / 2, (long) call("freshTotalOf", 100));
    Object loops = call("create", 64);
    assertEquals(0L, (long) call("firstOf", loops));
  }

  @Test
  void readersSummingAWrittenArrayInALoopNeverSeeAHalfDoneMove() throws Exception {
    Object loops = call("create", 64);
    int moves = Boolean.getBoolean("ame4j.stress") ? 1_000_000 : 100_000;
    long[] c = PlainFieldOpacityTest.readersAgainst(done -> (long[]) call("checkUntil", loops, done),
        () -> call("moveMany", loops, moves));
    long reads = c[0];
    long broken = c[1];
    assertTrue(reads > 0);
    assertEquals(0, broken, broken + " of " + reads + " read-only sums were not 0");
    assertEquals(0L, (long) call("sumOf", loops));
  }
}
