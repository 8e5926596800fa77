package org.ame4j.internal.engine;

import java.util.Arrays;

/**
 * One descriptor's diagnostic state, allocated only while the report is on
 * ({@link Diagnostics#ON}): the site of the access running now, the site (and, for the JDK's
 * generic field barrier, the holder class and field id) of each read-set entry (as runs of
 * entries made at one site) and of each lock-set entry, and what another transaction that killed
 * this attempt said about it.
 *
 * <p>Written by its own thread, except the kill fields (volatile, written by the killer before
 * its compare-and-set of the status). Other threads read {@code locks.siteOf} without
 * synchronization to name the site of a lock this descriptor holds ({@link SiteLog#siteOf} says
 * why that is acceptable).
 */
final class TxnDiag {
  /**
   * Site id of the access running now (0: unknown), or {@link #JDK} while the JDK code called
   * from that site runs on a field the generic field barrier opened ({@link #field}): then the
   * site is in {@link #jdkSite}. So a site marker is one int store ({@link Diagnostics#at}) that
   * also ends the JDK field, with no load or branch of its own: read it through {@link #site()}.
   */
  int site;
  /** {@link #site} while it says {@link #JDK}: the site whose JDK code opened {@link #holder}'s field. */
  private int jdkSite;
  /** {@link #site} when JDK code opened a field: {@link #holder} and {@link #field} apply. */
  static final int JDK = Integer.MIN_VALUE;
  /** The holder class and field id the generic field barrier opened last (JDK code), if {@link #site} is {@link #JDK}. */
  private Class<?> holder;
  private int field;

  /** The read-set entries' sites, and JDK fields (null holder: none), as runs ({@link ReadSites}). */
  final ReadSites reads = new ReadSites();
  /**
   * The site the last run of {@link #reads} started at, or -1 when the next logged read must
   * start one (a new attempt, or the JDK field changed): a read at the same site stores nothing.
   */
  private int readRun = -1;
  /** Per lock-set entry: the site at which the lock was taken, and the JDK field (or null). */
  final SiteLog locks = new SiteLog(32);

  /**
   * Set before a conflict abort that knows its record: by {@link Txn#contend} (the record met,
   * and its owner then), or by a read that saw the record change ({@link Txn#abortRead}; no owner).
   */
  TxCell causeCell;
  int causeIndex;
  boolean causeKnown;
  /** The other side's site, taken when the cause was seen ({@link Diagnostics#contended}). */
  int causeSite;

  /**
   * The site of the first unchecked read ({@code Txn#noteUnchecked}) of each stripe bit, kept
   * as long as the bit (across attempts, as sticky stripe bits are): a read-only array's reads
   * are in no log, and a turner that asks this attempt to abort names the stripe it turns.
   */
  final int[] uncheckedSites = new int[64];
  /** The stripe this descriptor turned written last (read by itself, asking a straggler to abort). */
  int turning = -1;

  /** Set by a killer: its site, and the record it met (or null cell and -1: untracked code). */
  volatile int killerSite;
  /** Set by a turner that asks this attempt to abort: the stripe it turns (else -1). */
  volatile int killStripe = -1;
  volatile String killerUntracked;
  volatile TxCell killCell;
  volatile int killIndex;
  volatile boolean killed;
  /**
   * This attempt honoured a kill ({@code Txn#checkAlive}, or {@link Diagnostics#commitPaused}):
   * its abort is the kill's. Own thread only. A kill's fields alone do not say that: a killer
   * writes them before its compare-and-set of the status, which may miss (the victim's attempt
   * ended) or land while the victim is already aborting for another reason, and a killer that
   * looked before the victim's {@link #begin} may write them into the next attempt.
   */
  boolean killSeen;

  /**
   * {@code -Dame4j.report.clearWhenSet} (default true): {@link #begin} clears the last attempt's
   * cause and kill only if it has one; false clears them always (sessions 7-13).
   */
  static final boolean CLEAR_WHEN_SET = !"false".equals(System.getProperty("ame4j.report.clearWhenSet"));

  void begin() {
    if (site == JDK) {
      site = jdkSite; // the JDK field ends with the attempt
    }
    reads.clear();
    readRun = -1;
    locks.clear();
    if (causeKnown || !CLEAR_WHEN_SET) {
      causeKnown = false;
      causeCell = null;
    }
    // Cleared only when set: a load of a volatile (a plain load on x86) instead of three volatile
    // stores (each a full fence there) per transaction. The fields are read only under killed
    // (Diagnostics.aborted), and every killer writes them all before killed, so an attempt that
    // was not killed leaves nothing that will be read.
    if (killed || killSeen || !CLEAR_WHEN_SET) {
      killSeen = false;
      killed = false;
      killerUntracked = null;
      killCell = null;
    }
  }

  /** This attempt read stripe {@code stripe} unchecked for the first time (since its bit was clear). */
  void unchecked(int stripe) {
    uncheckedSites[stripe & 63] = site();
  }

  /** A new site runs (the agent's marker, {@link Diagnostics#at}): ends a JDK field. */
  void at(int site) {
    this.site = site;
  }

