package org.ame4j.internal.engine;

import java.util.Arrays;

/**
 * Where the entries of one attempt's read set were made (conflict report only,
 * {@link Diagnostics#ON}), as runs: entries from a run's start up to the next run's start were
 * logged at its site (and, when the JDK's generic field barrier made them, with its holder class
 * and field id). A run starts only when the site changes between two logged reads
 * ({@link TxnDiag#read}), so a loop that reads many records at one line (the bank's audit: 1,024
 * accounts) costs one run and, per read, a compare of two ints, not a store per entry. The
 * report looks an entry up at abort time by its position ({@link #siteOf}): a binary search.
 *
 * <p>Guarantees the same answer as a per-entry record would: the site of the last log call for
 * that entry (a word logged again right after itself is one entry, re-started at the later
 * site). Read only by the descriptor's own thread, unlike the lock set's sites, which other
 * transactions read to name a lock's owner ({@link TxnDiag.SiteLog}).
 */
final class ReadSites {
  /** The first entry of each run. */
  private int[] starts = new int[16];
  /** Run {@code k}'s site, JDK holder and field, at index {@code k}. */
  private final TxnDiag.SiteLog runs = new TxnDiag.SiteLog(16);
  private int count;

  /** A new attempt: no entries. */
  void clear() {
    count = 0;
    runs.clear();
  }

  /**
   * Entries from {@code start} on (the entry just logged) were made at {@code site}, with the
   * JDK field {@code holder}/{@code field} (null holder: none). Runs starting at or after
   * {@code start} had no entry left of their own and end here.
   */
  void start(int start, int site, Class<?> holder, int field) {
    int k = count;
    while (k > 0 && starts[k - 1] >= start) {
      k--;
    }
    if (k >= starts.length) {
      starts = Arrays.copyOf(starts, starts.length * 2);
    }
    starts[k] = start;
    runs.record(k, site, holder, field);
    count = k + 1;
  }

  /** The run entry {@code n} belongs to, or -1 (before every run, or negative). */
  private int runOf(int n) {
    int lo = 0;
    int hi = count - 1;
    int found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (starts[mid] <= n) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return n < 0 ? -1 : found;
  }

  /** The site of entry {@code n} (0 if unknown). */
  int siteOf(int n) {
    return runs.siteOf(runOf(n));
  }

  /** The JDK holder class of entry {@code n}, or null. */
  Class<?> holderOf(int n) {
    return runs.holderOf(runOf(n));
  }

  /** The JDK field id of entry {@code n}, meaningful when {@link #holderOf} is not null. */
  int fieldOf(int n) {
    return runs.fieldOf(runOf(n));
  }
}
