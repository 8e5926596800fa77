package org.ame4jtest.agenttest;

/** Constructors that write statics and other objects; a static initializer run from a task. */
public class Lifecycle {
  public static long created;
  public static int initializerRuns;

  public final long id;
  public long value;
  public Lifecycle next;

  public Lifecycle(long value, Lifecycle next) {
    this.id = ++created;           // a static written by a constructor: tracked
    this.value = value;            // the fresh object: no barrier
    this.next = next;
    if (next != null) {
      next.value += 1;             // another object written by a constructor: tracked
    }
  }

  /** A subclass constructor chain: super(…) goes to the twin constructor. */
  public static class Tagged extends Lifecycle {
    public static long tagged;
    public final String tag;

    public Tagged(long value, Lifecycle next, String tag) {
      super(value, next);
      this.tag = tag;
      tagged += value;
    }
  }

  /** Builds a chain of n objects in front of {@code head} and returns the new head. */
  public static Lifecycle grow(Lifecycle head, int n) {
    for (int i = 0; i < n; i++) {
      head = i % 2 == 0 ? new Lifecycle(i, head) : new Tagged(i, head, "t" + i);
      head.value += 10;            // captured: written after construction, still no barrier
    }
    return head;
  }

  static Lifecycle shared;

  public static void growShared(int n) {
    shared = grow(shared, n);
  }

  public static long sharedChecksum() {
    return checksum(shared);
  }

  public static long checksum(Lifecycle head) {
    long s = 0;
    for (Lifecycle l = head; l != null; l = l.next) {
      s = s * 31 + l.id * 7 + l.value;
    }
    return s;
  }

  public static void reset() {
    created = 0;
    Tagged.tagged = 0;
    shared = null;
  }

  public static long created() {
    return created;
  }

  public static long tagged() {
    return Tagged.tagged;
  }

  public static int initializerRuns() {
    return initializerRuns;
  }

  /** The first call initializes {@link LateInit}, from inside whatever transaction runs it. */
  public static long bumpLate() {
    LateInit.counter++;
    return LateInit.VALUE + LateInit.counter;
  }

  public static long lateCounter() {
    return LateInit.counter;
  }

  static class LateInit {
    static final long VALUE;
    static long counter;

    static {
      initializerRuns++;
      VALUE = 42;
      counter = 100;
    }
  }
}
