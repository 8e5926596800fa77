package org.ame4j.internal.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The capture set: its small linear part, the hash set behind it, duplicates, clearing. */
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
          fresh.add(o);
          fresh.add(o); // a constructor chain records its object once per level
          out.add(new Object());
        }
        for (Object o : in) {
          assertTrue(fresh.contains(o), n + " objects");
        }
        for (Object o : out) {
          assertFalse(fresh.contains(o), n + " objects");
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
