package org.ame4j.collections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.ame4j.Ame;
import org.ame4j.TransactionQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** TSet: set semantics, adds from tasks, pairs kept together, snapshot iteration. */
class TSetTest {

  @Test
  void behavesLikeAHashSet() {
    TSet<Integer> s = new TSet<>();
    Set<Integer> model = new HashSet<>();
    SplittableRandom r = new SplittableRandom(3);
    for (int i = 0; i < 10_000; i++) {
      int e = r.nextInt(40);
      switch (r.nextInt(4)) {
        case 0:
          assertEquals(model.add(e), s.add(e));
          break;
        case 1:
          assertEquals(model.remove(e), s.remove(e));
          break;
        case 2:
          assertEquals(model.contains(e), s.contains(e));
          break;
        default:
          assertEquals(model.size(), s.size());
          break;
      }
    }
    assertEquals(model, new HashSet<>(s));
    s.clear();
    assertTrue(s.isEmpty());
    assertEquals(0, s.size());
  }

  /** Adders add i and a child task that removes i if i % 3 == 0: the child always runs after. */
  @ParameterizedTest(name = "{0} workers")
  @ValueSource(ints = {1, 2, 4, 8})
  void addsAndChildRemovals(int workers) {
    int n = 5_000;
    TSet<Integer> s = new TSet<>();
    TransactionQueue q = new TransactionQueue();
    for (int c = 0; c < n; c += 50) {
      int from = c;
      q.add(
          () -> {
            for (int i = from; i < from + 50; i++) {
              assertTrue(s.add(i));
              if (i % 3 == 0) {
                int k = i;
                Ame.add(() -> assertTrue(s.remove(k)));
              }
            }
          });
    }
    q.run(workers);
    Set<Integer> expected = new HashSet<>();
    for (int i = 0; i < n; i++) {
      if (i % 3 != 0) {
        expected.add(i);
      }
    }
    assertEquals(expected, new HashSet<>(s));
    assertEquals(expected.size(), s.size());
  }

  /**
   * Elements come in pairs (2k, 2k+1) that are always added and removed together; auditors
   * check membership of pairs and the parity of the size inside a transaction.
   */
  @ParameterizedTest(name = "{0} workers")
  @ValueSource(ints = {1, 2, 4, 8})
  void pairsStayTogether(int workers) {
    TSet<Integer> s = new TSet<>();
    AtomicInteger wrong = new AtomicInteger();
    AtomicInteger audits = new AtomicInteger();
    TransactionQueue q = new TransactionQueue();
    SplittableRandom r = new SplittableRandom(workers);
    int tasks = TestScale.tasks();
    for (int t = 0; t < tasks; t++) {
      int pair = r.nextInt(40);
      boolean audit = t % 8 == 0;
      q.add(
          () -> {
            if (audit) {
              int n = 0;
              for (int e : s) {
                n++;
                if (!s.contains(e ^ 1)) {
                  wrong.incrementAndGet();
                }
              }
              if (n % 2 != 0 || n != s.size()) {
                wrong.incrementAndGet();
              }
              Ame.afterCommit(audits::incrementAndGet);
            } else if (s.contains(2 * pair)) {
              s.remove(2 * pair);
              org.ame4j.TestHooks.spin(50);
              s.remove(2 * pair + 1);
            } else {
              s.add(2 * pair + 1);
              org.ame4j.TestHooks.spin(50);
              s.add(2 * pair);
            }
          });
    }
    q.run(workers);
    assertEquals(0, wrong.get(), "a transaction saw half a pair");
    assertEquals((tasks + 7) / 8, audits.get());
    for (int p = 0; p < 40; p++) {
      assertEquals(s.contains(2 * p), s.contains(2 * p + 1));
    }
    assertFalse(s.size() % 2 != 0);
  }
}
