package org.ame4j.internal.engine;

import java.lang.reflect.Field;
import org.ame4j.internal.diag.CellNames;
import org.ame4j.internal.diag.Conflicts;
import org.ame4j.internal.diag.Events;
import org.ame4j.internal.diag.InevitableReasons;
import org.ame4j.internal.diag.Site;
import org.ame4j.internal.diag.Sites;
import org.ame4j.internal.diag.WriterSites;

/**
 * The engine's side of the conflict report ({@code -Dame4j.report=true}, read once into
 * {@link #ON}): every hook is behind {@code if (Diagnostics.ON)}, a static final the JIT folds,
 * so with the report off the engine runs exactly the code it runs without this class, and the
 * agent emits no site markers.
 *
 * <p>With the report on: the agent calls {@link #at} before each barrier of instrumented code
 * (and before each call out of it, into the JDK or ame4j's API), or passes the site to the
 * barrier of a load with a hoisted check ({@link #beforeReadElementAt}), so the descriptor knows
 * the site of what it logs ({@link TxnDiag}); a commit stores its locks' sites in
 * {@link WriterSites}; and each conflict abort becomes a {@link Conflicts} record: the kind, the
 * location (the field, array element or cell the attempt failed on), the aborted side's site,
 * the other side's (the lock owner's site for the record, or the last committed writer's), and
 * the attempt's duration as the time lost.
 *
 * <p><b>The other side's site.</b> A lock's site is kept with the lock: in the owner's
 * {@link TxnDiag#locks} at the index of its lock-set entry, written before the compare-and-set that
 * takes the lock, so whoever sees the locked word can find it. Whoever releases locks (a commit,
 * or a rollback: its new stamp invalidates readers as a commit's does) first copies their sites
 * to {@link WriterSites}, then stamps the words with release stores: a reader that sees the new
 * stamp (an acquire load) sees the site. Every abort on a record tells which record
 * ({@link #contended}, {@link #readChanged}, {@link #killing}, or the read set's first invalid
 * entry), and the report looks up that record's lock holder, else its last releaser. The lookup
 * is made when the cause is seen (the hooks), not when the abort is recorded: by then the other
 * side may have released, begun another attempt or ended its pause (session 16). It is racy on
 * purpose (no lock on any engine path): an entry may be missed or already cleared, and then the
 * last releaser is named, who stored its site before its release; a stale entry can at worst
 * name a site of an earlier attempt on the same thread. A writer aborted by a pause is named by
 * the site the pause was published with ({@link #commitPaused}).
 * A read-only array's reads are in no log: a turner that asks such a reader to abort names the
 * stripe it turns ({@link #turning}), and the reader is named by its first unchecked read of
 * that stripe ({@link TxnDiag#uncheckedSites}).
 *
 * <p>Does not promise: exact other-side lines when two records share a stripe of the orec table
 * or of {@link WriterSites} (a neighbour's site may be named), nor any line for code without
 * site ids (instrumented offline, or by the java.base patch: a JDK access is named by the
 * instrumented call into the JDK and, for fields, by the JDK class and field).
 */
public final class Diagnostics {
  /** {@code -Dame4j.report=true}: record conflicts by location and line. */
  public static final boolean ON = Boolean.getBoolean("ame4j.report");

  /**
   * {@code -Dame4j.report.unloggedReads} (default true): with the report on, read-only attempts
   * still run unlogged ({@code Txn#unlogged}) as they do with it off; false: every attempt logs
   * its reads while the report is on (sessions 7-14). What the report needs from an unlogged
   * attempt is what it needs from any attempt that loses: every abort it can have on a record is
   * named by the cause hooks ({@link #contended}, {@link #readChanged}, {@link #killing}), none
   * by its read log; a read that finds its record changed restarts it logged (no abort, nothing
   * to name). The one abort without a record, an exception it threw after the clock moved, is
   * left to its logged re-run (Atomically: not recorded), which names the record if there was one.
   */
  static final boolean UNLOGGED_READS =
      !"false".equals(System.getProperty("ame4j.report.unloggedReads"));

  /**
   * {@code -Dame4j.report.heldWrites} (default true): with the report on, element stores may be
   * held until commit ({@code ame4j.elementWrites.hold}, itself off by default) as with it off;
   * each held store keeps its site ({@link HeldElementWrites}) and its lock, taken at commit or
   * when the attempt reads the element again, names that line. False: stores lock at their site
   * while the report is on (sessions 12-14).
   */
  static final boolean HELD_WRITES = !"false".equals(System.getProperty("ame4j.report.heldWrites"));

