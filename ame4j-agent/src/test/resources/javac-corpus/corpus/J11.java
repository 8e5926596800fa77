package corpus;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Java 9-11: nestmates (from release 11 private members are reached directly, invokevirtual on a
 * nestmate's private method, no access$ methods), invokedynamic string concatenation, private
 * interface methods, {@code var} (also in lambda parameters).
 */
public class J11 {
  interface Greeter {
    private String prefix() {
      return "hello ";
    }

    default String greet(String who) {
      return prefix() + who;
    }
  }

  private int hidden = 1;
  private static String shared = "s";

  private int twice() {
    return hidden * 2;
  }

  class Peer {
    private int own = 7;

    int peek(J11 outer) {
      outer.hidden += own; // nestmate private field
      return outer.twice(); // nestmate private method
    }
  }

  static class Other {
    static String touch(J11 j) {
      shared = shared + j.hidden; // private static of the nest host
      return shared;
    }
  }

  public static String run() {
    var j = new J11();
    var p = j.new Peer();
    var sb = new StringBuilder();
    sb.append(p.peek(j)).append(',').append(p.own).append(',').append(Other.touch(j));
    BiFunction<Integer, Integer, Integer> f = (var a, var b) -> a * b + j.hidden;
    int x = 6;
    long y = 7L;
    char c = 'c';
    String s = "x=" + x + " y=" + y + " c=" + c + " f=" + f.apply(2, 3) + " " + null;
    sb.append(',').append(s);
    Greeter g = new Greeter() {};
    sb.append(',').append(g.greet("nest"));
    var list = new ArrayList<String>(List.of("b", "a"));
    list.sort(null);
    sb.append(',').append(list);
    return sb.toString();
  }
}
