package corpus;

import module java.base;

/**
 * Java 22-25: module import declarations, unnamed variables and patterns, flexible constructor
 * bodies (statements and field assignments before {@code super(...)}), stream gatherers.
 */
public class J25 {
  static class Base {
    final String tag;

    Base(String tag) {
      this.tag = tag;
    }
  }

  static class Checked extends Base {
    private final int size;

    Checked(List<String> items) {
      if (items.isEmpty()) { // before super(): JEP 513
        throw new IllegalArgumentException("empty");
      }
      int n = items.size();
      size = n; // early field assignment
      super(items.getFirst() + "/" + n);
    }
  }

  record Point(int x, int y) {}

  static int xs(List<Object> objects) {
    int total = 0;
    for (Object o : objects) {
      if (o instanceof Point(int x, _)) {
        total += x;
      }
    }
    return total;
  }

  public static String run() {
    StringBuilder sb = new StringBuilder();
    Checked c = new Checked(List.of("a", "b"));
    sb.append(c.tag).append(c.size);
    try {
      new Checked(List.of());
    } catch (IllegalArgumentException _) {
      sb.append(",empty");
    }
    sb.append(',').append(xs(List.of(new Point(1, 2), "p", new Point(3, 4))));
    int count = 0;
    for (var _ : List.of(1, 2, 3)) {
      count++;
    }
    sb.append(',').append(count);
    sb.append(',').append(Stream.of(1, 2, 3, 4, 5).gather(Gatherers.windowFixed(2)).toList());
    return sb.toString();
  }
}
