package org.ame4j.internal.engine;

/**
 * One descriptor's diagnostic state, allocated only while the report is on
 * ({@link Diagnostics#ON}): the site of the access running now, the site (and, for the JDK's
 * generic field barrier, the holder class and field id) of each read-set entry and of each
 * lock-set entry, and what another transaction that killed this attempt said about it.
 *
 * <p>Written by its own thread, except the kill fields (volatile, written by the killer before
 * its compare-and-set of the status). Other threads read {@link #locks} without
 * synchronization to name the site of a lock this descriptor holds ({@link EntrySites#siteOf}).
 */
final class TxnDiag {
  /** Site id of the access running now (0: unknown). */
  int site;
  /** The holder class and field id the generic field barrier opened last (JDK code), or null. */
  Class<?> holder;
  int field;

  /** Per read-set entry and per lock-set entry: the site, and the JDK field, it was logged at. */
  final EntrySites reads = new EntrySites(64);
  final EntrySites locks = new EntrySites(32);

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

  void begin() {
    holder = null;
    reads.clear();
    locks.clear();
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
    reads.set(n, site, holder, field);
  }

  /** Lock-set entry {@code n} is being taken now. */
  void lock(int n) {
    locks.set(n, site, holder, field);
  }

  /** Lock-set entry {@code n} is being taken for read-set entry {@code i} (a held long reader). */
  void lockFromRead(int n, int i) {
    locks.set(n, reads.siteOf(i), reads.holderOf(i), reads.fieldOf(i));
  }
}