  /** The site of the access running now (0: unknown), whether or not JDK code opened a field. */
  int site() {
    int s = site;
    return s == JDK ? jdkSite : s;
  }

  /** The JDK holder class of the field the running access opened, or null (no JDK field). */
  Class<?> holder() {
    return site == JDK ? holder : null;
  }

  /** The JDK field id, meaningful when {@link #holder()} is not null. */
  int field() {
    return field;
  }

  /** The generic field barrier opened {@code field} of a JDK object of class {@code holder}. */
  void field(Class<?> holder, int field) {
    if (site != JDK) {
      jdkSite = site;
      site = JDK;
    }
    this.holder = holder;
    this.field = field;
    readRun = -1;
  }

  /**
   * Read-set entry {@code n} was logged (or re-logged) now: a compare of two ints, and a new run
   * only when the site changed since the last logged read.
   */
  void read(int n) {
    if (site != readRun) {
      reads.start(n, site(), holder(), field);
      readRun = site; // JDK after a JDK field: the next field() forces a new run
    }
  }

  /** Lock-set entry {@code n} is being taken now. */
  void lock(int n) {
    locks.record(n, site(), holder(), field);
  }

  /** Lock-set entry {@code n} is being taken for read-set entry {@code i} (a held long reader). */
  void lockFromRead(int n, int i) {
    locks.record(n, reads.siteOf(i), reads.holderOf(i), reads.fieldOf(i));
  }

  /**
   * Where the entries of a log were made: entry {@code n}'s site, and the holder class and field
   * id when the JDK's generic field barrier made it. Entries are the lock set's (read by other
   * transactions too) or the read set's runs ({@link ReadSites}). Grows with the log; written
   * only by the descriptor's own thread.
   *
   * <p>A plain entry costs one int store: the holder array holds nulls above {@link #holdersTop},
   * the highest entry that got a JDK field this attempt, so nothing else is loaded or stored (no
   * reference store with its GC barriers), and only an attempt that ran JDK code clears what it
   * set, at the next {@link #clear}.
   */
  static final class SiteLog {
    private int[] sites;
    private Class<?>[] holders;
    private int[] fields;
    private int holdersTop = -1;

    SiteLog(int capacity) {
      sites = new int[capacity];
      holders = new Class<?>[capacity];
      fields = new int[capacity];
    }

    /**
     * Kept small on purpose: it is inlined into every read and lock barrier with the report on,
     * and C2 does not inline a barrier into a twin once the barrier's own compiled code passes
     * {@code InlineSmallCode} (2,500 bytes on x86-64: "already compiled into a big method").
     * The growth (three array copies) inlined here took the object read and write barriers from
     * about 1,200 to 3,200 bytes, so every barrier of the bank's twins became a call; growth and
     * the JDK holder's stores are therefore out of line ({@link #grow}, {@link #holder}).
     */
    void record(int n, int site, Class<?> holder, int field) {
      int[] s = sites;
      if (n >= s.length) {
        s = grow(n);
      }
      s[n] = site;
      if (holder != null || n <= holdersTop) {
        holder(n, holder, field);
      }
    }

    /** Entry {@code n}'s JDK field, or its clearing when it is logged again without one. */
    private void holder(int n, Class<?> holder, int field) {
      holders[n] = holder; // a reference store only around JDK code (no card mark per plain read)
      if (holder != null) {
        fields[n] = field;
        holdersTop = Math.max(holdersTop, n);
      }
    }

    /** Room for entry {@code n}: the arrays doubled (at least), the sites array last. */
    private int[] grow(int n) {
      int capacity = Math.max(n + 1, sites.length * 2);
      holders = Arrays.copyOf(holders, capacity);
      fields = Arrays.copyOf(fields, capacity);
      int[] s = Arrays.copyOf(sites, capacity);
      sites = s; // last: siteOf reads it from other threads
      return s;
    }

    /** A new attempt: no entry has a JDK field. */
    void clear() {
      if (holdersTop >= 0) {
        Arrays.fill(holders, 0, Math.min(holdersTop + 1, holders.length), null);
        holdersTop = -1;
      }
    }

    /**
     * The site of entry {@code n} (0 if unknown). Safe from any thread, and read there without
     * synchronization (another transaction naming the site of a lock this one holds): the array
     * is read once into a local, so the bounds check and the load agree and the read never
     * throws; at worst it sees an older array or a stale element, an entry of the owner's next
     * attempt, or 0 in a just-grown array. That is acceptable because the value only names a line
     * in the conflict report (a stale or unknown line, never a wrong outcome), and making it exact
     * would put a fence on every lock the owner takes while the report is on.
     */
    int siteOf(int n) {
      int[] s = sites;
      return n >= 0 && n < s.length ? s[n] : 0;
    }

    /** The JDK holder class of entry {@code n}, or null (own thread only). */
    Class<?> holderOf(int n) {
      return n >= 0 && n < holders.length ? holders[n] : null;
    }

    /** The JDK field id of entry {@code n}, meaningful when {@link #holderOf} is not null. */
    int fieldOf(int n) {
      return n >= 0 && n < fields.length ? fields[n] : 0;
    }
  }
}
