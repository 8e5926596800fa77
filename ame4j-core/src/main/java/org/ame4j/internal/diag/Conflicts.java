package org.ame4j.internal.diag;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every conflict the engine recorded since start (or {@link #reset}), summed by (kind, location,
 * aborted side's line, other side's line): how many aborts and how much time they cost. Written
 * by the threads that abort, only while the report is on; {@link #snapshot} is a copy.
 */
public final class Conflicts {
  /** What one group of aborts has in common. */
  public record Key(String kind, String location, String aborted, String other) {}

  /** One group of aborts: its key, how many, and the time of the attempts they rolled back. */
  public record Entry(Key key, long count, long lostNanos) {}

  private static final class Sum {
    final LongAdder count = new LongAdder();
    final LongAdder nanos = new LongAdder();
  }

  private static final ConcurrentHashMap<Key, Sum> SUMS = new ConcurrentHashMap<>();

  private Conflicts() {}

  public static void record(Key key, long lostNanos) {
    Sum s = SUMS.computeIfAbsent(key, k -> new Sum());
    s.count.increment();
    s.nanos.add(lostNanos);
  }

  /**
   * Adds the estimated duration of an untimed attempt that aborted (the engine times first
   * attempts only when it must): the duration of its re-run.
   */
  public static void addTime(Key key, long nanos) {
    Sum s = SUMS.get(key);
    if (s != null) {
      s.nanos.add(nanos);
    }
  }

  /** Every group, most time lost first (then most aborts). */
  public static List<Entry> snapshot() {
    List<Entry> out = new ArrayList<>();
    SUMS.forEach((k, s) -> out.add(new Entry(k, s.count.sum(), s.nanos.sum())));
    out.sort(Comparator.comparingLong(Entry::lostNanos).thenComparingLong(Entry::count).reversed());
    return out;
  }

  public static void reset() {
    SUMS.clear();
  }
}
