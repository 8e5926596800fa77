package org.ame4j.internal.engine;

import java.util.Arrays;

/**
 * One descriptor's diagnostic state, allocated only while the report is on
 * ({@link Diagnostics#ON}): the site of the access running now, the site (and, for the JDK's
 * generic field barrier, the holder class and field id) of each read-set entry and of each
 * lock-set entry, and what another transaction that killed this attempt said about it.
 *
 * <p>Written by its own thread, except the kill fields (volatile, written by the killer before
 * its compare-and-set of the status). Other threads read {@code locks.siteOf} without
 * synchronization to name the site of a lock this descriptor holds ({@link SiteLog#siteOf} says
 * why that is acceptable).
 */
final class TxnDiag {
  /** Site id of the access running now (0: unknown). */
  int site;
  /** The holder class and field id the generic field barrier opened last (JDK code), or null. */
  Class<?> holder;
  int field;

  /** Per read-set entry: the site, and the JDK field (null holder: none) it was logged at. */
  final SiteLog reads = new SiteLog(64);
  /** Per lock-set entry: the site at which the lock was taken, and the JDK field (or null). */
  final SiteLog locks = new SiteLog(32);

  /** Set by {@link Txn#contend} before it aborts: the record met, and its owner then. */
  TxCell causeCell;
  int causeIndex;
  boolean causeKnown;
  Txn causeOwner;

  /** Set by a killer: its site, and the record it met (or null cell and -1: untracked code). */
  volatile int killerSite;
  volatile String killerUntracked;
  volatile TxCell killCell;
  volatile int killIndex;
  volatile boolean killed;

  void begin() {
    holder = null;
    causeKnown = false;
    causeCell = null;
    causeOwner = null;
    killed = false;
    killerUntracked = null;
    killCell = null;
  }

  /** A new site runs (the agent's marker). */
  void at(int site) {
    this.site = site;
    holder = null;
  }

  /** Read-set entry {@code n} was logged (or re-logged) now. */
  void read(int n) {
    reads.record(n, site, holder, field);
  }

  /** Lock-set entry {@code n} is being taken now. */
  void lock(int n) {
    locks.record(n, site, holder, field);
  }

  /**
   * Where the entries of one log (the read set or the lock set) were made: entry {@code n}'s
   * site, and the holder class and field id when the JDK's generic field barrier made it. Grows
   * with the log; written only by the descriptor's own thread.
   */
  static final class SiteLog {
    private int[] sites;
    private Class<?>[] holders;
    private int[] fields;

    SiteLog(int capacity) {
      sites = new int[capacity];
      holders = new Class<?>[capacity];
      fields = new int[capacity];
    }

    void record(int n, int site, Class<?> holder, int field) {
      if (n >= sites.length) {
        int capacity = Math.max(n + 1, sites.length * 2);
        holders = Arrays.copyOf(holders, capacity);
        fields = Arrays.copyOf(fields, capacity);
        sites = Arrays.copyOf(sites, capacity); // last: siteOf reads it from other threads
      }
      sites[n] = site;
      if (holder != null || holders[n] != null) {
        holders[n] = holder; // a reference store only around JDK code (no card mark per plain read)
        fields[n] = field;
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
