package org.ame4j.internal.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.junit.jupiter.api.Test;

/**
 * The undo log on its own: restores references and primitives of every kind of location, newest
 * entry first (so a location written twice ends with its value from before the first write), and
 * only back to a mark (a nested block's part), forgetting what it restored.
 */
class UndoLogTest {
  static final class Node {
    Object next;
    long count;
    static Object head;
  }

  static final VarHandle NEXT;
  static final VarHandle COUNT;
  static final VarHandle HEAD;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      NEXT = l.findVarHandle(Node.class, "next", Object.class);
      COUNT = l.findVarHandle(Node.class, "count", long.class);
      HEAD = l.findStaticVarHandle(Node.class, "head", Object.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Logs the old value and writes the new one, as a write barrier does. */
  static void writeNext(UndoLog log, Node n, Object value) {
    log.add(UndoLog.FIELD, n, NEXT, n.next, 0, -1);
    n.next = value;
  }

  @Test
  void referencesOfFieldsStaticsArraysAndCellsAreRestored() {
    UndoLog log = new UndoLog();
    Node n = new Node();
    Object before = "before";
    n.next = before;
    Node.head = before;
    Object[] slots = {before, before};
    ObjectCell cell = new ObjectCell(before);

    writeNext(log, n, "after");
    log.add(UndoLog.STATIC, Node.class, HEAD, Node.head, 0, -1);
    Node.head = "after";
    log.add(UndoLog.ARRAY, slots, null, slots[1], 0, 1);
    slots[1] = "after";
    log.add(UndoLog.CELL, cell, null, cell.value, 0, -1);
    cell.value = "after";

    log.rollbackTo(0);
    assertEquals(before, n.next, "field");
    assertEquals(before, Node.head, "static");
    assertArrayEquals(new Object[] {before, before}, slots, "array element");
    assertEquals(before, cell.value, "cell");
    assertEquals(0, log.size);
  }

  @Test
  void aLocationWrittenSeveralTimesGetsItsFirstOldValueBack() {
    UndoLog log = new UndoLog();
    Node n = new Node();
    n.next = "v0";
    n.count = 10;
    for (int i = 1; i <= 5; i++) {
      writeNext(log, n, "v" + i);
      log.add(UndoLog.FIELD, n, COUNT, null, n.count, -1);
      n.count += 10;
    }
    assertEquals("v5", n.next);
    log.rollbackTo(0);
    assertEquals("v0", n.next, "restored newest first, the oldest entry last");
    assertEquals(10, n.count);
  }

  @Test
  void rollingBackToAMarkKeepsWhatCameBeforeIt() {
    UndoLog log = new UndoLog();
    Node n = new Node();
    writeNext(log, n, "outer");
    int mark = log.size;
    writeNext(log, n, "inner");
    writeNext(log, n, null);
    log.rollbackTo(mark);
    assertEquals("outer", n.next, "the inner block's writes are undone, the outer one's stay");
    assertEquals(mark, log.size);
    log.rollbackTo(0);
    assertNull(n.next);
  }
}
