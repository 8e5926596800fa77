package org.ame4j.collections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.ame4j.Ame;
import org.ame4j.Stats;
import org.ame4j.TransactionQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** TMap: map semantics, word count under concurrency, consistent iteration, no false conflicts. */
class TMapTest {

  /** Random operations, sequentially, against a HashMap model; half of them inside transactions. */
  @Test
  void behavesLikeAHashMap() {
    TMap<Integer, Integer> m = new TMap<>();
    Map<Integer, Integer> model = new HashMap<>();
    SplittableRandom r = new SplittableRandom(1);
    for (int i = 0; i < 20_000; i++) {
      int k = r.nextInt(50);
      int v = r.nextInt(1000);
      int op = r.nextInt(7);
      Object expected;
      Object actual;
      switch (op) {
        case 0:
          expected = model.put(k, v);
          actual = r.nextBoolean() ? m.put(k, v) : Ame.atomic(() -> m.put(k, v));
          break;
        case 1:
          expected = model.remove(k);
          actual = r.nextBoolean() ? m.remove(k) : Ame.atomic(() -> m.remove(k));
          break;
        case 2:
          expected = model.get(k);
          actual = m.get(k);
          break;
        case 3:
          expected = model.containsKey(k);
          actual = m.containsKey(k);
          break;
        case 4:
          expected = model.putIfAbsent(k, v);
          actual = m.putIfAbsent(k, v);
          break;
        case 5:
          expected = model.merge(k, v, Integer::sum);
          actual = Ame.atomic(() -> m.merge(k, v, Integer::sum));
          break;
        default:
          expected = model.size();
          actual = m.size();
          break;
      }
      assertEquals(expected, actual, "op " + op + " at step " + i);
    }
    assertEquals(model, new HashMap<>(m));
    assertEquals(model.size(), m.size());
    assertEquals(model.isEmpty(), m.isEmpty());
    int n = 0;
    for (Map.Entry<Integer, Integer> e : m.entrySet()) {
      assertEquals(model.get(e.getKey()), e.getValue());
      n++;
    }
    assertEquals(model.size(), n);
  }

  @Test
  void failedTransactionLeavesTheMapUnchanged() {
    TMap<String, Integer> m = new TMap<>();
    m.put("a", 1);
    m.put("b", 2);
    assertThrows(
        IllegalStateException.class,
        () ->
            Ame.atomic(
                () -> {
                  m.put("a", 10);
                  m.remove("b");
                  m.put("c", 3);
                  assertEquals(2, m.size());
                  throw new IllegalStateException();
                }));
    assertEquals(Map.of("a", 1, "b", 2), new HashMap<>(m));
    assertEquals(2, m.size());
    assertNull(m.get("c"));
    assertFalse(m.containsKey("c"));
  }

  @Test
  void iteratorRemove() {
    TMap<Integer, Integer> m = new TMap<>();
    for (int i = 0; i < 10; i++) {
      m.put(i, i);
    }
    Iterator<Map.Entry<Integer, Integer>> it = m.entrySet().iterator();
    while (it.hasNext()) {
      if (it.next().getKey() % 2 == 0) {
        it.remove();
      }
    }
    assertEquals(5, m.size());
    for (int i = 0; i < 10; i++) {
      assertEquals(i % 2 != 0, m.containsKey(i));
    }
  }

  static List<String> text(int words, long seed) {
    String[] vocabulary = new String[300];
    for (int i = 0; i < vocabulary.length; i++) {
      vocabulary[i] = "w" + i;
    }
    SplittableRandom r = new SplittableRandom(seed);
    List<String> t = new ArrayList<>(words);
    for (int i = 0; i < words; i++) {
      // Skewed: a few words are very frequent (contention), most are rare.
      int k = (int) (vocabulary.length * Math.pow(r.nextDouble(), 3));
      t.add(vocabulary[k]);
    }
    return t;
  }

