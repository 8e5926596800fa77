package org.ame4j.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The capture set: its small linear part, the hash set behind it (grown several times), duplicates,
 * clearing, and the nesting level each object was recorded at.
 */
class FreshObjectsTest {
  @Test
  void answersForFewAndManyObjectsAndForgetsThemOnClear() {
    FreshObjects fresh = new FreshObjects();
    for (int round = 0; round < 3; round++) {
      for (int n : new int[] {0, 1, 7, 8, 9, 300, 5_000}) {
        List<Object> in = new ArrayList<>();
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          Object o = i % 2 == 0 ? new Object() : new int[i % 5];
          in.add(o);
          fresh.add(o, i % 3);
          fresh.add(o, 7); // a constructor chain records its object once per constructor: the first stays
          out.add(new Object());
        }
        for (int i = 0; i < n; i++) {
          assertTrue(fresh.contains(in.get(i)), n + " objects");
          assertEquals(i % 3, fresh.levelOf(in.get(i)), n + " objects");
        }
        for (Object o : out) {
          assertFalse(fresh.contains(o), n + " objects");
          assertEquals(-1, fresh.levelOf(o), n + " objects");
        }
        assertFalse(fresh.contains(new Object()));
        assertFalse(fresh.contains(null), "null is never found in an empty slot");
        fresh.clear();
        for (Object o : in) {
          assertFalse(fresh.contains(o), "after clear, " + n + " objects");
        }
      }
    }
  }
}
