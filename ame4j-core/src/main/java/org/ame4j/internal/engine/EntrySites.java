package org.ame4j.internal.engine;

import java.util.Arrays;

/**
 * The conflict report's sites of one log's entries (a descriptor's read set, or its lock set),
 * index for index: the site each entry was logged at and, for the JDK's generic field barrier,
 * the holder class and field id (null holder: none). Kept only while the report is on.
 *
 * <p>A plain entry costs one int store: the holder array holds nulls above {@link #holdersTop},
 * the highest entry that got a JDK field this attempt, so nothing else is loaded or stored (no
 * reference store with its GC barriers), and only an attempt that ran JDK code clears what it set,
 * at the next {@link #clear}.
 *
 * <p>Another thread may read {@link #siteOf} without synchronization (the lock owner's site, for
 * the report): a diagnostic read, bounds-checked, that may name a stale site but never fails.
 */
final class EntrySites {
  int[] sites;
  Class<?>[] holders;
  int[] fields;
  private int holdersTop = -1;

  EntrySites(int capacity) {
    sites = new int[capacity];
    holders = new Class<?>[capacity];
    fields = new int[capacity];
  }

  /** Entry {@code n} was logged (or logged again) at {@code site}, for JDK field {@code holder}.{@code field} or none. */
  void set(int n, int site, Class<?> holder, int field) {
    if (n >= sites.length) {
      int capacity = Math.max(n + 1, sites.length * 2);
      sites = Arrays.copyOf(sites, capacity);
      holders = Arrays.copyOf(holders, capacity);
      fields = Arrays.copyOf(fields, capacity);
    }
    sites[n] = site;
    if (holder != null) {
      holders[n] = holder;
      fields[n] = field;
      holdersTop = Math.max(holdersTop, n);
    } else if (n <= holdersTop) {
      holders[n] = null; // an entry logged again without a field
    }
  }

  /** A new attempt: no entry has a JDK field. */
  void clear() {
    if (holdersTop >= 0) {
      Arrays.fill(holders, 0, Math.min(holdersTop + 1, holders.length), null);
      holdersTop = -1;
    }
  }

  /** The site of entry {@code j} (0 if unknown); safe from any thread. */
  int siteOf(int j) {
    int[] s = sites;
    return j >= 0 && j < s.length ? s[j] : 0;
  }

  /** The JDK holder of entry {@code j}, or null. */
  Class<?> holderOf(int j) {
    Class<?>[] h = holders;
    return j >= 0 && j < h.length ? h[j] : null;
  }

  /** The JDK field id of entry {@code j} (meaningful with a holder). */
  int fieldOf(int j) {
    int[] f = fields;
    return j >= 0 && j < f.length ? f[j] : 0;
  }
}
