package org.ame4j.internal.agent.instr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.ame4j.Ame;
import org.ame4j.Stats;
import org.ame4j.TransactionQueue;
import org.ame4j.internal.agent.rt.JdkIntrinsics;
import org.ame4j.internal.engine.FieldBarriers;
import org.ame4j.internal.engine.FieldWrites;
import org.ame4j.internal.engine.JdkBarriers;
import org.ame4j.internal.engine.Txn;
import org.ame4j.testkit.HangGuard;
import org.junit.jupiter.api.Test;

/**
 * {@code JdkIntrinsics.arraycopy} and {@code cloneArray}: every exception case and every copy
 * compared with the real {@code System.arraycopy} on the same inputs (exception class, message,
 * and the arrays afterwards, including the elements an element-type failure leaves copied),
 * the allocated-array fast paths, rollback, ordered runs equal to the sequential run and an
 * opacity probe over concurrent copies.
 */
@HangGuard(seconds = 300)
class ArrayIntrinsicsTest {
  static final Class<?>[] TYPES = {
    int.class, long.class, short.class, byte.class, char.class, float.class, double.class, boolean.class,
    Object.class, String.class, Integer.class, Number.class,
  };

  static Object element(Class<?> c, SplittableRandom r) {
    int k = r.nextInt(1000);
    if (c == int.class) return r.nextInt();
    if (c == long.class) return r.nextLong();
    if (c == short.class) return (short) k;
    if (c == byte.class) return (byte) k;
    if (c == char.class) return (char) k;
    if (c == float.class) return k % 17 == 0 ? Float.NaN : k / 4f;
    if (c == double.class) return k % 17 == 0 ? -0.0 : k / 8.0;
    if (c == boolean.class) return r.nextBoolean();
    if (k % 7 == 0) return null;
    if (c == String.class) return "s" + k;
    if (c == Integer.class) return k;
    if (c == Number.class) return k % 2 == 0 ? (Number) k : (Number) (long) k;
    return switch (k % 3) {
      case 0 -> k;
      case 1 -> "s" + k;
      default -> (long) k;
    };
  }

  static Object array(Class<?> c, int n, SplittableRandom r) {
    Object a = Array.newInstance(c, n);
    for (int i = 0; i < n; i++) {
      Array.set(a, i, element(c, r));
    }
    return a;
  }

  static String show(Object o) {
    return o == null ? "null" : o.getClass().isArray() ? Arrays.deepToString(new Object[] {o}) : o.toString();
  }

  record Outcome(String exception, String src, String dest) {}

  static String describe(RuntimeException e) {
    return e == null ? "none" : e.getClass().getName() + ": " + e.getMessage();
  }

  static Outcome real(Object s, int sp, Object d, int dp, int n) {
    RuntimeException thrown = null;
    try {
      System.arraycopy(s, sp, d, dp, n);
    } catch (RuntimeException e) {
      thrown = e;
    }
    return new Outcome(describe(thrown), show(s), show(d));
  }

  /** The intrinsic in a transaction; the outcome is taken inside it, where the exception is caught. */
  static Outcome intrinsic(Object s, int sp, Object d, int dp, int n) {
    Outcome[] out = new Outcome[1];
    Ame.atomic(() -> {
      RuntimeException thrown = null;
      try {
        JdkIntrinsics.arraycopy(s, sp, d, dp, n, Txn.active());
      } catch (RuntimeException e) { // the engine's signals are Errors: they pass
        thrown = e;
      }
      out[0] = new Outcome(describe(thrown), show(s), show(d));
    });
    assertEquals(out[0].src + out[0].dest, show(s) + show(d), "committed as seen inside");
    return out[0];
  }

  /** A case: builds fresh (src, srcPos, dest, destPos, length) each time, src == dest where meant. */
  static void compare(String name, Supplier<Object[]> make) {
    Object[] a = make.get();
    Object[] b = make.get();
    assertEquals(real(a[0], (int) a[1], a[2], (int) a[3], (int) a[4]),
        intrinsic(b[0], (int) b[1], b[2], (int) b[3], (int) b[4]), name);
  }

  static Object[] c(Object s, int sp, Object d, int dp, int n) {
    return new Object[] {s, sp, d, dp, n};
  }

  static Object[] self(Object a, int sp, int dp, int n) {
    return new Object[] {a, sp, a, dp, n};
  }

