package org.ame4j.internal.engine;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Maps the small owner ids stored in locked ownership records back to their descriptors, and
 * keeps every descriptor's statistics reachable for {@code Ame.stats()}.
 *
 * <p>A descriptor belongs to one thread for its whole life. The registry holds it weakly: once
 * its thread is gone and it is collected, its statistics are folded into the retired totals and
 * its id is reused. A descriptor can never be collected while it owns a lock (its thread is
 * running the transaction), so {@link #lookup} never misses a live owner.
 */
final class TxnRegistry {
  private static final class Slot extends WeakReference<Txn> {
    final int id;
    final TxnStats stats;

    Slot(Txn txn, int id, ReferenceQueue<Txn> queue) {
      super(txn, queue);
      this.id = id;
      this.stats = txn.stats;
    }
  }

  private static final ReferenceQueue<Txn> COLLECTED = new ReferenceQueue<>();
  private static final ArrayDeque<Integer> FREE_IDS = new ArrayDeque<>();
  private static final TxnStats RETIRED = new TxnStats();
  private static volatile Slot[] slots = new Slot[64];
  private static int nextId;

  private TxnRegistry() {}

  static synchronized int register(Txn txn) {
    reclaim();
    Integer free = FREE_IDS.poll();
    int id = free != null ? free : nextId++;
    Slot[] s = slots;
    if (id >= s.length) {
      s = Arrays.copyOf(s, Math.max(id + 1, s.length * 2));
    }
    s[id] = new Slot(txn, id, COLLECTED);
    slots = s; // volatile publish after the slot is filled
    return id;
  }

  /** The descriptor with this id, or null if it is gone (then it owns nothing). */
  static Txn lookup(int id) {
    Slot[] s = slots;
    Slot slot = id < s.length ? s[id] : null;
    return slot == null ? null : slot.get();
  }

  /** An upper bound of the ids given so far: {@link #lookup} of every id below it, no list. */
  static int idBound() {
    return slots.length;
  }

  /** Every descriptor still reachable (a snapshot; one registered later is not in it). */
  static List<Txn> live() {
    List<Txn> out = new ArrayList<>();
    for (Slot slot : slots) {
      Txn t = slot == null ? null : slot.get();
      if (t != null) {
        out.add(t);
      }
    }
    return out;
  }

  /** Sum of the statistics of every descriptor, live or retired. */
  static synchronized TxnStats total() {
    reclaim();
    TxnStats sum = new TxnStats();
    sum.addAll(RETIRED);
    for (Slot slot : slots) {
      if (slot != null) {
        sum.addAll(slot.stats);
      }
    }
    return sum;
  }

  /** Zeroes every counter (tests and benchmarks measure from a clean slate). */
  static synchronized void reset() {
    reclaim();
    RETIRED.clear();
    for (Slot slot : slots) {
      if (slot != null) {
        slot.stats.clear();
      }
    }
  }

  private static void reclaim() {
    for (Object ref; (ref = COLLECTED.poll()) != null; ) {
      Slot dead = (Slot) ref;
      RETIRED.addAll(dead.stats);
      slots[dead.id] = null;
      FREE_IDS.add(dead.id);
    }
  }
}
