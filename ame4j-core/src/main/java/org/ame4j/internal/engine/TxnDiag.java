package org.ame4j.internal.engine;

import java.util.Arrays;

/**
 * One descriptor's diagnostic state, allocated only while the report is on
 * ({@link Diagnostics#ON}): the site of the access running now, the site (and, for the JDK's
 * generic field barrier, the holder class and field id) of each read-set entry and of each
 * lock-set entry, and what another transaction that killed this attempt said about it.
 *
 * <p>Written by its own thread, except the kill fields (volatile, written by the killer before
 * its compare-and-set of the status). Other threads read {@link #lockSiteOf} without
 * synchronization to name the site of a lock this descriptor holds: a diagnostic read,
 * bounds-checked, that may name a stale site but never fails.
 */
final class TxnDiag {
  /** Site id of the access running now (0: unknown). */
  int site;
  /** The holder class and field id the generic field barrier opened last (JDK code), or null. */
  Class<?> holder;
  int field;

  /** Per read-set entry: the site, and the JDK field (null holder: none) it was logged at. */
  int[] readSites = new int[64];
  Class<?>[] readHolders = new Class<?>[64];
  int[] readFields = new int[64];
  /** Per lock-set entry: the site at which the lock was taken, and the JDK field (or null). */
  int[] lockSites = new int[32];
  Class<?>[] lockHolders = new Class<?>[32];
  int[] lockFields = new int[32];

  /**
   * Set before a conflict abort that knows its record: by {@link Txn#contend} (the record met,
   * and its owner then), or by a read that saw the record change ({@link Txn#abortRead}; no owner).
   */
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

  /**
   * The highest read-set and lock-set entries that got a JDK field this attempt (-1: none): the
   * holder arrays hold nulls above them, so a plain read stores its site and nothing else (no
   * load of the old holder, no reference store with its GC barriers), and only an attempt that
   * ran JDK code clears what it set, at its next begin.
   */
  private int readHoldersTop = -1;
  private int lockHoldersTop = -1;

  void begin() {
    holder = null;
    if (readHoldersTop >= 0) {
      Arrays.fill(readHolders, 0, Math.min(readHoldersTop + 1, readHolders.length), null);
      readHoldersTop = -1;
    }
    if (lockHoldersTop >= 0) {
      Arrays.fill(lockHolders, 0, Math.min(lockHoldersTop + 1, lockHolders.length), null);
      lockHoldersTop = -1;
    }
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
    if (holder != null) {
      holder = null; // only after JDK code: a load and a branch per marker, not a reference store
    }
  }

  /** Read-set entry {@code n} was logged (or re-logged) now. */
  void read(int n) {
    if (n >= readSites.length) {
      int capacity = Math.max(n + 1, readSites.length * 2);
      readSites = Arrays.copyOf(readSites, capacity);
      readHolders = Arrays.copyOf(readHolders, capacity);
      readFields = Arrays.copyOf(readFields, capacity);
    }
    readSites[n] = site;
    Class<?> h = holder;
    if (h != null) {
      readHolders[n] = h; // a reference store only around JDK code (no card mark per plain read)
      readFields[n] = field;
      readHoldersTop = Math.max(readHoldersTop, n);
    } else if (n <= readHoldersTop) {
      readHolders[n] = null; // an entry logged again without a field
    }
  }

  /** Lock-set entry {@code n} is being taken now. */
  void lock(int n) {
    if (n >= lockSites.length) {
      int capacity = Math.max(n + 1, lockSites.length * 2);
      lockSites = Arrays.copyOf(lockSites, capacity);
      lockHolders = Arrays.copyOf(lockHolders, capacity);
      lockFields = Arrays.copyOf(lockFields, capacity);
    }
    lockSites[n] = site;
    Class<?> h = holder;
    if (h != null) {
      lockHolders[n] = h;
      lockFields[n] = field;
      lockHoldersTop = Math.max(lockHoldersTop, n);
    } else if (n <= lockHoldersTop) {
      lockHolders[n] = null;
    }
  }

  /** Lock-set entry {@code n} is being taken for read-set entry {@code i} (a held long reader). */
  void lockFromRead(int n, int i) {
    int here = site;
    Class<?> h = holder;
    int f = field;
    boolean logged = i < readSites.length;
    site = logged ? readSites[i] : 0;
    holder = logged ? readHolders[i] : null;
    field = logged ? readFields[i] : 0;
    lock(n);
    site = here;
    holder = h;
    field = f;
  }

  /** The site at which lock-set entry {@code j} was taken (0 if unknown); safe from any thread. */
  int lockSiteOf(int j) {
    int[] sites = lockSites;
    return j < sites.length ? sites[j] : 0;
  }
}
