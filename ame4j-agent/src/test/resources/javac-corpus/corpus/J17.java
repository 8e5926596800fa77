package corpus;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Java 12-17: records (ObjectMethods bootstrap for equals/hashCode/toString, compact and
 * canonical constructors), sealed interfaces, switch expressions with yield, text blocks,
 * instanceof patterns, local records and enums.
 */
public class J17 {
  sealed interface Expr permits Num, Add, Neg {}

  record Num(int value) implements Expr {
    Num {
      if (value < 0) {
        throw new IllegalArgumentException("negative");
      }
    }
  }

  record Add(Expr left, Expr right) implements Expr {}

  record Neg(Expr inner) implements Expr {
    static Neg of(int v) {
      return new Neg(new Num(v));
    }
  }

  enum Color { RED, GREEN, BLUE }

  static int eval(Expr e) {
    if (e instanceof Num n) {
      return n.value();
    } else if (e instanceof Add a) {
      return eval(a.left()) + eval(a.right());
    } else if (e instanceof Neg neg && neg.inner() != null) {
      return -eval(neg.inner());
    }
    throw new IllegalStateException();
  }

  static String colorName(Color c) {
    return switch (c) {
      case RED -> "r";
      case GREEN -> {
        String g = "g";
        yield g + g;
      }
      case BLUE -> "b";
    };
  }

  static int days(String month) {
    return switch (month) {
      case "feb" -> 28;
      case "apr", "jun", "sep", "nov" -> 30;
      default -> {
        if (month.isEmpty()) {
          yield -1;
        }
        yield 31;
      }
    };
  }

  public static String run() {
    StringBuilder sb = new StringBuilder();
    Expr e = new Add(new Num(4), new Add(Neg.of(1), new Num(10)));
    sb.append(eval(e)).append(',').append(e).append(',').append(e.hashCode() == new Add(new Num(4),
        new Add(Neg.of(1), new Num(10))).hashCode()).append(',').append(e.equals(new Num(4)));
    sb.append(',').append(colorName(Color.GREEN)).append(days("apr")).append(days("feb")).append(days("x"));
    String block = """
        line one
          "quoted" two
        end""";
    sb.append(',').append(block.lines().count()).append(block.length());
    record Pair(String a, int b) {}
    enum Local { X, Y }
    List<Pair> pairs = List.of(new Pair("a", 1), new Pair("b", Local.Y.ordinal()));
    sb.append(',').append(pairs.stream().map(Pair::a).collect(Collectors.joining("+")));
    sb.append(',').append(pairs.get(1));
    try {
      new Num(-1);
    } catch (IllegalArgumentException ex) {
      sb.append(',').append(ex.getMessage());
    }
    return sb.toString();
  }
}