  @Test
  void everyExceptionCaseOfTheJavadocMatchesSystemArraycopy() {
    compare("src null", () -> c(null, 0, new int[1], 0, 1));
    compare("dest null", () -> c(new int[1], 0, null, 0, 1));
    compare("both null, negative length", () -> c(null, 0, null, 0, -1));
    compare("src not an array", () -> c("x", 0, new int[1], 0, 1));
    compare("dest not an array", () -> c(new int[] {1}, 0, "x", 0, 1));
    compare("src not an array, dest null", () -> c("x", 0, null, 0, 1));
    compare("int into long", () -> c(new int[] {1}, 0, new long[1], 0, 1));
    compare("Object[] into int[]", () -> c(new Object[] {1}, 0, new int[1], 0, 1));
    compare("int[] into Object[]", () -> c(new int[] {1}, 0, new Object[1], 0, 1));
    compare("int[] into Object[], length 0", () -> c(new int[0], 0, new Object[0], 0, 0));
    compare("srcPos < 0", () -> c(new int[] {1, 2, 3}, -1, new int[3], 0, 1));
    compare("destPos < 0", () -> c(new int[] {1, 2, 3}, 0, new int[3], -1, 1));
    compare("length < 0", () -> c(new int[] {1, 2, 3}, 0, new int[3], 0, -1));
    compare("past src end", () -> c(new int[] {1, 2, 3}, 2, new int[3], 0, 2));
    compare("past dest end", () -> c(new int[] {1, 2, 3}, 0, new int[3], 2, 2));
    compare("srcPos past end, length 0", () -> c(new int[3], 4, new int[3], 0, 0));
    compare("srcPos at end, length 0", () -> c(new int[] {1, 2, 3}, 3, new int[3], 0, 0));
    compare("overflowing destPos + length", () -> c(new int[] {1, 2, 3}, 0, new int[3], Integer.MAX_VALUE, 2));
    compare("overflowing srcPos + length", () -> c(new long[] {1, 2, 3}, Integer.MAX_VALUE, new long[3], 0, 1));
    compare("element type mismatch at 2: two copied", () -> c(new Object[] {1, 2, "s", 4}, 0, new Integer[4], 0, 4));
    compare("element type mismatch at 0", () -> c(new Object[] {"s", 2}, 0, new Integer[] {7, 8}, 0, 2));
    compare("element mismatch outside the range", () -> c(new Object[] {"s", 2, 3}, 1, new Integer[3], 0, 2));
    compare("element mismatch, length 0", () -> c(new Object[] {1, "s"}, 0, new Integer[2], 0, 0));
    compare("nulls fit anywhere", () -> c(new Object[] {null, null}, 0, new String[][] {{"a"}, {"b"}}, 0, 2));
    compare("int[] element into String[][]", () -> c(new Object[] {new int[0]}, 0, new String[1][], 0, 1));
    compare("Object[][] into int[][]: nulls", () -> c(new Object[1][], 0, new int[1][], 0, 1));
    compare("Object[][] into int[][]: a String[]", () -> c(new Object[][] {new String[0]}, 0, new int[1][], 0, 1));
    compare("String[] into Object[]", () -> c(new String[] {"a", "b"}, 0, new Object[] {1, 2, 3}, 1, 2));
    compare("Number[] with a Long into Integer[]", () -> c(new Number[] {1, 2L}, 0, new Integer[2], 0, 2));
    compare("self, forward overlap", () -> self(new int[] {1, 2, 3, 4, 5}, 1, 0, 4));
    compare("self, backward overlap", () -> self(new int[] {1, 2, 3, 4, 5}, 0, 1, 4));
    compare("self, same position", () -> self(new Object[] {"a", "b"}, 0, 0, 2));
    compare("self, out of bounds", () -> self(new int[] {1, 2, 3}, 0, 2, 2));
    compare("boolean[]", () -> c(new boolean[] {true, false, true}, 1, new boolean[3], 0, 2));
  }

