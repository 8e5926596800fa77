package org.ame4jtest.agenttest;

/** A base class whose subclass a test compiles to an old class file version (fallback). */
public class Shape {
  public static long calls;

  public long area() {
    calls++;
    return 1;
  }

  public static long areaOf(Shape s) {
    return s.area();
  }

  public static class Square extends Shape {
    @Override
    public long area() {
      calls += 10;
      return 4;
    }
  }

  public static Shape square() {
    return new Square();
  }
}
