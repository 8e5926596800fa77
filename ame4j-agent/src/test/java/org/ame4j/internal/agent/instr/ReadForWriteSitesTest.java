package org.ame4j.internal.agent.instr;

import static org.ame4j.internal.agent.instr.TwinTransformerTest.PKG;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.ame4j.AbortKind;
import org.ame4j.Ame;
import org.ame4j.Stats;
import org.ame4j.TransactionQueue;
import org.ame4j.testkit.HangGuard;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Reads for write in twins ({@code elision.ReadForWrite}): a read whose value a write of the
 * same field of the same object stores back, and a read just before it on the way, open their
 * holder for writing; a read whose write is not computed from it stays an ordinary read; and two
 * workers folding into shared cells get exact sums without a single read/write abort.
 */
@HangGuard(seconds = 120)
class ReadForWriteSitesTest {
  static TwinLoader loader;

  @BeforeAll
  static void load() throws Exception {
    loader = new TwinLoader(PKG, ReadForWriteSitesTest.class.getClassLoader());
    Class.forName(PKG + "Folds", true, loader);
  }

  static Object call(String method, Object... args) {
    return TwinTransformerTest.callIn(loader, "Folds", method, args);
  }

  /** The read barriers {@code name$ame} of Folds opens its reads with, in order. */
  static List<String> reads(String name) {
    ClassNode cn = new ClassNode();
    new ClassReader(loader.produced.get(PKG + "Folds")).accept(cn, 0);
    List<String> opens = new ArrayList<>();
    for (MethodNode m : cn.methods) {
      if (m.name.equals(name + "$ame")) {
        for (AbstractInsnNode n : m.instructions) {
          if (n instanceof MethodInsnNode mi && mi.owner.equals(RuntimeContract.SITE_BARRIERS)
              && mi.name.startsWith("openRead")) {
            opens.add(mi.name);
          }
        }
      }
    }
    return opens;
  }

  @Test
  void aReadModifyWriteAndTheCheckBeforeItReadForWrite() {
    // merge: `old = c.value`, checked for null just before `PLUS.apply(c.value, d)`, whose read
    // the barrier elision then takes from the first (one basic block's facts): the one barrier
    // left is the first read's, so it must be the one that locks.
    assertEquals(List.of("openReadForWrite"), reads("merge"));
  }

  @Test
  void aWriteNotComputedFromTheReadKeepsAnOrdinaryRead() {
    // labelOnce: `if (c.label.isEmpty()) c.label = s`: control, not data.
    assertEquals(List.of("openReadNoRecord"), reads("labelOnce"));
  }

  @Test
  void twoWorkersFoldExactSumsWithoutReadWriteAborts() {
    call("reset");
    Stats before = Ame.stats();
    TransactionQueue q = new TransactionQueue();
    int tasks = 4_000;
    for (int t = 0; t < tasks; t++) {
      int d = 1 + (t % 3);
      q.add(() -> call("task", d, 200));
    }
    q.run(2);
    Stats run = Ame.stats().minus(before);
    int expected = 0;
    for (int t = 0; t < tasks; t++) {
      expected += 1 + (t % 3);
    }
    for (int k = 0; k < 4; k++) {
      assertEquals(expected, (int) (Integer) call("value", k));
    }
    // Every shared location is a cell's value, read for write: nothing a commit can invalidate.
    assertEquals(0, run.aborts(AbortKind.READ_WRITE), run.report());
  }
}