  /** Random copies within and between all array kinds, mismatched kinds and bad bounds included. */
  @Test
  void randomCopiesMatchSystemArraycopy() {
    SplittableRandom r = new SplittableRandom(42);
    for (int round = 0; round < 3000; round++) {
      Class<?> sc = TYPES[r.nextInt(TYPES.length)];
      Class<?> dc = r.nextInt(10) < 7 ? sc : TYPES[r.nextInt(TYPES.length)];
      boolean same = sc == dc && r.nextInt(3) == 0;
      int sn = r.nextInt(13);
      int dn = same ? sn : r.nextInt(13);
      int sp = r.nextInt(-1, 14);
      int dp = r.nextInt(-1, 14);
      int n = r.nextInt(10) == 0 ? r.nextInt(-2, 0) : r.nextInt(0, 14);
      long seed = r.nextLong();
      Supplier<Object[]> make = () -> {
        SplittableRandom e = new SplittableRandom(seed);
        Object s = array(sc, sn, e);
        Object d = same ? s : array(dc, dn, e);
        return c(s, sp, d, dp, n);
      };
      compare(round + ": " + sc.getSimpleName() + "[" + sn + "]@" + sp + " -> "
          + dc.getSimpleName() + "[" + dn + "]@" + dp + " x" + n + (same ? " (self)" : ""), make);
    }
  }

  // ---- fast paths -------------------------------------------------------------------------

