package org.ame4j.internal.queue;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Tasks appended to a queue ({@link TaskList#addLast}) without a lock per insert: one
 * compare-and-set into a slot of a chunk of {@value #CHUNK} slots, from any thread. The holder of
 * the queue's lock reads them where they were put, without copying them into another structure
 * (copying 2 M queued tasks into an {@code ArrayDeque} at {@code run()} cost more than the lock
 * it saved, measured with {@code TaskCost}).
 *
 * <p><b>Guarantees.</b> Many producers, one consumer at a time (the holder of the queue's lock).
 * Every add that returned is seen by the next {@link #countNew}, and adds come out in an order
 * consistent with real time: an add that returned before another began comes out first. This
 * holds because the filled slots of a chunk always form a prefix: a producer takes the first
 * empty slot at or after a hint, only by compare-and-set from empty, the hint only ever names a
 * slot whose predecessors are all filled, and the consumer never empties a slot (it puts a
 * placeholder in a taken one, so the task is not kept reachable, and drops whole chunks). A
 * slot is filled in one atomic step, so there is no claimed-but-unwritten slot for the consumer
 * to wait on: a producer stopped at any point (descheduled, or an asynchronous error) never
 * blocks the consumer.
 *
 * <p><b>Does not</b> wake idle workers: an add made while a run is in progress also takes the
 * queue's lock to notify them ({@link QueueCore#addCommitted}).
 */
final class Inbox {
  static final int CHUNK = 1024;

  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Runnable[].class);
  private static final VarHandle NEXT;
  private static final VarHandle TAIL;
  private static final VarHandle HINT;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      NEXT = l.findVarHandle(Chunk.class, "next", Chunk.class);
      HINT = l.findVarHandle(Chunk.class, "hint", int.class);
      TAIL = l.findVarHandle(Inbox.class, "tail", Chunk.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static final class Chunk {
    final Runnable[] slots = new Runnable[CHUNK];
    /** Every slot below it is filled (a producer's starting point; may lag, never leads). */
    volatile int hint;
    volatile Chunk next;
  }

  /** The chunk producers fill (volatile through {@link #TAIL}). */
  @SuppressWarnings("unused")
  private volatile Chunk tail;
  // Consumer side, guarded by the queue's lock.
  private Chunk head;
  private int read;

  Inbox() {
    head = tail = countedChunk = new Chunk();
  }

  /** Appends {@code task} (never null); lock-free. */
  void add(Runnable task) {
    for (; ; ) {
      Chunk c = tail;
      Runnable[] s = c.slots;
      for (int i = c.hint; i < CHUNK; i++) {
        if (SLOT.getVolatile(s, i) == null && SLOT.compareAndSet(s, i, null, task)) {
          // A stale smaller value from a slower producer only costs a scan. A release store,
          // not a volatile one: ordered after the slot's compare-and-set (so it never leads),
          // without the StoreLoad fence a volatile store adds on x86 (a second locked
          // instruction per add, paid by every task a task adds; DESIGN-NOTES, "Components'
          // cost per task", session 13).
          HINT.setRelease(c, i + 1);
          return;
        }
      }
      Chunk n = c.next;
      if (n == null) {
        Chunk fresh = new Chunk();
        n = NEXT.compareAndSet(c, null, fresh) ? fresh : c.next;
      }
      TAIL.compareAndSet(this, c, n);
    }
  }

  // ---- consumer side (the holder of the queue's lock) --------------------------------------
  // Two cursors, each a chunk and a slot: read (the first task not taken) and counted (the first
  // task not yet counted into the owning TaskList's size), read <= counted.
  private Chunk countedChunk;
  private int counted;

  /**
   * Counts the tasks added since the last call (a range as its indices, see
   * {@link TaskList#tasksIn}) and moves the counted cursor past them: only counted tasks are
   * handed out, so the owner's size never misses a task it gives away.
   */
  long countNew() {
    long n = 0;
    Chunk c = countedChunk;
    int i = counted;
    for (; ; ) {
      Runnable[] s = c.slots;
      for (Runnable t; i < CHUNK && (t = (Runnable) SLOT.getVolatile(s, i)) != null; i++) {
        n += TaskList.tasksIn(t);
      }
      if (i < CHUNK || c.next == null) {
        break; // the first empty slot: nothing after it is filled (the prefix property)
      }
      c = c.next;
      i = 0;
    }
    countedChunk = c;
    counted = i;
    return n;
  }

  /** The first counted task not taken yet, or null. */
  Runnable peek() {
    if (read == CHUNK && head != countedChunk) {
      markTaken(); // the chunk may stay reachable through tail until the next add
      head = head.next; // dropping the consumed chunk
      read = 0;
      marked = 0;
    }
    return head == countedChunk && read == counted ? null : head.slots[read];
  }

  /**
   * Stands in a slot whose task was taken: not null, so producers still skip it (the prefix
   * property), and the task is no longer reachable from here once it has run.
   */
  private static final Runnable TAKEN = () -> { };

  /** {@link #TAKEN} in every slot: the source of {@link #markTaken}'s copy. */
  private static final Runnable[] ALL_TAKEN = new Runnable[CHUNK];

  static {
    java.util.Arrays.fill(ALL_TAKEN, TAKEN);
  }

  /**
   * Slots of the head chunk below it hold {@link #TAKEN}; from it up to {@link #read}, taken
   * tasks not yet marked.
   */
  private int marked;

  /**
   * Takes the task {@link #peek} returned. Its slot keeps the task until {@link #markTaken}: once
   * the collector has promoted a chunk (it may, while millions of tasks are added), a store per
   * slot costs G1 a StoreLoad fence in its post-write barrier, where one
   * {@code System.arraycopy} per batch dirties the cards of the range once (DESIGN-NOTES, "The
   * per-task floor").
   */
  void poll() {
    read++;
  }

  /**
   * Puts {@link #TAKEN} in the slots of the tasks taken since the last call, so they are no
   * longer reachable from here; the taker calls it before it releases the queue's lock. Only
   * non-null values replace non-null ones: producers, which look for a null slot, see no change.
   */
  void markTaken() {
    if (read > marked) {
      System.arraycopy(ALL_TAKEN, 0, head.slots, marked, read - marked);
      marked = read;
    }
  }

  /** Appends every counted task not taken yet to {@code out}, in order. */
  void copyTo(java.util.function.Consumer<Runnable> out) {
    Chunk c = head;
    int i = read;
    while (c != countedChunk || i < counted) {
      if (i == CHUNK) {
        c = c.next;
        i = 0;
        continue;
      }
      out.accept(c.slots[i++]);
    }
  }

  /** Takes every counted task. */
  void skipCounted() {
    while (peek() != null) {
      poll();
    }
    markTaken();
  }
}
