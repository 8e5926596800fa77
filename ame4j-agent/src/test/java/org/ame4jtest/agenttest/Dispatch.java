package org.ame4jtest.agenttest;

import java.util.Comparator;
import java.util.List;
import java.util.function.IntUnaryOperator;

/** Calls through JDK interfaces, method references to JDK code, records, string concatenation. */
public class Dispatch {
  public static long total;

  public static final class Adder implements IntUnaryOperator {
    @Override
    public int applyAsInt(int x) {
      total += x;
      return x;
    }
  }

  public interface Sink {
    void put(Object o);
  }

  public record Point(int x, int y) {}

  public static final class Named {
    final String name;

    public Named(String name) {
      this.name = name;
    }

    @Override
    public String toString() {
      return "Named(" + name + ", " + total + ")";
    }
  }

  public static long viaJdkInterface(IntUnaryOperator op, int x) {
    return op.applyAsInt(x);
  }

  public static IntUnaryOperator adder() {
    return new Adder();
  }

  public static IntUnaryOperator lambda() {
    return x -> {
      total += 2L * x;
      return x;
    };
  }

  public static IntUnaryOperator jdkOperator() {
    return IntUnaryOperator.identity();
  }

  public static Sink listSink(List<Object> list) {
    return list::add;
  }

  public static void putVia(Sink s, Object o) {
    s.put(o);
    total++;
  }

  public static boolean recordMethods(int a) {
    Point p = new Point(a, a + 1);
    total++;
    return p.equals(new Point(a, a + 1)) && p.hashCode() == new Point(a, a + 1).hashCode()
        && p.toString().startsWith("Point[");
  }

  public static String concat(Object o) {
    total++;
    return "v=" + o;
  }

  public static int compare(Comparator<String> c, String a, String b) {
    total++;
    return c.compare(a, b);
  }

  public static long total() {
    return total;
  }

  public static void reset() {
    total = 0;
  }
}
