package org.ame4j;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ame4j.internal.diag.Conflicts;
import org.ame4j.internal.diag.InevitableReasons;
import org.ame4j.internal.engine.TxnStats;

/**
 * A snapshot of the engine's counters since start (or {@link Ame#resetStats()}): commits, aborts
 * by {@link AbortKind}, failures (blocks and tasks that threw), inevitable transactions and
 * where they became inevitable, and the time spent in attempts that were rolled back.
 *
 * <p>Counters are kept per thread without synchronization; a snapshot is exact for transactions
 * whose threads have finished or been joined ({@code TransactionQueue.run()} joins its workers)
 * and may lag a little for transactions still running. Use {@link #minus} to measure a region.
 *
 * <p>With {@code -Dame4j.report=true} it also holds the conflict report: {@link #conflicts()}
 * (where the aborts come from, by location and by the lines of both sides) and {@link #report()}
 * (all of it as text, the form {@code ame run} prints at exit).
 */
public final class Stats {
  private final long commits;
  private final long transactions;
  private final long[] aborts;
  private final long failures;
  private final long inevitable;
  private final long inevitableAfterAborts;
  private final long heldLongReaders;
  private final long pausedReaders;
  private final long abortedNanos;
  private final Map<String, Long> inevitableSites;
  private final List<Conflict> conflicts;

  private Stats(long commits, long transactions, long[] aborts, long failures, long inevitable,
      long inevitableAfterAborts, long heldLongReaders, long pausedReaders, long abortedNanos,
      Map<String, Long> inevitableSites, List<Conflict> conflicts) {
    this.commits = commits;
    this.transactions = transactions;
    this.aborts = aborts;
    this.failures = failures;
    this.inevitable = inevitable;
    this.inevitableAfterAborts = inevitableAfterAborts;
    this.heldLongReaders = heldLongReaders;
    this.pausedReaders = pausedReaders;
    this.abortedNanos = abortedNanos;
    this.inevitableSites = inevitableSites;
    this.conflicts = conflicts;
  }

  /** The API's view of the engine's counters; abort kinds are matched by name. */
  static Stats of(TxnStats s) {
    long[] aborts = new long[AbortKind.values().length];
    for (AbortKind k : AbortKind.values()) {
      aborts[k.ordinal()] = s.aborts(org.ame4j.internal.engine.AbortKind.valueOf(k.name()));
    }
    List<Conflict> conflicts = new ArrayList<>();
    for (Conflicts.Entry e : Conflicts.snapshot()) {
      Conflicts.Key k = e.key();
      conflicts.add(new Conflict(AbortKind.valueOf(k.kind().toUpperCase(Locale.ROOT).replace('/', '_')),
          k.location(), k.aborted(), k.other(), e.count(), e.lostNanos()));
    }
    return new Stats(s.commits(), s.transactions(), aborts, s.failures(), s.inevitable(),
        s.inevitableAfterAborts(), s.heldLongReaders(), s.pausedReaders(), s.abortedNanos(),
        s.inevitableSites(), List.copyOf(conflicts));
  }

  /**
   * Where the aborts came from, most time lost first: every group of aborts of one kind on one
   * location between the same two lines. Empty unless {@code -Dame4j.report=true}.
   */
  public List<Conflict> conflicts() {
    return conflicts;
  }