  @Test
  void arraysAllocatedByTheTransactionAreCopiedPlainlyAndCorrectly() {
    int[] shared = {1, 2, 3, 4, 5, 6, 7, 8};
    int[] target = new int[8];
    Stats before = Ame.stats();
    int[][] kept = new int[1][];
    Ame.atomic(() -> {
      Txn tx = Txn.active();
      int[] fresh = new int[8];
      FieldBarriers.allocated(fresh, tx);
      JdkIntrinsics.arraycopy(shared, 0, fresh, 0, 8, tx); // tracked read, plain write
      JdkIntrinsics.arraycopy(fresh, 0, fresh, 2, 6, tx); // both fresh: System.arraycopy
      JdkIntrinsics.arraycopy(fresh, 1, target, 0, 7, tx); // plain read, tracked write
      kept[0] = fresh;
      assertTrue(JdkBarriers.isAllocated(fresh, tx));
      assertTrue(!JdkBarriers.isAllocated(shared, tx));
    });
    assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6, 7, 8}, shared);
    assertArrayEquals(new int[] {1, 2, 1, 2, 3, 4, 5, 6}, kept[0]);
    assertArrayEquals(new int[] {2, 1, 2, 3, 4, 5, 6, 0}, target);
    assertEquals(0, Ame.stats().minus(before).inevitable());
  }

  /** Each element kind through each path: tracked both ways, a fresh source, a fresh destination. */
  @Test
  void everyKindIsCopiedExactlyWithEitherSideAllocated() {
    SplittableRandom r = new SplittableRandom(11);
    for (Class<?> type : TYPES) {
      Object src = array(type, 9, r);
      for (String path : List.of("tracked", "fresh source", "fresh destination")) {
        Object dest = array(type, 9, r);
        Object expected = Array.newInstance(type, 9);
        System.arraycopy(dest, 0, expected, 0, 9);
        System.arraycopy(src, 1, expected, 2, 7);
        Ame.atomic(() -> {
          Txn tx = Txn.active();
          Object s = src;
          Object d = dest;
          if (path.equals("fresh source")) {
            s = Array.newInstance(type, 9);
            FieldBarriers.allocated(s, tx);
            System.arraycopy(src, 0, s, 0, 9);
          } else if (path.equals("fresh destination")) {
            d = Array.newInstance(type, 9);
            FieldBarriers.allocated(d, tx);
            System.arraycopy(dest, 0, d, 0, 9);
          }
          JdkIntrinsics.arraycopy(s, 1, d, 2, 7, tx);
          assertEquals(show(expected), show(d), type.getName() + ", " + path);
        });
      }
    }
  }

  // ---- rollback ---------------------------------------------------------------------------

  @Test
  void aThrowingTransactionLeavesEveryArrayKindUnchanged() {
    IllegalStateException boom = new IllegalStateException("boom");
    SplittableRandom r = new SplittableRandom(5);
    for (Class<?> type : TYPES) {
      Object src = array(type, 10, r);
      Object dest = array(type, 10, r);
      String srcBefore = show(src);
      String destBefore = show(dest);
      assertSame(boom, assertThrows(IllegalStateException.class, () -> Ame.atomic(() -> {
        Txn tx = Txn.active();
        JdkIntrinsics.arraycopy(src, 0, dest, 2, 8, tx);
        JdkIntrinsics.arraycopy(src, 0, src, 1, 9, tx); // backwards overlap
        JdkIntrinsics.arraycopy(dest, 3, dest, 0, 7, tx); // forwards overlap
        throw boom;
      })));
      assertEquals(srcBefore, show(src), type.getName());
      assertEquals(destBefore, show(dest), type.getName());

      // nested: the outer copy stays, the inner one goes
      Object expected = Array.newInstance(type, 10);
      System.arraycopy(dest, 0, expected, 0, 10);
      System.arraycopy(src, 0, expected, 5, 5);
      Ame.atomic(() -> {
        Txn tx = Txn.active();
        JdkIntrinsics.arraycopy(src, 0, dest, 5, 5, tx);
        try {
          Ame.atomic(() -> {
            JdkIntrinsics.arraycopy(src, 0, dest, 0, 10, tx);
            throw boom;
          });
        } catch (IllegalStateException e) {
          assertSame(boom, e);
        }
      });
      assertEquals(show(expected), show(dest), type.getName() + " nested");
    }
  }

  /** An element-type failure rolls back the elements it had copied when the transaction throws it. */
  @Test
  void aPartialCopyIsRolledBackWithTheTransaction() {
    Integer[] dest = {7, 8, 9, 10};
    assertThrows(ArrayStoreException.class, () -> Ame.atomic(() ->
        JdkIntrinsics.arraycopy(new Object[] {1, 2, "s", 4}, 0, dest, 0, 4, Txn.active())));
    assertArrayEquals(new Integer[] {7, 8, 9, 10}, dest);
  }

  // ---- clone ------------------------------------------------------------------------------

  @Test
  void cloneArrayCopiesEveryKindThroughTheBarriersAndOwnsTheCopy() {
    SplittableRandom r = new SplittableRandom(9);
    Stats before = Ame.stats();
    for (Class<?> type : TYPES) {
      for (int n : new int[] {0, 1, 9}) {
        Object original = array(type, n, r);
        String shown = show(original);
        Ame.atomic(() -> {
          Txn tx = Txn.active();
          Object copy = JdkIntrinsics.cloneArray(original, tx);
          assertNotSame(original, copy);
          assertSame(original.getClass(), copy.getClass());
          assertEquals(shown, show(copy));
          assertTrue(JdkBarriers.isAllocated(copy, tx), "the copy is the transaction's own");
          Object again = JdkIntrinsics.cloneArray(copy, tx); // a fresh source
          assertEquals(shown, show(again));
          if (n > 0) {
            Array.set(copy, 0, Array.get(original, n - 1)); // does not touch the original
          }
        });
        assertEquals(shown, show(original));
      }
    }
    int[][] rows = {{1}, {2}};
    Ame.atomic(() -> {
      int[][] copy = (int[][]) JdkIntrinsics.cloneArray(rows, Txn.active());
      assertSame(rows[1], copy[1], "shallow, as clone()");
    });
    assertEquals(0, Ame.stats().minus(before).inevitable());
    assertThrows(NullPointerException.class, () -> Ame.atomic(() -> JdkIntrinsics.cloneArray(null, Txn.active())));
    assertThrows(IllegalArgumentException.class, () -> Ame.atomic(() -> JdkIntrinsics.cloneArray("x", Txn.active())));
  }

  // ---- concurrency: ordered = sequential, opacity ---------------------------------------------

  /** Memory as a task sees it: through the barriers and intrinsics, or plainly (the sequential run). */
  interface Mem {
    long get(long[] a, int i);

    void set(long[] a, int i, long v);

    void copy(Object s, int sp, Object d, int dp, int n);

    long[] cloneOf(long[] a);

    long[] fresh(int n);
  }

  static final Mem PLAIN = new Mem() {
    public long get(long[] a, int i) {
      return a[i];
    }

    public void set(long[] a, int i, long v) {
      a[i] = v;
    }

    public void copy(Object s, int sp, Object d, int dp, int n) {
      System.arraycopy(s, sp, d, dp, n);
    }

    public long[] cloneOf(long[] a) {
      return a.clone();
    }

    public long[] fresh(int n) {
      return new long[n];
    }
  };

  static final Mem TRACKED = new Mem() {
    public long get(long[] a, int i) {
      Txn tx = Txn.active();
      FieldBarriers.beforeReadElement(a, i, tx);
      long v = a[i];
      FieldBarriers.afterReadElement(tx);
      return v;
    }

    public void set(long[] a, int i, long v) {
      FieldWrites.writeElement(a, i, v, Txn.active());
    }

    public void copy(Object s, int sp, Object d, int dp, int n) {
      JdkIntrinsics.arraycopy(s, sp, d, dp, n, Txn.active());
    }

    public long[] cloneOf(long[] a) {
      return (long[]) JdkIntrinsics.cloneArray(a, Txn.active());
    }

    public long[] fresh(int n) {
      long[] a = new long[n];
      FieldBarriers.allocated(a, Txn.active());
      return a;
    }
  };

  static final int N = 16;
  static final long TOTAL = 1000L * N;

  /** The shared state: accounts (sum TOTAL), a mirror copied from them (sum TOTAL), per-task results. */
  record World(long[] accounts, long[] mirror, long[] results, AtomicLong broken, AtomicLong audits) {
    static World create(int tasks) {
      long[] a = new long[N];
      Arrays.fill(a, 1000);
      return new World(a, a.clone(), new long[tasks], new AtomicLong(), new AtomicLong());
    }

    void audit(Mem m, long[] snapshot, int slot) {
      long sum = 0;
      for (long v : snapshot) {
        sum += v;
      }
      audits.incrementAndGet(); // every attempt, committed or not
      if (sum != TOTAL) {
        broken.incrementAndGet();
      }
      m.set(results, slot, sum * 31 + snapshot[slot % N]);
    }
  }

  static List<Runnable> tasks(World w, Mem m, int count, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Runnable> out = new ArrayList<>();
    long[] a = w.accounts;
    for (int k = 0; k < count; k++) {
      int slot = k;
      int i = r.nextInt(N);
      int j = r.nextInt(N);
      long d = r.nextLong(1, 100);
      out.add(switch (r.nextInt(7)) {
        case 0, 1 -> () -> {
          m.set(a, i, m.get(a, i) - d);
          m.set(a, j, m.get(a, j) + d);
        };
        case 2 -> () -> m.copy(a, 0, w.mirror, 0, N);
        case 3 -> () -> w.audit(m, m.cloneOf(a), slot);
        case 4 -> () -> {
          long[] f = m.fresh(N);
          m.copy(w.mirror, 0, f, 0, N);
          w.audit(m, f, slot);
        };
        case 5 -> () -> { // rotate right: a backwards overlapping copy of a shared array
          long last = m.get(a, N - 1);
          m.copy(a, 0, a, 1, N - 1);
          m.set(a, 0, last);
        };
        default -> () -> { // rotate left by i through a fresh temporary
          long[] t = m.fresh(N);
          m.copy(a, 0, t, 0, N);
          m.copy(t, i, a, 0, N - i);
          m.copy(t, 0, a, N - i, i);
        };
      });
    }
    return out;
  }

  @Test
  void orderedRunsOnOneTwoFourWorkersEqualTheSequentialRun() {
    int count = 3000;
    World expected = World.create(count);
    for (Runnable t : tasks(expected, PLAIN, count, 3)) {
      t.run();
    }
    for (int workers : new int[] {1, 2, 4}) {
      World w = World.create(count);
      TransactionQueue q = TransactionQueue.ordered();
      tasks(w, TRACKED, count, 3).forEach(q::add);
      Stats before = Ame.stats();
      q.run(workers);
      Stats s = Ame.stats().minus(before);
      assertArrayEquals(expected.accounts, w.accounts, workers + " workers");
      assertArrayEquals(expected.mirror, w.mirror, workers + " workers");
      assertArrayEquals(expected.results, w.results, workers + " workers: every audit saw the sequential state");
      assertEquals(0, w.broken.get());
      if (workers == 1) {
        assertEquals(0, s.inevitable(), s.toString());
      } else {
        AtomicIntrinsicsTest.assertNoneInevitable(s);
      }
    }
  }

  @Test
  void unorderedCopiesKeepTheTotalAndNoAttemptSeesABrokenState() {
    int count = 6000;
    World w = World.create(count);
    TransactionQueue q = new TransactionQueue();
    tasks(w, TRACKED, count, 8).forEach(q::add);
    Stats before = Ame.stats();
    q.run(4);
    long sum = 0;
    long mirror = 0;
    for (int i = 0; i < N; i++) {
      sum += w.accounts[i];
      mirror += w.mirror[i];
    }
    assertEquals(TOTAL, sum);
    assertEquals(TOTAL, mirror);
    assertEquals(0, w.broken.get(), "an attempt saw a broken total (of " + w.audits.get() + " audits)");
    assertTrue(w.audits.get() >= 1000, "audits ran: " + w.audits.get());
    AtomicIntrinsicsTest.assertNoneInevitable(Ame.stats().minus(before));
  }
}
