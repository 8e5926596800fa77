package org.ame4j.internal.engine;

import java.util.Arrays;

/**
 * One descriptor's diagnostic state, allocated only while the report is on
 * ({@link Diagnostics#ON}): the site of the access running now, the site at which each stretch
 * of the read set and of the lock set was logged (runs: "entries from {@code from[k]} on came
 * from site {@code site[k]}"), the JDK field a generic barrier opened last, and what another
 * transaction that killed this attempt said about it.
 *
 * <p>Written by its own thread, except the kill fields (volatile, written by the killer before
 * its compare-and-set of the status). Other threads read the lock runs without synchronization
 * to name a lock's site: a diagnostic read, bounds-checked, that may name a neighbouring site but
 * never fails.
 */
final class TxnDiag {
  /** Site id of the access running now (0: unknown). */
  int site;
  int[] readFrom = new int[16];
  int[] readSite = new int[16];
  /** The JDK field opened when the run began (named at report time), or null. */
  Class<?>[] readHolder = new Class<?>[16];
  int[] readField = new int[16];
  int readRuns;

  int[] lockFrom = new int[16];
  int[] lockSite = new int[16];
  int lockRuns;

  /** The holder class and field id the generic field barrier opened last (JDK code). */
  Class<?> holder;
  int field;

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
    readRuns = 0;
    lockRuns = 0;
    holder = null;
    causeKnown = false;
    causeCell = null;
    causeOwner = null;
    killed = false;
    killerUntracked = null;
    killCell = null;
  }

  /** A new site runs: entries logged from now on belong to it. */
  void at(int site, int reads, int locks) {
    this.site = site;
    holder = null;
    readRun(reads, site, null, 0);
    if (lockRuns == 0 || lockSite[lockRuns - 1] != site) {
      if (lockRuns > 0 && lockFrom[lockRuns - 1] == locks) {
        lockSite[lockRuns - 1] = site;
      } else {
        if (lockRuns == lockFrom.length) {
          lockFrom = Arrays.copyOf(lockFrom, lockRuns * 2);
          lockSite = Arrays.copyOf(lockSite, lockRuns * 2);
        }
        lockFrom[lockRuns] = locks;
        lockSite[lockRuns] = site;
        lockRuns++;
      }
    }
  }

  /** A generic field barrier opened {@code field} of a {@code holder} (JDK code, no site of its own). */
  void field(Class<?> holder, int field, int reads) {
    if (this.holder == holder && this.field == field) {
      return;
    }
    this.holder = holder;
    this.field = field;
    readRun(reads, site, holder, field);
  }

  private void readRun(int from, int site, Class<?> holder, int field) {
    int n = readRuns;
    if (n > 0 && readFrom[n - 1] == from) {
      n--; // nothing was logged under the previous run: replace it
    } else if (n > 0 && readSite[n - 1] == site && readHolder[n - 1] == holder
        && (holder == null || readField[n - 1] == field)) {
      return;
    } else if (n == readFrom.length) {
      readFrom = Arrays.copyOf(readFrom, n * 2);
      readSite = Arrays.copyOf(readSite, n * 2);
      readHolder = Arrays.copyOf(readHolder, n * 2);
      readField = Arrays.copyOf(readField, n * 2);
    }
    readFrom[n] = from;
    readSite[n] = site;
    readHolder[n] = holder;
    readField[n] = field;
    readRuns = n + 1;
  }

  /** The run that read-set entry {@code i} belongs to, or -1. */
  int readRunOf(int i) {
    for (int k = readRuns - 1; k >= 0; k--) {
      if (readFrom[k] <= i) {
        return k;
      }
    }
    return -1;
  }

  /** The site at which lock-set entry {@code j} was taken (0 if unknown); safe from any thread. */
  int lockSiteOf(int j) {
    int[] from = lockFrom;
    int[] sites = lockSite;
    for (int k = Math.min(lockRuns, Math.min(from.length, sites.length)) - 1; k >= 0; k--) {
      if (from[k] <= j) {
        return sites[k];
      }
    }
    return 0;
  }
}