  @ParameterizedTest(name = "{0} workers")
  @ValueSource(ints = {1, 2, 4, 8})
  void wordCountEqualsTheSequentialCount(int workers) {
    List<String> words = text(TestScale.words(), workers);
    Map<String, Long> expected = new HashMap<>();
    for (String w : words) {
      expected.merge(w, 1L, Long::sum);
    }
    TMap<String, Long> counts = new TMap<>();
    TCounter total = new TCounter();
    TransactionQueue q = new TransactionQueue();
    int chunk = 20;
    for (int from = 0; from < words.size(); from += chunk) {
      List<String> part = words.subList(from, Math.min(words.size(), from + chunk));
      q.add(
          () -> {
            for (String w : part) {
              counts.merge(w, 1L, Long::sum);
              total.increment();
            }
          });
    }
    q.run(workers);
    assertEquals(expected, new HashMap<>(counts));
    assertEquals(expected.size(), counts.size());
    assertEquals(words.size(), total.get());
  }

  /**
   * Movers shift value between keys and move whole entries to other keys (remove + put), so
   * the sum of values and the number of entries never change; auditors iterate the map inside
   * a transaction and must always see the invariant.
   */
  @ParameterizedTest(name = "{0} workers")
  @ValueSource(ints = {1, 2, 4, 8})
  void iterationInsideATransactionIsASnapshot(int workers) {
    int keys = 30;
    long perKey = 100;
    TMap<Integer, Long> m = new TMap<>();
    for (int i = 0; i < keys; i++) {
      m.put(i, perKey);
    }
    AtomicInteger wrong = new AtomicInteger();
    AtomicInteger audits = new AtomicInteger();
    TransactionQueue q = new TransactionQueue();
    SplittableRandom r = new SplittableRandom(workers);
    int tasks = TestScale.tasks();
    for (int t = 0; t < tasks; t++) {
      long seed = r.nextLong();
      if (t % 10 == 0) {
        q.add(
            () -> {
              long sum = 0;
              int n = 0;
              for (Map.Entry<Integer, Long> e : m.entrySet()) {
                sum += e.getValue();
                n++;
              }
              if (sum != keys * perKey || n != keys || m.size() != keys) {
                wrong.incrementAndGet(); // counted even in an attempt that later aborts
              }
              Ame.afterCommit(audits::incrementAndGet);
            });
      } else {
        q.add(
            () -> {
              SplittableRandom rr = new SplittableRandom(seed);
              List<Integer> present = new ArrayList<>(m.keySet());
              int a = present.get(rr.nextInt(present.size()));
              int b = present.get(rr.nextInt(present.size()));
              if (rr.nextBoolean()) {
                long amount = rr.nextInt(10);
                long va = m.get(a);
                if (a != b && va >= amount) {
                  m.put(a, va - amount);
                  m.put(b, m.get(b) + amount);
                }
              } else {
                // Move entry a to a fresh key (keys drift over a larger range).
                int fresh = 1000 + rr.nextInt(200);
                if (!m.containsKey(fresh)) {
                  Long v = m.remove(a);
                  m.put(fresh, v);
                }
              }
            });
      }
    }
    q.run(workers);
    assertEquals(0, wrong.get(), "an auditor saw an inconsistent map");
    assertEquals(tasks / 10, audits.get());
    long sum = 0;
    for (long v : m.values()) {
      sum += v;
    }
    assertEquals(keys * perKey, sum);
    assertEquals(keys, m.size());
  }

  /** Updates of different existing keys from different tasks do not conflict: zero aborts. */
  @ParameterizedTest(name = "{0} workers")
  @ValueSource(ints = {2, 4})
  void differentKeysDoNotConflict(int workers) {
    int keys = 64;
    TMap<Integer, Integer> m = new TMap<>();
    for (int i = 0; i < keys; i++) {
      m.put(i, 0);
    }
    TransactionQueue q = new TransactionQueue();
    for (int i = 0; i < keys; i++) {
      int k = i;
      q.add(
          () -> {
            for (int j = 0; j < 200; j++) {
              m.put(k, m.get(k) + 1);
              org.ame4j.TestHooks.spin(50);
            }
          });
    }
    Stats before = Ame.stats();
    q.run(workers);
    Stats d = Ame.stats().minus(before);
    for (int i = 0; i < keys; i++) {
      assertEquals(200, m.get(i));
    }
    assertEquals(0, d.aborts(), "tasks on different keys conflicted: " + d);
  }

  @Test
  void nullsAreRejected() {
    TMap<String, String> m = new TMap<>();
    assertThrows(NullPointerException.class, () -> m.put(null, "x"));
    assertThrows(NullPointerException.class, () -> m.put("x", null));
    assertTrue(m.isEmpty());
  }
}