  private Diagnostics() {}

  /**
   * Site marker: the agent emits {@code aload tx; ldc id; invokestatic at} before a site. One int
   * store into the descriptor (which also ends a JDK field: {@link TxnDiag#site}).
   */
  public static void at(Txn tx, int site) {
    tx.diag.site = site;
  }

  /**
   * {@link FieldBarriers#beforeReadElementAt} with its site marker folded in, on the slow path
   * only: the agent emits {@code aload checked; aload tx; ldc id; invokestatic beforeReadElementAt}
   * at a load site with a hoisted check (report on). A load of the array the site kept costs one
   * reference compare and checks, logs, notes and locks nothing, so it needs no site; every other
   * load stores the site before the barrier runs, as the marker did, so whatever the barrier (and
   * the {@code afterReadElement} after the load) logs, notes or aborts on is named by this line.
   * The descriptor's site after the call is therefore this one or the one before it.
   */
  public static Object beforeReadElementAt(Object array, int index, Object checked, Txn tx, int site) {
    if (array != checked) {
      tx.diag.site = site;
    }
    return FieldBarriers.beforeReadElementAt(array, index, checked, tx);
  }

  /**
   * {@code tx} logged a read (its last read-set entry): note its site ({@link TxnDiag#read}).
   * An attempt that pauses commits keeps no log (nothing it reads can change before it ends, so
   * nothing needs naming): its reads add no entry and note nothing.
   */
  static void read(Txn tx) {
    int n = tx.reads.size - 1;
    if (n >= 0) {
      tx.diag.read(n);
    }
  }

  /** {@code tx} is taking the lock of its last lock-set entry: note its site. */
  static void lock(Txn tx) {
    tx.diag.lock(tx.locks.size - 1);
  }

  /** The generic field barrier opened {@code field} of {@code holder} (JDK code has no sites). */
  static void field(Txn tx, Object holder, int field) {
    tx.diag.field(holder instanceof Class<?> c ? c : holder.getClass(), field);
  }

  static void begin(Txn tx) {
    tx.diag.begin();
  }

  /** An explicit cell was created: remember where, to name it in a conflict. */
  static void created(TxCell cell) {
    CellNames.created(cell);
  }

  /** Before the locks are released: their sites become the records' last writers. */
  static void committing(Txn tx) {
    LockSet locks = tx.locks;
    TxnDiag d = tx.diag;
    for (int j = 0; j < locks.size; j++) {
      WriterSites.wrote(WriterSites.key(locks.cells[j], locks.indexes[j]), d.locks.siteOf(j));
    }
  }

  /**
   * {@link Txn#contend} is about to abort {@code tx} on a record {@code owner} holds. The owner's
   * site for it is taken now, while the owner most likely still holds the lock: by the time the
   * abort is recorded the owner may have released it and begun another attempt, whose lock set
   * names its next task's lines.
   */
  static void contended(Txn tx, TxCell cell, int index, Txn owner) {
    TxnDiag d = tx.diag;
    d.causeKnown = true;
    d.causeCell = cell;
    d.causeIndex = index;
    d.causeSite = lockSite(owner, cell, index);
  }

  /**
   * A read of {@code tx} saw its record change before it could log it: about to abort. The
   * writer's site is taken now (its lock set if it still holds the record, else the writers'
   * table), as {@link #contended} takes it.
   */
  static void readChanged(Txn tx, TxCell cell, int index) {
    TxnDiag d = tx.diag;
    d.causeKnown = true;
    d.causeCell = cell;
    d.causeIndex = index;
    d.causeSite = otherSite(tx, cell, index);
  }

  /** {@code tx} turns stripe {@code stripe} written and waits out its unchecked readers. */
  static void turning(Txn tx, int stripe) {
    tx.diag.turning = stripe;
  }

  /**
   * {@code killer} is about to kill {@code victim} over a record (null cell, -1: untracked code,
   * or the turn of a read-only array the victim may have read unchecked).
   */
  static void killing(Txn victim, Txn killer, TxCell cell, int index, String untracked) {
    killed(victim.diag, killer.diag.site(), cell == null && untracked == null ? killer.diag.turning : -1,
        cell, index, untracked);
  }

  /** The kill's fields of {@code d}, {@code killed} last (see {@link TxnDiag#begin}). */
  private static void killed(TxnDiag d, int killerSite, int stripe, TxCell cell, int index, String untracked) {
    d.killStripe = stripe;
    d.killerSite = killerSite;
    d.killerUntracked = untracked;
    d.killCell = cell;
    d.killIndex = index;
    d.killed = true;
  }