  /** The first {@code n} of {@link #conflicts()}. */
  public List<Conflict> conflicts(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("n must be >= 0, was " + n);
    }
    return conflicts.subList(0, Math.min(n, conflicts.size()));
  }

  /**
   * Tasks and {@code Ame.atomic} blocks committed (top level; nested blocks are part of their
   * outer transaction). Several small tasks of an unordered queue may commit together as one
   * transaction ({@code ame4j.batch}): each still counts here; {@link #transactions()} counts
   * them once.
   */
  public long commits() {
    return commits;
  }

  /**
   * Transactions committed: {@link #commits()} with the tasks that shared a transaction counted
   * once. Aborts stay per task ({@link #aborts()}).
   */
  public long transactions() {
    return transactions;
  }

  /**
   * Attempts rolled back and re-run, all kinds, per task: a transaction of several tasks that
   * aborts counts each of its tasks (each one's after-abort actions run).
   */
  public long aborts() {
    long sum = 0;
    for (long a : aborts) {
      sum += a;
    }
    return sum;
  }

  public long aborts(AbortKind kind) {
    return aborts[kind.ordinal()];
  }

  /** Calls of {@link Ame#retry()} that rolled back and waited (same as aborts(EXPLICIT)). */
  public long retries() {
    return aborts(AbortKind.EXPLICIT);
  }

  /** Transactions and tasks rolled back because they threw. */
  public long failures() {
    return failures;
  }

  /**
   * Transactions that ran inevitable: asked for ({@link Ame#inevitable()}, or under the agent a
   * call into code it cannot track; {@link #inevitableSites()} says where), or forced after too
   * many aborts ({@link #inevitableAfterAborts()}).
   */
  public long inevitable() {
    return inevitable;
  }

  /**
   * Of {@link #inevitable()}: transactions that had aborted {@code ame4j.maxAborts} times (default
   * 16) and re-ran inevitable, as the progress guarantee does (and long readers after
   * {@code ame4j.longReader.aborts}). With {@code -Dame4j.report=true} they are also in
   * {@link #inevitableSites()}, at the line of their last abort.
   */
  public long inevitableAfterAborts() {
    return inevitableAfterAborts;
  }

  /**
   * Of {@link #inevitable()}: long readers that became inevitable in place, without aborting
   * ({@code ame4j.longReader.hold}), when writers committed to what they read.
   */
  public long heldLongReaders() {
    return heldLongReaders;
  }

  /**
   * Attempts of long readers that paused the other writers' commits (not inevitable, not counted
   * in {@link #inevitable()}): in place, once {@code ame4j.longReader.reads} reads were logged
   * before any write, or in a re-run after {@code ame4j.longReader.aborts} losses to writers.
   * From the pause on they read without locks or a log, and other workers' writers wait only at
   * their commit.
   */
  public long pausedReaders() {
    return pausedReaders;
  }

  /** Time spent in attempts that were rolled back and re-run, in nanoseconds. */
  public long abortedNanos() {
    return abortedNanos;
  }

  /**
   * Where transactions became inevitable, to count: where they asked
   * ({@code "Class.method(File.java:line) -> callee"}), and with {@code -Dame4j.report=true} where
   * forced ones last aborted ({@code "File.java:line (Class.method) (the last abort)"}). The report
   * prints each with its reason.
   */
  public Map<String, Long> inevitableSites() {
    return inevitableSites;
  }

  /** The counts between {@code earlier} and this snapshot. */
  public Stats minus(Stats earlier) {
    long[] a = aborts.clone();
    for (int i = 0; i < a.length; i++) {
      a[i] -= earlier.aborts[i];
    }
    Map<String, Long> sites = new LinkedHashMap<>(inevitableSites);
    earlier.inevitableSites.forEach((k, v) -> sites.computeIfPresent(k, (kk, n) -> n - v));
    sites.values().removeIf(n -> n <= 0);
    List<Conflict> since = new ArrayList<>();
    for (Conflict c : conflicts) {
      Conflict old = earlier.conflicts.stream()
          .filter(e -> e.kind() == c.kind() && e.location().equals(c.location())
              && e.abortedAt().equals(c.abortedAt()) && e.otherAt().equals(c.otherAt()))
          .findFirst().orElse(null);
      long n = c.count() - (old != null ? old.count() : 0);
      if (n > 0) {
        since.add(new Conflict(c.kind(), c.location(), c.abortedAt(), c.otherAt(), n,
            c.lostNanos() - (old != null ? old.lostNanos() : 0)));
      }
    }
    since.sort(Comparator.comparingLong(Conflict::lostNanos).thenComparingLong(Conflict::count).reversed());
    return new Stats(commits - earlier.commits, transactions - earlier.transactions, a, failures - earlier.failures,
        inevitable - earlier.inevitable, inevitableAfterAborts - earlier.inevitableAfterAborts,
        heldLongReaders - earlier.heldLongReaders, pausedReaders - earlier.pausedReaders,
        abortedNanos - earlier.abortedNanos, Map.copyOf(sites), List.copyOf(since));
  }

  /**
   * The whole report as text: {@link #toString()}'s counts, then the top 10 conflicts (each with
   * its location, both lines, count and time lost), then the inevitable transactions' sites
   * with their reasons. Without {@code -Dame4j.report=true} the conflicts section says how to
   * get it.
   */
  public String report() {
    StringBuilder sb = new StringBuilder(toString()).append(System.lineSeparator());
    if (conflicts.isEmpty()) {
      sb.append(aborts() == 0 ? "top conflicts: none"
          : "top conflicts: run with -Dame4j.report=true to see where the aborts come from");
    } else {
      sb.append(String.format(Locale.ROOT, "top conflicts (%d of %d locations and line pairs, most time lost first):",
          Math.min(10, conflicts.size()), conflicts.size()));
      for (Conflict c : conflicts(10)) {
        sb.append(System.lineSeparator()).append(c);
      }
    }
    return sb.toString();
  }

  /** A human-readable report, one fact per line. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    long total = commits + aborts();
    sb.append(String.format(Locale.ROOT, "commits      %,d%n", commits));
    if (transactions != commits) {
      sb.append(String.format(Locale.ROOT, "  %-11s %,d (tasks that shared a transaction count once)%n",
          "transactions", transactions));
    }
    sb.append(String.format(Locale.ROOT, "aborts       %,d (%.1f%% of attempts), %.1f ms lost%n", aborts(),
        total == 0 ? 0.0 : 100.0 * aborts() / total, abortedNanos / 1e6));
    for (AbortKind k : AbortKind.values()) {
      if (aborts(k) > 0) {
        sb.append(String.format(Locale.ROOT, "  %-11s %,d%n", k.name().toLowerCase().replace('_', '/'),
            aborts(k)));
      }
    }
    sb.append(String.format(Locale.ROOT, "failures     %,d%n", failures));
    sb.append(String.format(Locale.ROOT, "inevitable   %,d%n", inevitable));
    if (inevitableAfterAborts > 0) {
      sb.append(String.format(Locale.ROOT, "  %-11s %,d (each after ame4j.maxAborts = %d aborts)%n",
          "forced", inevitableAfterAborts, TxnStats.maxAborts()));
    }
    if (heldLongReaders > 0) {
      sb.append(String.format(Locale.ROOT, "  %-11s %,d (long readers, in place when writers committed to what they read)%n",
          "held", heldLongReaders));
    }
    if (pausedReaders > 0) {
      sb.append(String.format(Locale.ROOT, "paused       %,d (long readers' attempts while other writers' commits waited)%n",
          pausedReaders));
    }
    if (inevitable > inevitableAfterAborts + heldLongReaders) {
      sb.append(String.format(Locale.ROOT, "  %-11s %,d (Ame.inevitable() or untracked code)%n",
          "asked for", inevitable - inevitableAfterAborts - heldLongReaders));
    }
    inevitableSites.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
        .limit(10)
        .forEach(e -> sb.append(String.format(Locale.ROOT, "  %,8d  at %s [%s]%n", e.getValue(), e.getKey(),
            InevitableReasons.of(e.getKey()))));
    return sb.toString().stripTrailing();
  }
}
