package corpus;

import java.util.ArrayList;
import java.util.List;

/**
 * Java 18-21: pattern matching for switch (SwitchBootstraps.typeSwitch / enumSwitch), record
 * patterns (nested, generic), guards, case null, sequenced collections.
 */
public class J21 {
  sealed interface Shape permits Circle, Rect, Group {}

  record Circle(double r) implements Shape {}

  record Rect(double w, double h) implements Shape {}

  record Group(List<Shape> members) implements Shape {}

  record Box<T>(T content) {}

  enum Suit { HEARTS, SPADES }

  static double area(Shape s) {
    return switch (s) {
      case Circle c when c.r() == 0 -> 0;
      case Circle(double r) -> Math.PI * r * r;
      case Rect(double w, double h) when w == h -> w * w;
      case Rect(var w, var h) -> w * h;
      case Group(List<Shape> ms) -> {
        double sum = 0;
        for (Shape m : ms) {
          sum += area(m);
        }
        yield sum;
      }
    };
  }

  static String describe(Object o) {
    return switch (o) {
      case null -> "null";
      case Integer i when i > 10 -> "big " + i;
      case Integer i -> "int " + i;
      case String str -> "str " + str.length();
      case Box(String str) -> "box of str " + str;
      case Box(Box(var inner)) -> "box of box " + inner;
      case Box<?> b -> "box " + b.content();
      case Suit suit -> "suit " + suit.ordinal();
      case int[] arr -> "ints " + arr.length;
      default -> "other";
    };
  }

  static String suit(Suit s) {
    return switch (s) {
      case HEARTS -> "h";
      case SPADES -> "s";
    };
  }

  public static String run() {
    StringBuilder sb = new StringBuilder();
    Shape g = new Group(List.of(new Circle(0), new Rect(2, 2), new Rect(2, 3)));
    sb.append(area(g)).append(',').append(Math.round(area(new Circle(1)) * 1000));
    for (Object o : new Object[] {null, 3, 30, "four", new Box<>("x"), new Box<>(new Box<>(7)),
        new Box<>(1.5), Suit.SPADES, new int[2], 'c'}) {
      sb.append(',').append(describe(o));
    }
    sb.append(',').append(suit(Suit.HEARTS));
    List<Integer> seq = new ArrayList<>(List.of(1, 2, 3));
    seq.addFirst(0);
    sb.append(',').append(seq.reversed()).append(seq.getLast());
    sb.append(',').append(Math.clamp(15L, 0, 10));
    return sb.toString();
  }
}
