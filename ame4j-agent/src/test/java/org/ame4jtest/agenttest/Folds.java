package org.ame4jtest.agenttest;

import java.util.function.BinaryOperator;

/**
 * Sums folded into shared cells by read-modify-writes through a function, as
 * {@code HashMap.merge} folds a value into a node: the cell's value is read, combined and stored
 * back ({@code ReadForWrite}'s shape), after a null check that reads it first.
 */
public class Folds {
  /** A shared cell. */
  public static final class Cell {
    Integer value = 0;
    String label = "";
  }

  static final Cell[] cells = {new Cell(), new Cell(), new Cell(), new Cell()};
  static final BinaryOperator<Integer> PLUS = Integer::sum;
  public static void reset() {
    for (Cell c : cells) {
      c.value = 0;
      c.label = "";
    }
  }

  /** {@code cells[k].value = PLUS(cells[k].value, d)} unless the value is null. */
  public static void merge(int k, int d) {
    Cell c = cells[k];
    Integer old = c.value;
    if (old != null) {
      c.value = PLUS.apply(c.value, d);
    }
  }

  /** Private work on objects born in the task (a parse), then a merge into every cell. */
  public static void task(int d, int work) {
    Cell[] scratch = new Cell[work];
    for (int i = 0; i < work; i++) {
      scratch[i] = new Cell();
      scratch[i].value = i;
    }
    for (int k = 0; k < cells.length; k++) {
      merge(k, d);
    }
  }

  /** Sets a cell's label if it has none: a write not computed from the read (an ordinary read). */
  public static boolean labelOnce(int k, String s) {
    Cell c = cells[k];
    if (c.label.isEmpty()) {
      c.label = s;
      return true;
    }
    return false;
  }

  public static void setValue(int k, Integer v) {
    cells[k].value = v;
  }

  public static Integer value(int k) {
    return cells[k].value;
  }
}
