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
        assertFalse(fresh.contains(null), "null never matches an empty hit entry");
        fresh.clear();
        for (Object o : in) {
          assertFalse(fresh.contains(o), "after clear, " + n + " objects");
        }
      }
    }
  }

  /** The two hit entries in front: found objects stay found, misses stay misses, clear forgets. */
  @Test
  void repeatedQuestionsAnswerLikeTheSetItself() {
    FreshObjects fresh = new FreshObjects();
    List<Object> in = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      Object o = new int[1];
      in.add(o);
      fresh.add(o);
    }
    Object outside = new int[1];
    for (int round = 0; round < 4; round++) {
      for (int i = 0; i < in.size(); i++) {
        // a loop over two fresh objects and one shared one, as a copy loop asks
        assertTrue(fresh.contains(in.get(i)));
        assertTrue(fresh.contains(in.get((i * 7) % in.size())));
        assertFalse(fresh.contains(outside));
        assertTrue(fresh.contains(in.get(i)));
      }
    }
    Object late = new int[1];
    assertFalse(fresh.contains(late));
    fresh.add(late); // allocated after a miss was asked about it: a hit from now on
    assertTrue(fresh.contains(late));
    assertTrue(fresh.contains(late));
    fresh.clear();
    assertFalse(fresh.contains(late), "the hit entries are cleared with the set");
    assertFalse(fresh.contains(in.get(0)));
  }
}
