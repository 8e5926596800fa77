package org.ame4jtest.agenttest;

/**
 * {@code clone()} through {@code super.clone()} (which resolves to {@code Object.clone}, a
 * native): fields of the class and of its superclass, a final field, an array reference.
 */
public class Cloning extends CloningBase implements Cloneable {
  /** Not Cloneable: its clone() must throw, as Object.clone does. */
  public static class Sealed {
    public Object copy() throws CloneNotSupportedException {
      return super.clone();
    }
  }

  public static Cloning shared = new Cloning(1);

  private int count;
  private final int id;
  int[] data = {1, 2, 3};

  public Cloning(int id) {
    this.id = id;
  }

  public Cloning copy() {
    try {
      return (Cloning) super.clone();
    } catch (CloneNotSupportedException e) {
      throw new AssertionError(e);
    }
  }

  public static void reset(int count, long total) {
    shared = new Cloning(1);
    shared.count = count;
    shared.total = total;
  }

  public static void setCount(int count) {
    shared.count = count;
  }

  /** Copies the shared object and returns "count total label id sameData". */
  public static String copyShared() {
    Cloning c = shared.copy();
    return c.count + " " + c.total + " " + c.label() + " " + c.id + " " + (c.data == shared.data) + " " + (c != shared);
  }

  /** Copies, then changes the copy: the change must not reach the shared object. */
  public static int copyAndChange() {
    Cloning c = shared.copy();
    c.count += 100;
    c.total = -1;
    return shared.count;
  }

  public static Object cloneSealed() throws CloneNotSupportedException {
    return new Sealed().copy();
  }
}
