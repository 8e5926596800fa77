package org.ame4j.internal.agent.instr;

import static org.ame4j.internal.agent.instr.TwinTransformerTest.PKG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Field;
import java.util.List;
import org.ame4j.TaskFailedException;
import org.ame4j.TransactionQueue;
import org.ame4j.internal.engine.TxObject;
import org.ame4j.testkit.HangGuard;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An exception escaping a nested block undoes that block's writes, also those to what the
 * enclosing attempt allocated before the block began (born-owned objects, fresh arrays, objects
 * of the capture set), which take no lock; what the failing block allocated itself keeps its
 * values. Likewise a failing task of a batch, after an earlier task of it allocated.
 */
@HangGuard(seconds = 120)
class NestedBornTest {
  static TwinLoader loader;

  @BeforeAll
  static void load() throws Exception {
    loader = new TwinLoader(PKG, NestedBornTest.class.getClassLoader());
    Class.forName(PKG + "NestedBorn", true, loader);
  }

  static Object call(String method, Object... args) {
    return TwinTransformerTest.callIn(loader, "NestedBorn", method, args);
  }

  @Test
  void theSubjectsTakeThePathsUnderTest() throws Exception {
    assertEquals("", loader.verifyAll());
    assertEquals(List.of(), loader.reports);
    assertSame(TxObject.class, Class.forName(PKG + "NestedBorn$Box", false, loader).getSuperclass());
    assertSame(Number.class, Class.forName(PKG + "NestedBorn$Plain", false, loader).getSuperclass());
  }

  /**
   * Each subject returns what the outer block sees after the inner one failed: one value, or two
   * digits (a field's and an element's, or the two elements of an arraycopy's destination).
   */
  @ParameterizedTest
  @CsvSource({"bornField, 5", "bornFieldAdd, 5", "freshElement, 5", "freshElementAdd, 5",
      "capturedField, 5", "atomicMethod, 5", "freshArraycopy, 56",
      "bornInAnEarlierInnerBlock, 55", "threeLevels, 55",
      "writesAfterTheInnerBlock, 77"}) // the outer block's own writes afterwards (+2 each) stay
  void aFailingInnerBlockUndoesItsWritesToWhatTheOuterAllocated(String method, int expected) {
    assertEquals(expected, call(method));
  }

  @Test
  void whatTheFailingBlockAllocatedKeepsItsValues() {
    assertEquals(7, call("bornInTheFailingBlock"));
  }

  /**
   * Task coalescing: the first task of a batch publishes a new box, a later one writes it and
   * fails. Its write must be undone (the box was allocated by the batch's attempt).
   */
  @Test
  void aFailingTaskOfABatchDoesNotKeepItsWriteToAnEarlierTasksObject() throws Exception {
    Field fixed = Class.forName("org.ame4j.internal.queue.Coalescing").getDeclaredField("fixed");
    fixed.setAccessible(true);
    int saved = fixed.getInt(null);
    fixed.setInt(null, 64);
    try {
      TransactionQueue q = new TransactionQueue();
      q.add(() -> call("publish"));
      q.add(() -> call("writeSharedThenFail"));
      TaskFailedException e = assertThrows(TaskFailedException.class, () -> q.run(1));
      assertInstanceOf(IllegalStateException.class, e.getCause());
      assertEquals(5, call("sharedX"));
    } finally {
      fixed.setInt(null, saved);
    }
  }
}
