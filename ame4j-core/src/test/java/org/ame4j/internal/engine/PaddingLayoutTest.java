package org.ame4j.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.ClassLayout;
import org.openjdk.jol.info.FieldLayout;

/**
 * The padded per-thread objects keep 128 bytes (a pair of cache lines) between their own fields
 * and either neighbour, with the offsets the running JVM really uses (JOL asks the JVM): the
 * front by {@link LinePadding}'s fields, the end by the trailing reference fields each class
 * declares last (LinePadding's class comment). A field added after the trailing padding, or a
 * class that loses either end, fails here. See DESIGN-NOTES, "Two workers' objects apart".
 */
class PaddingLayoutTest {
  /** LinePadding's fields (p00..p16) and the trailing ones (t00..t31). */
  private static final Pattern PADDING = Pattern.compile("[pt]\\d\\d");
  private static final int PAIR = 128;

  @Test
  void descriptorAndLogsArePaddedAtBothEnds() {
    for (Class<?> c : List.of(Txn.class, ReadSet.class, LockSet.class, UndoLog.class, TxnStats.class)) {
      assertPaddedAround(c, true);
    }
  }

  @Test
  void workerThreadIsPaddedAtItsEnd() throws ClassNotFoundException {
    // The run makes Worker.Padded; Worker's own fields (its per-task ones among them) keep 128
    // bytes from its end. Its front is Thread's fields and header (read only).
    assertPaddedAround(Class.forName("org.ame4j.internal.queue.Worker$Padded"),
        Class.forName("org.ame4j.internal.queue.Worker"), false);
  }

  @Test
  void trailingPaddingIsTheDeclaredCount() {
    long trailing = ClassLayout.parseClass(Txn.class).fields().stream()
        .filter(f -> f.name().matches("t\\d\\d")).count();
    assertEquals(LinePadding.TRAILING_REFERENCES, trailing);
  }

  /** Every field {@code c} itself declares lies at least 128 bytes from either end. */
  static void assertPaddedAround(Class<?> c, boolean front) {
    assertPaddedAround(c, c, front);
  }

  /** Every field {@code c} declares lies at least 128 bytes from either end of an {@code instance}. */
  static void assertPaddedAround(Class<?> instance, Class<?> c, boolean front) {
    ClassLayout layout = ClassLayout.parseClass(instance);
    long size = layout.instanceSize();
    List<String> bad = new ArrayList<>();
    int own = 0;
    for (FieldLayout f : layout.fields()) {
      if (PADDING.matcher(f.name()).matches() || !f.hostClass().equals(c.getName())) {
        continue;
      }
      own++;
      if (front && f.offset() < PAIR) {
        bad.add(f.name() + " at " + f.offset() + " (front)");
      }
      if (f.offset() + f.size() + PAIR > size) {
        bad.add(f.name() + " at " + f.offset() + " of " + size + " (end)");
      }
    }
    assertTrue(own > 0, c + ": no own fields found");
    assertTrue(bad.isEmpty(), c.getSimpleName() + " fields within " + PAIR + " bytes of an end: "
        + bad + "\n" + layout.toPrintable());
  }
}