  /**
   * {@code tx}'s commit stamp came after a long reader began pausing commits ({@link CommitPause}):
   * about to abort, its writes to be undone. Named as a kill by the paused reader: at the line of
   * the writer's first lock (its location), and the line at which the reader began its pause
   * ({@link CommitPause#holderSite}), published with the pause. Not the reader's line now: the
   * pause the writer saw may be over by now (the writer preempted between its look and this
   * call), and then no holder is left to ask (session 15 named no kill then, and the abort fell
   * through to "line unknown": CI, session 16), or the holder has moved on to another task.
   */
  static void commitPaused(Txn tx) {
    if (tx.locks.size > 0) {
      killed(tx.diag, CommitPause.holderSite(), -1, tx.locks.cells[0], tx.locks.indexes[0], null);
      tx.diag.killSeen = true; // the abort that follows is this kill's
    }
  }

  /**
   * The site of an inevitable transaction, with the line of the instrumented code that ran into
   * it when the agent's description has none ({@code java.io.PrintStream.println at Main.java:9}).
   */
  static String inevitableSite(Txn tx, String site) {
    Site here = Sites.get(tx.diag.site());
    return site.contains(".java:") || here == Site.UNKNOWN ? site : site + " at " + here.where();
  }

  /**
   * {@code tx} aborted too often and re-runs inevitable (the progress rule): listed as an
   * inevitable transaction at the line of its last abort ({@code last}, the conflict record; null
   * with the report off), with the rule as its reason, and as a JFR event.
   */
  static void forcedInevitable(Txn tx, Conflicts.Key last, boolean longReader) {
    String reason = longReader
        ? "a long reader after ame4j.longReader.aborts = " + Atomically.LONG_READER_ABORTS + " aborts"
        : "after ame4j.maxAborts = " + Atomically.MAX_ABORTS + " aborts";
    String site = (last != null ? last.aborted() : Site.UNKNOWN.where()) + " (the last abort)";
    if (ON) {
      tx.stats.recordInevitableSite(site + (longReader ? ", a long reader" : ""));
      InevitableReasons.record(site + (longReader ? ", a long reader" : ""), reason);
    }
    Events.inevitable(reason, site);
  }

  /**
   * A conflict rolls {@code tx} back after {@code lost} nanoseconds (called before the rollback:
   * its logs are intact). Returns the record's key (for the JFR event).
   */
  static Conflicts.Key aborted(Txn tx, AbortKind kind, long lost) {
    TxnDiag d = tx.diag;
    String k = kindName(kind);
    Site here = Sites.get(d.site());
    if (d.causeKnown) {
      Site other = Sites.get(d.causeSite);
      return record(k, location(d.causeCell, d.causeIndex, here, d.holder(), d.field()), here, other, lost);
    }
    if (d.killed && d.killSeen) {
      // Only an abort that honoured the kill: the kill's fields may also be set for an attempt
      // that aborts for its own reason (a killer's stale look, or a kill during its validation),
      // and naming that abort by the kill put it on the killer's record (ConflictReportIT's
      // hashmap scenario: a put's validation named HashMap.table, a record of the kill's).
      Site other = Sites.get(d.killerSite);
      if (d.killerUntracked != null) {
        // No record: the inevitable transaction stops every attempt before running code the
        // engine cannot track. Named by that call; this side's line is where the kill found it.
        return record(k, "untracked code of the inevitable transaction: " + d.killerUntracked, here, other, lost);
      } else if (d.killCell == null && d.killStripe >= 0) {
        // A turner's request: this attempt may have read the array unchecked (no log), so it is
        // named by the site of its first unchecked read of that stripe, the turner by its write.
        int s = d.killStripe;
        Site mine = (tx.uncheckedStripes & 1L << s) != 0 ? Sites.get(d.uncheckedSites[s & 63]) : here;
        String type = other.isArray() ? other.what() : mine.isArray() ? mine.what() : "array";
        return record(k, type + " (whole array: its first write)", mine, other, lost);
      } else {
        TxCell cell = d.killCell;
        int index = d.killIndex;
        int j = lockIndex(tx, cell, index);
        Site mine = Sites.get(d.locks.siteOf(j));
        return record(k, location(cell, index, mine, d.locks.holderOf(j), d.locks.fieldOf(j)), mine, other, lost);
      }
    }
    ReadSet reads = tx.reads;
    int i = reads.firstInvalid(tx.lockWord);
    if (i >= 0) {
      TxCell cell = reads.recordAt(i);
      int index = reads.slotAt(i);
      Site mine = Sites.get(d.reads.siteOf(i));
      return record(k, location(cell, index, mine, d.reads.holderOf(i), d.reads.fieldOf(i)), mine,
          Sites.get(otherSite(tx, cell, index)), lost);
    }
    // Every abort on a record is one of the above: this is an abort the engine did not tie to one
    // (an inevitable reader of the array it was about to turn written).
    return record(k, what(here, d.holder(), d.field()), here, Site.UNKNOWN, lost);
  }

