package corpus;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Java 8 language features, compiled by ThirdPartyBytecodeTest with javax.tools at every release
 * from 8 to the running JDK's. At release 8: private members reached from nested classes go
 * through synthetic access$NNN methods, string concatenation is StringBuilder code, an enum switch
 * reads a synthetic $SwitchMap class. {@link #run()} is deterministic: the test compares its result
 * uninstrumented, instrumented outside a transaction and inside one.
 */
public class J8 {
  interface Shape {
    double area();

    String name();

    default String describe() {
      return name() + ":" + Math.round(area());
    }

    static Shape unit() {
      return new Square(1);
    }
  }

  static final class Square implements Shape {
    private final double side;

    Square(double side) {
      this.side = side;
    }

    @Override
    public double area() {
      return side * side;
    }

    @Override
    public String name() {
      return "square";
    }
  }

  enum Op {
    ADD { @Override int apply(int a, int b) { return a + b; } },
    MUL { @Override int apply(int a, int b) { return a * b; } };

    abstract int apply(int a, int b);
  }

  static final class Version implements Comparable<Version> { // bridge compareTo(Object)
    final int v;

    Version(int v) {
      this.v = v;
    }

    @Override
    public int compareTo(Version o) {
      return Integer.compare(v, o.v);
    }

    @Override
    public String toString() {
      return "v" + v;
    }
  }

  private int counter;
  private static long total;
  static boolean[] flags = new boolean[4];
  static byte[] bytes = {1, 2, 3};
  static char[] chars = {'a', 'b'};
  static short[] shorts = {1, 2};
  static float[] floats = {1.5f};
  static double[] doubles = {2.5};
  static long[] longs = {7L};
  static String[][] grid = new String[2][2];

  class Inner {
    int bump() {
      return ++counter; // private field of the outer class
    }
  }

  private static int secret(int x) {
    return x * 3;
  }

  static class Nested {
    int useSecret() {
      return secret(2); // private method of the outer class
    }
  }

  static <T extends Comparable<T>> T max(List<T> xs) {
    T best = null;
    for (T x : xs) {
      if (best == null || x.compareTo(best) > 0) {
        best = x;
      }
    }
    return best;
  }

  static int sum(int... xs) {
    int s = 0;
    for (int x : xs) {
      s += x;
    }
    return s;
  }

  static String stringSwitch(String s) {
    switch (s) {
      case "a": return "A";
      case "b": return "B";
      default: return "?";
    }
  }

  static int enumSwitch(Op op) {
    switch (op) {
      case ADD: return 1;
      case MUL: return 2;
      default: return 0;
    }
  }

  synchronized void sync() {
    counter += 10;
  }

  static String tryWithResources() {
    try (StringReader r = new StringReader("xy")) {
      return "" + (char) r.read();
    } catch (IOException e) {
      return "io";
    }
  }

  static int multiCatch(int i) {
    try {
      if (i == 0) {
        throw new IllegalStateException();
      }
      if (i == 1) {
        throw new UnsupportedOperationException();
      }
      return Integer.parseInt("1" + i);
    } catch (IllegalStateException | UnsupportedOperationException e) {
      return -1;
    } finally {
      total++;
    }
  }

  static Object merge(boolean b) {
    List<String> o = b ? new ArrayList<String>() : new LinkedList<String>(); // frame merge
    o.add("m");
    return o;
  }

  static long loops() {
    long acc = 0;
    outer:
    for (int i = 0; i < 10; i++) {
      for (int j = 0; j < 10; j++) {
        if (j > i) {
          continue outer;
        }
        if (i * j > 40) {
          break outer;
        }
        acc += (long) i * j;
      }
    }
    return acc;
  }

  static double mixed(int i, long l, float f, double d, char c, short s, byte b, boolean z) {
    double r = i + l + f + d + c + s + b;
    return z ? r : -r;
  }

  public static String run() {
    StringBuilder sb = new StringBuilder();
    J8 j = new J8();
    J8.Inner in = j.new Inner();
    in.bump();
    in.bump();
    j.sync();
    assert j.counter >= 0;
    sb.append(j.counter).append(',').append(new Nested().useSecret());
    sb.append(',').append(Shape.unit().describe()).append(',').append(new Square(3).describe());
    sb.append(',').append(Op.ADD.apply(2, 3)).append(Op.MUL.apply(2, 3)).append(enumSwitch(Op.MUL));
    sb.append(',').append(max(Arrays.asList(new Version(3), new Version(9), new Version(4))));
    sb.append(',').append(sum(1, 2, 3)).append(stringSwitch("b")).append(stringSwitch("z"));
    sb.append(',').append(tryWithResources()).append(multiCatch(0)).append(multiCatch(1)).append(multiCatch(2));
    sb.append(',').append(merge(true)).append(merge(false)).append(loops());
    sb.append(',').append(mixed(1, 2L, 3f, 4d, 'a', (short) 5, (byte) 6, false));
    Function<Integer, Integer> inc = x -> x + 1;
    Supplier<List<String>> fresh = ArrayList::new;
    BiFunction<Integer, Integer, Integer> add = Op.ADD::apply;
    Runnable bumpTotal = () -> total += 5;
    IntSupplier peek = () -> j.counter;
    List<String> l = fresh.get();
    l.add("q");
    bumpTotal.run();
    sb.append(',').append(inc.apply(41)).append(add.apply(4, 5)).append(l).append(peek.getAsInt());
    flags[1] = true;
    bytes[0] += 5;
    chars[1] = 'z';
    shorts[0] *= 3;
    floats[0] /= 2;
    doubles[0] -= 0.5;
    longs[0] <<= 2;
    grid[1][0] = "g";
    sb.append(',').append(Arrays.toString(flags)).append(Arrays.toString(bytes)).append(chars)
        .append(Arrays.toString(shorts)).append(floats[0]).append(doubles[0]).append(longs[0])
        .append(Arrays.deepToString(grid)).append(total);
    List<Integer> nums = new ArrayList<>(Arrays.asList(5, 3, 8, 1));
    Collections.sort(nums, (a, b) -> b - a);
    sb.append(',').append(nums);
    Object anon = new Object() {
      @Override
      public String toString() {
        return "anon" + secret(1);
      }
    };
    sb.append(',').append(anon);
    return sb.toString();
  }
}
