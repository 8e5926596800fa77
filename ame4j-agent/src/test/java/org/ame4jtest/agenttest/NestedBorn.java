package org.ame4jtest.agenttest;

import org.ame4j.Ame;
import org.ame4j.Atomic;

/**
 * Nested blocks that fail after writing to something the enclosing attempt allocated: a field
 * of an object with its own word (born owned), an element of a fresh array, a field of an object
 * in the capture set (its class extends a JDK class), through a site, {@code System.arraycopy}
 * or an {@code @Atomic} method. Each method returns what the enclosing block sees after catching
 * the inner block's exception: the value from before the inner block.
 */
public class NestedBorn {
  public static class Box {
    public int x;

    public Box(int x) {
      this.x = x;
    }
  }

  /** Its superclass is a JDK class the agent does not rewrite: a fresh object of the capture set. */
  public static class Plain extends Number {
    public int x;

    @Override
    public int intValue() {
      return x;
    }

    @Override
    public long longValue() {
      return x;
    }

    @Override
    public float floatValue() {
      return x;
    }

    @Override
    public double doubleValue() {
      return x;
    }
  }

  /** Carries an object born inside a failing block out of it. */
  public static class Carrier extends RuntimeException {
    private static final long serialVersionUID = 1L;
    public final transient Box box;

    public Carrier(Box box) {
      super("carrier", null, false, false);
      this.box = box;
    }
  }

  public static Box shared;

  private static void failing(Runnable inner) {
    try {
      Ame.atomic(
          () -> {
            inner.run();
            throw new IllegalStateException("inner");
          });
    } catch (IllegalStateException expected) {
      // the inner block is undone; the outer goes on
    }
  }

  /** A failing inner block that writes {@code b} and {@code a}. */
  private static void failingWrites(Box b, int[] a) {
    failing(
        () -> {
          b.x = 1;
          a[0] = 1;
        });
  }

  public static int bornField() {
    return Ame.atomic(
        () -> {
          Box b = new Box(5);
          failing(() -> b.x = 1);
          return b.x;
        });
  }

  public static int bornFieldAdd() {
    return Ame.atomic(
        () -> {
          Box b = new Box(5);
          failing(() -> b.x += 3);
          return b.x;
        });
  }

  public static int freshElement() {
    return Ame.atomic(
        () -> {
          int[] a = {5};
          failing(() -> a[0] = 1);
          return a[0];
        });
  }

  public static int freshElementAdd() {
    return Ame.atomic(
        () -> {
          long[] a = {5};
          failing(() -> a[0] += 3);
          return (int) a[0];
        });
  }

  public static int freshArraycopy() {
    return Ame.atomic(
        () -> {
          int[] a = {5, 6};
          int[] src = {1, 2};
          failing(() -> System.arraycopy(src, 0, a, 0, 2));
          return a[0] * 10 + a[1];
        });
  }

  public static int capturedField() {
    return Ame.atomic(
        () -> {
          Plain p = new Plain();
          p.x = 5;
          failing(() -> p.x = 1);
          return p.x;
        });
  }

  /** Born in one inner block that returned, written by a later one that fails: undone too. */
  public static int bornInAnEarlierInnerBlock() {
    return Ame.atomic(
        () -> {
          Box[] b = new Box[1];
          int[][] a = new int[1][];
          Ame.atomic(
              () -> {
                b[0] = new Box(5);
                a[0] = new int[] {5};
              });
          failingWrites(b[0], a[0]);
          return b[0].x * 10 + a[0][0];
        });
  }

  /** Born at depth 2, written at depth 3 that fails, read at depth 2 then 1. */
  public static int threeLevels() {
    return Ame.atomic(
        () ->
            Ame.atomic(
                () -> {
                  Box b = new Box(5);
                  int[] a = {5};
                  failingWrites(b, a);
                  return b.x * 10 + a[0];
                }));
  }

  /**
   * Written by the block it was born in, which then fails and carries it out: it keeps what
   * that block wrote (it was nobody's before), as an object carried out of a failed transaction.
   */
  public static int bornInTheFailingBlock() {
    return Ame.atomic(
        () -> {
          try {
            Ame.atomic(
                () -> {
                  Box b = new Box(5);
                  b.x = 7;
                  throw new Carrier(b);
                });
          } catch (Carrier c) {
            return c.box.x;
          }
          return -1;
        });
  }

  /** The outer block's own writes after the inner one failed: kept. */
  public static int writesAfterTheInnerBlock() {
    return Ame.atomic(
        () -> {
          Box b = new Box(5);
          int[] a = {5};
          failingWrites(b, a);
          b.x += 2;
          a[0] += 2;
          return b.x * 10 + a[0];
        });
  }

  @Atomic
  public static void setThenFail(Box b, int v) {
    b.x = v;
    throw new IllegalArgumentException("refused " + v);
  }

  public static int atomicMethod() {
    return Ame.atomic(
        () -> {
          Box b = new Box(5);
          try {
            setThenFail(b, 1);
          } catch (IllegalArgumentException expected) {
            // undone
          }
          return b.x;
        });
  }

  /** A task of a batch: publishes a new box. */
  public static void publish() {
    shared = new Box(5);
  }

  /** A later task of the same batch: writes the box, then fails. */
  public static void writeSharedThenFail() {
    shared.x = 1;
    throw new IllegalStateException("task fails");
  }

  public static int sharedX() {
    return shared.x;
  }
}