  /** {@code write/write}, {@code read/write}, {@code inevitable}, {@code explicit}. */
  static String kindName(AbortKind kind) {
    return kind.name().toLowerCase().replace('_', '/');
  }

  private static Conflicts.Key record(String kind, String location, Site aborted, Site other, long lost) {
    Conflicts.Key key = new Conflicts.Key(kind, location, aborted.where(), other.where());
    Conflicts.record(key, lost);
    return key;
  }

  /** The site of the owner's lock on the record now, else the record's last committed writer. */
  private static int otherSite(Txn tx, TxCell cell, int index) {
    long word = Txn.wordOf(cell, index);
    if (Orecs.isLocked(word)) {
      Txn owner = TxnRegistry.lookup(Orecs.owner(word));
      if (owner != null && owner != tx) {
        int s = lockSite(owner, cell, index);
        if (s != 0) {
          return s;
        }
      }
    }
    return WriterSites.lastWriter(WriterSites.key(cell, index));
  }

  /**
   * The site at which {@code owner} locked the record, read racily from its lock set, else (not
   * found there, or found with no site: an entry just grown into) the record's last writer.
   */
  private static int lockSite(Txn owner, TxCell cell, int index) {
    int j = owner == null || owner.diag == null ? -1 : lockIndex(owner, cell, index);
    int s = j >= 0 ? owner.diag.locks.siteOf(j) : 0;
    return s != 0 ? s : WriterSites.lastWriter(WriterSites.key(cell, index));
  }

  /** The entry of {@code owner}'s lock set for the record, or -1 (read racily: may miss). */
  private static int lockIndex(Txn owner, TxCell cell, int index) {
    LockSet locks = owner.locks;
    TxCell[] cells = locks.cells;
    int[] indexes = locks.indexes;
    int n = Math.min(locks.size, Math.min(cells.length, indexes.length));
    for (int j = 0; j < n; j++) {
      if (cells[j] == cell && indexes[j] == index) {
        return j;
      }
    }
    return -1;
  }

  /**
   * What a record is, for people: a cell by its creation site, an array element by its type and
   * slot, an object's field or a table word by the field the site (or the JDK barrier) named.
   */
  private static String location(TxCell cell, int index, Site site, Class<?> holder, int field) {
    if (cell instanceof ArrayRecords) {
      String type = site.isArray() ? site.what() : "array";
      return index >= 0 ? type + " @ " + index : type + " (whole array)";
    }
    if (cell instanceof IntCell || cell instanceof LongCell || cell instanceof ObjectCell) {
      String name = CellNames.name(cell);
      Class<?> c = cell.getClass();
      String type = c == ObjectCell.class ? "Ref" : c == IntCell.class ? "IntRef" : c == LongCell.class ? "LongRef"
          : c.getName(); // a cell of a collection: org.ame4j.collections.TCounter$Stripe

      return type + " created at " + (name != null ? name : "line unknown");
    }
    if (cell instanceof JdkRecord) {
      return what(site, holder, field); // a JDK object's record: its field, as the table named it
    }
    if (cell instanceof TxObject && !site.isCall() && site != Site.UNKNOWN) {
      return site.what();
    }
    if (cell instanceof TxObject) {
      return cell.getClass().getName() + " (a field)";
    }
    return what(site, holder, field);
  }

  /** A field by the JDK barrier's holder and id, else what the site touches. */
  private static String what(Site site, Class<?> holder, int field) {
    if (holder != null) {
      String name = fieldName(holder, field);
      if (name != null) {
        return name;
      }
    }
    if (site == Site.UNKNOWN) {
      return "a field (line unknown)";
    }
    return site.isCall() ? "inside " + site.what() : site.what();
  }

  /** {@code java.util.HashMap.size} for the field of {@code c} (or a superclass) whose name has hash {@code id}. */
  private static String fieldName(Class<?> c, int id) {
    for (Class<?> k = c; k != null; k = k.getSuperclass()) {
      for (Field f : k.getDeclaredFields()) {
        if (f.getName().hashCode() == id) {
          return k.getName() + "." + f.getName();
        }
      }
    }
    return null;
  }
}
