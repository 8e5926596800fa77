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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An exception escaping a nested block undoes that block's writes, also those to what the
 * enclosing attempt allocated before the block began (born-owned objects, fresh arrays, objects
 * of the capture set), which take no lock; what the failing block allocated itself keeps its
 * values. Likewise a failing task of a batch, after an earlier task of it allocated.
 */
@Timeout(120)
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

  @ParameterizedTest
  @ValueSource(strings = {"bornField", "bornFieldAdd", "freshElement", "freshElementAdd",
      "capturedField", "atomicMethod"})
  void aFailingInnerBlockUndoesItsWriteToWhatTheOuterAllocated(String method) {
    assertEquals(5, call(method));
  }

  @Test
  void arraycopyIntoAFreshArrayIsUndone() {
    assertEquals(56, call("freshArraycopy"));
  }

  @Test
  void whatAnEarlierInnerBlockAllocatedIsTheOutersToo() {
    assertEquals(55, call("bornInAnEarlierInnerBlock"));
  }

  @Test
  void threeLevels() {
    assertEquals(55, call("threeLevels"));
  }

  @Test
  void whatTheFailingBlockAllocatedKeepsItsValues() {
    assertEquals(7, call("bornInTheFailingBlock"));
  }

  @Test
  void theOutersOwnWritesAfterwardsStay() {
    assertEquals(77, call("writesAfterTheInnerBlock"));
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
