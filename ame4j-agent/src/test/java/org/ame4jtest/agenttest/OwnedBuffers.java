package org.ame4jtest.agenttest;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import org.ame4j.Ame;

/**
 * A parser-like object with working arrays in fields: {@link #buffer} (final, allocated by its
 * initializer), {@link #stack} (grown with {@code Arrays.copyOf}) and {@link #marks} (a
 * {@code clone()}), all fresh-array fields; and {@link #lines}, once assigned an array from a
 * parameter, which no analysis can call fresh. An object born in a task hands its fresh arrays to
 * the element sites of its twins; a shared one, a copy, or one born before a nested block began
 * keeps every barrier.
 */
public class OwnedBuffers implements Cloneable {
  private final char[] buffer = new char[64];
  private int[] stack = new int[2];
  private int size;
  private long[] marks = new long[4];
  private long[] lines;

  /** A shared array whose elements are all equal in every committed state. */
  static long[] shared = new long[64];
  /** A shared object (not born in any task). */
  static OwnedBuffers common = new OwnedBuffers();
  /** A shared array that blind adds reach through a site a born object's field seeded. */
  static int[] sharedInts = new int[4];

  public OwnedBuffers() {}

  public OwnedBuffers(long[] lines) {
    this.lines = lines;
  }

  void fill(char c) {
    char[] b = buffer;
    for (int i = 0; i < b.length; i++) {
      b[i] = c;
    }
  }

  /** Not in a loop: the element sites get their local from the field load alone. */
  int first() {
    return buffer[0] + 1000 * buffer[63];
  }

  void setFirst(char c) {
    buffer[0] = c;
  }

  void push(int v) {
    if (size == stack.length) {
      stack = Arrays.copyOf(stack, size * 2);
    }
    stack[size++] = v;
  }

  int sum() {
    int[] s = stack;
    int t = 0;
    for (int i = 0; i < size; i++) {
      t += s[i];
    }
    return t;
  }

  void mark(long v) {
    marks = marks.clone();
    for (int i = 0; i < marks.length; i++) {
      marks[i] = v;
    }
  }

  long marked() {
    return marks[0] + marks[3];
  }

  void fillLines(long v) {
    long[] l = lines;
    for (int i = 0; i < l.length; i++) {
      l[i] = v;
    }
  }

  /** A blind element add into a fresh-array field's array (Gson's {@code pathIndices[i]++}). */
  void tally(int i, int d) {
    stack[i] += d;
  }

  /**
   * One blind add site that adds into this object's stack first (the field load hands the stack
   * to the site's local), then into {@code other}: the local still holds the stack then.
   */
  void tallyBoth(int[] other, int i) {
    int[] a = stack;
    for (int k = 0; k < 2; k++) {
      a[i] += 1;
      a = other;
    }
  }

  /** {@code super.clone()}: the JVM's copy, which shares this object's arrays. */
  OwnedBuffers copy() throws CloneNotSupportedException {
    return (OwnedBuffers) super.clone();
  }

  /** A born object's arrays, written and read back, the stack grown twice. */
  public static long bornRoundTrip(int pushes) {
    return Ame.atomic(
        () -> {
          OwnedBuffers o = new OwnedBuffers();
          o.fill('x');
          o.setFirst('a');
          for (int i = 1; i <= pushes; i++) {
            o.push(i);
          }
          o.mark(7);
          return (long) o.first() * 1_000_000L + o.sum() * 100L + o.marked();
        });
  }

  /**
   * An object born in the task, filled with 'a'; a nested block fills it with 'b' and fails, then
   * a nested block that allocates its own object fills both and succeeds: returns
   * {@code first()} after the failed block, then the nested-born object's.
   */
  public static long nestedBlocks() {
    return Ame.atomic(
        () -> {
          OwnedBuffers o = new OwnedBuffers();
          o.fill('a');
          o.push(1);
          try {
            Ame.atomic(
                () -> {
                  o.fill('b');
                  o.push(2);
                  o.mark(9);
                  throw new IllegalStateException("inner");
                });
          } catch (IllegalStateException expected) {
            // undone: o was born before the block began
          }
          long afterFailure = o.first() + o.sum() * 1_000_000L + o.marked() * 100_000_000L;
          OwnedBuffers inner = Ame.atomic(
              () -> {
                OwnedBuffers n = new OwnedBuffers();
                n.fill('c');
                return n;
              });
          inner.fill('d');
          return afterFailure * 1_000_000_000L + inner.first();
        });
  }

  /** Fills {@link #shared} through a born object's {@link #lines}, then fails: returns the sum after. */
  public static long linesUndone(long v) {
    try {
      Ame.atomic(
          () -> {
            OwnedBuffers o = new OwnedBuffers(shared);
            o.fillLines(v);
            throw new IllegalStateException("task fails");
          });
    } catch (IllegalStateException expected) {
      // the task's stores are undone
    }
    return Arrays.stream(shared).sum();
  }

  /**
   * Blind adds into a born object's stack: ten in the task, one in a nested block that fails
   * (the object was born before the block: undone). Returns the stack's sum (45).
   */
  public static long tallies() {
    return Ame.atomic(
        () -> {
          OwnedBuffers o = new OwnedBuffers();
          o.push(0);
          o.push(0);
          for (int k = 0; k < 10; k++) {
            o.tally(k % 2, k);
          }
          try {
            Ame.atomic(
                () -> {
                  o.tally(1, 100);
                  throw new IllegalStateException("inner");
                });
          } catch (IllegalStateException expected) {
            // undone
          }
          return (long) o.sum();
        });
  }

  /** {@link #tallyBoth} into {@link #sharedInts} by a task that fails or not: {@code sharedInts[1]} after. */
  public static long tallyBothShared(boolean fail) {
    try {
      Ame.atomic(
          () -> {
            new OwnedBuffers().tallyBoth(sharedInts, 1);
            if (fail) {
              throw new IllegalStateException("task fails");
            }
          });
    } catch (IllegalStateException expected) {
      // undone
    }
    return sharedInts[1];
  }

  /** Fills the shared object's buffer, then fails: returns its {@code first()} after. */
  public static long commonUndone() {
    try {
      Ame.atomic(
          () -> {
            common.fill('q');
            throw new IllegalStateException("task fails");
          });
    } catch (IllegalStateException expected) {
      // undone
    }
    return common.first();
  }

  /** Fills a task's copy of the shared object (sharing its buffer), then fails: {@code first()} after. */
  public static long copyUndone() {
    try {
      Ame.atomic(
          () -> {
            try {
              common.copy().fill('z');
            } catch (CloneNotSupportedException e) {
              throw new AssertionError(e);
            }
            throw new IllegalStateException("task fails");
          });
    } catch (IllegalStateException expected) {
      // undone
    }
    return common.first();
  }

  /** {@code n} tasks, each filling {@link #shared} with its own number through a born object. */
  public static void fillMany(int n) {
    for (int k = 1; k <= n; k++) {
      long v = k;
      Ame.atomic(() -> new OwnedBuffers(shared).fillLines(v));
    }
  }

  /** Read-only transactions until {@code done}: {reads, reads of {@link #shared} not uniform}. */
  public static long[] checkUntil(AtomicBoolean done) {
    long reads = 0;
    long broken = 0;
    while (!done.get()) {
      for (int i = 0; i < 200; i++) {
        if (!Ame.atomic(() -> BornArrays.uniform(shared))) {
          broken++;
        }
      }
      reads += 200;
    }
    return new long[] {reads, broken};
  }

  public static void reset() {
    shared = new long[64];
    common = new OwnedBuffers();
    sharedInts = new int[4];
  }
}
