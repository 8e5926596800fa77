package org.ame4j.internal.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import org.ame4j.internal.diag.Events;
import org.ame4j.internal.diag.InevitableReasons;

/**
 * A thread's transaction descriptor: its view of memory while a transaction runs.
 *
 * <p><b>Design.</b> Word-based STM after TL2 (Dice, Shalev, Shavit 2006) and TinySTM's
 * write-through variant (Felber, Fetzer, Riegel 2008), with LSA-style snapshot extension
 * (Riegel, Felber, Fetzer 2006):
 *
 * <ul>
 *   <li>Reads are invisible: read the ownership record, read the value, fence, re-read the
 *       record (the seqlock / {@code StampedLock.validate} pattern); log (record, word).
 *   <li>Writes lock the record at the first write (encounter time), log the old value, and write
 *       in place. Readers that meet a locked record never see the value behind it.
 *   <li>A record stamped later than the snapshot {@link #rv} triggers <em>extension</em>: re-read
 *       the clock, validate every read, and move the snapshot forward, or abort.
 *   <li>Commit: take a stamp from the {@link Clock}, validate reads unless no one committed
 *       since the snapshot, release every lock stamped with it. Read-only commits are free, so
 *       an attempt predicted read-only keeps no read log at all ({@link #unlogged}).
 *   <li>Abort: restore the undo log newest-first, release locks with a <em>new</em> stamp (the
 *       value went back, but a reader that saw the dirty value between its two record reads must
 *       see the record change: no ABA).
 * </ul>
 *
 * <p><b>Guarantees.</b> Opacity: every read is checked against the snapshot before it returns,
 * so even an attempt that will abort only ever sees states some serial order could produce.
 * Serializability: writers serialize at their commit stamp, readers at their snapshot.
 * Progress comes from the runner ({@link Atomically}): an attempt that keeps aborting is re-run
 * inevitable, and the inevitable transaction wins every conflict.
 *
 * <p><b>Contention.</b> Meeting a record locked by another transaction: the inevitable
 * transaction, and in an ordered queue the older task, <em>kill</em> the owner (compare-and-set
 * of its status) and wait for the release; everybody else waits for them. Between unordered
 * peers the later one spins briefly, then aborts itself (and backs off). Nobody ever waits for a
 * transaction that may itself be waiting for it without re-checking its own status, so there is
 * no deadlock.
 *
 * <p><b>Does not guarantee</b> isolation from code that touches the same memory outside any
 * transaction while transactions run (no strong atomicity), nor fairness between unordered peers
 * beyond the inevitable fallback.
 */
public final class Txn extends LinePadding {
  // ---- status word: (attempt << 2) | state -------------------------------------------------
  static final int ACTIVE = 0;
  static final int KILLED = 1;
  static final int IDLE = 3;

  private static final VarHandle STATUS;
  private static final VarHandle UNCHECKED;
  private static final VarHandle INEVITABLE_OWNER;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      STATUS = l.findVarHandle(Txn.class, "status", long.class);
      UNCHECKED = l.findVarHandle(Txn.class, "uncheckedStripes", long.class);
      INEVITABLE_OWNER = l.findStaticVarHandle(Txn.class, "inevitableOwner", Txn.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The one inevitable transaction, if any (at most one at a time: docs/semantics.md). */
  @SuppressWarnings("unused")
  private static volatile Txn inevitableOwner;

  /**
   * The inevitable transaction while it runs code the engine cannot track ({@link #runUntracked}),
   * alone: no other attempt runs then, and none starts until it finishes. Untracked code reads
   * and writes memory without barriers, so it must neither see another attempt's uncommitted
   * (written-through) state nor change memory under another attempt's validated reads: with
   * encounter-time write-through both would be silent (serial irrevocability, as GCC TM's
   * "serialirr" mode and PyPy-STM's inevitable transaction).
   */
  private static volatile Txn serialOwner;

  private static final int SPIN_BEFORE_ABORT = Integer.getInteger("ame4j.spin", 64);

  @SuppressWarnings("unused")
  private volatile long status = IDLE;

  private volatile AbortKind killKind = AbortKind.WRITE_WRITE;

  /**
   * The thread while it is parked waiting for its commit turn ({@link #parkForTurn}) or for a
   * peer ({@link #parkWaiting}), else null: a kill wakes it.
   */
  private volatile Thread parked;

  /** A thread parked until this descriptor's attempt ends ({@link #parkWaiting}), else null. */
  private volatile Thread waiter;

  // ---- identity ---------------------------------------------------------------------------
  final TxnStats stats = new TxnStats();
  final int id;
  /** The word this descriptor writes into the records it locks. */
  final long lockWord;
  /**
   * The word of the objects born owned by this descriptor's attempt ({@link TxObject}) in the
   * running nesting level: locked for everybody else. A write finds it with one compare and
   * needs no lock and no undo entry. An object born before a nested block began holds the word
   * of an outer level ({@link Orecs#LEVELS}), so the block's writes to it log their old values:
   * if the block fails alone, they are undone ({@link #enterNested}).
   */
  long freshWord;
  /**
   * {@link #lockWord} with {@link Orecs#OWN_BITS} set: {@code (word | Orecs.OWN_BITS) == ownWord}
   * tells a read barrier in one compare that the object is this attempt's, born (at any level)
   * or locked.
   */
  final long ownWord;

  // ---- per attempt ------------------------------------------------------------------------
  private long activeStatus;
  private long attempt;
  /** Snapshot time stamp: every read so far is consistent as of this time. */
  long rv;
  /** The newest clock value this thread has seen (commit stamp or extension). */
  private long lastClock;
  /** Flat-nesting depth: 0 when no transaction runs on this thread. */
  int depth;
  /** The depth hidden by {@link #suspend}, 0 when not suspended. */
  int suspendedDepth;
  /**
   * The running nesting level, a number no earlier level of the attempt had (0: the top level):
   * objects of the capture set ({@link FreshObjects}) are recorded with it, and a write to one
   * recorded by an earlier level logs its old value, as {@link #freshWord} does for born objects.
   */
  long level;
  /** The last number {@link #enterNested} gave out in this attempt. */
  private long levels;
  boolean inevitable;
  /**
   * This attempt keeps no read log: each read checks that its record is unlocked, unchanged
   * across the value load and no newer than {@link #rv}, and that is all (TL2's read-only
   * transactions, Dice, Shalev, Shavit 2006). Sound while the attempt writes nothing: it then
   * serializes at {@code rv}, where every value it read was current. Whatever needs the log
   * (a lock, a record newer than {@code rv}, which a logged attempt would extend past,
   * {@code retry()}) restarts the attempt logging ({@link #restartLogged}). Predicted per
   * descriptor: an attempt runs unlogged when the previous one on this thread committed without
   * writing ({@link #lastReadOnly}), never in an ordered run or inevitable. With the conflict
   * report on too (session 15, {@link Diagnostics#UNLOGGED_READS}): its aborts on a record are
   * named by the cause hooks, and an exception it throws after the clock moved (a conflict it
   * cannot name: no log, so no record) is not recorded; its logged re-run names one if there is
   * one. {@code -Dame4j.unloggedReads=false} turns it off (the A/B switch).
   */
  boolean unlogged;
  /**
   * This attempt pauses every other writer's commit and keeps no read log ({@link CommitPause}):
   * the re-run of a long reader that lost to writers ({@link #beginPaused}). It holds the
   * inevitable token; its reads need neither a log nor a lock because nothing commits until it
   * ends, and it wins conflicts as the inevitable transaction does.
   */
  boolean paused;
  /** The last attempt on this descriptor committed without writing: predicts the next one. */
  private boolean lastReadOnly;
  /** An unlogged attempt restarted: the next attempt logs its reads whatever the prediction. */
  private boolean forceLogged;

  static final boolean UNLOGGED_READS =
      Boolean.parseBoolean(System.getProperty("ame4j.unloggedReads", "true"));
  /** Set when an abort signal has been thrown, in case user code swallows it. */
  boolean doomed;
  AbortKind abortKind = AbortKind.READ_WRITE;

  /** Position in an ordered queue (smaller is older), or {@code Long.MAX_VALUE}. */
  long ticket = Long.MAX_VALUE;
  /** The queue run this task belongs to, or null for {@code Ame.atomic}. */
  CommitGate gate;
  /** Same as {@link #gate} when that run is ordered (tickets impose the commit order), else null. */
  CommitGate order;

  /**
   * Ordered runs, {@link TurnHandOver}: where this attempt's offer to the committer of its
   * predecessor stands ({@link #OFFERED}, then {@link #COMMITTED} or {@link #HANDED_BACK}, set by
   * the committer's thread); the owner's thread, to wake; the claimed commit's failure.
   */
  volatile int handOver;
  Thread handOverThread;
  Throwable handOverFailure;
  static final int OFFERED = 1;
  static final int COMMITTED = 2;
  static final int HANDED_BACK = 3;

  final ReadSet reads = new ReadSet();
  final LockSet locks = new LockSet();
  final UndoLog undo = new UndoLog();
  final Deferred deferred = new Deferred();
  final FreshObjects fresh = new FreshObjects();
  /**
   * True once this attempt put an array into {@link #fresh}: until then the element barriers skip
   * the capture-set lookup, which tasks that allocate other objects (a worklist's queued lambdas)
   * would otherwise pay on every element access (sssp: a fifth of a 1-worker profile).
   */
  boolean freshArrays;
  final BornObjects born = new BornObjects();
  final BlindUpdates blind = new BlindUpdates();
  final Atomically.RunnableBody runnableBody = new Atomically.RunnableBody();
  /** Conflict-report state ({@link Diagnostics#ON}), else null. */
  final TxnDiag diag = Diagnostics.ON ? new TxnDiag() : null;

  /** Element stores this attempt holds until commit ({@link HeldElementWrites}). */
  final HeldElementWrites heldWrites = new HeldElementWrites();
  /** {@link HeldElementWrites#bit}s of the word slots {@link #heldWrites} holds stores of. */
  long heldFilter;

  /** True while a task runs that joined another's transaction ({@link TaskBatch}). */
  boolean joined;

  /** Set when a queue task retried and was handed back: what it waits for. */
  RetryCondition retryCondition;

  // Pending plain-field read between FieldBarriers.beforeRead and afterRead: a table index, or
  // PENDING_OBJECT with the object in pendingObject, or -1 (nothing to check).
  int pendingIndex = -1;
  long pendingWord;
  TxObject pendingObject;
  static final int PENDING_OBJECT = -2;

  // Pending array-element read between ElementBarriers.beforeRead and afterRead: the stripe
  // (ArrayStripes), the slot (or ElementBarriers.NONE) and the word seen. No reference: storing
  // one into this long-lived object per read would cost a GC card mark.
  int pendingSlot = ElementBarriers.NONE;
  int pendingStripe;
  long pendingArrayWord;
  /** What {@code ElementBarriers.touch} loaded last: kept only so that the load is not dropped. */
  long touched;

  /** The number of the grace period this descriptor waits in ({@link ArrayTurns}), else 0. */
  volatile long grace;

  /**
   * The read-only stripes this descriptor's attempts may have read unchecked, as bit {@code
   * stripe & 63}: a turner waits only for running attempts with its stripe's bit ({@link
   * ArrayTurns}). Written by this thread only (a volatile store per new bit, {@link
   * #noteUnchecked}), read by turners. Kept across attempts ({@link #STICKY_STRIPES}) until a new
   * grace period has started: a superset of what the running attempt read only makes a turner
   * wait longer, and sparing the store's fence matters more (see {@link #finish}).
   */
  long uncheckedStripes;

  /**
   * The exact set of stripes read unchecked ({@link StripesRead}, {@code ame4j.exactStripes}): a
   * bit per stripe, kept and cleared with {@link #uncheckedStripes}; null when off.
   */
  final long[] stripesRead = StripesRead.newSet();

  /** Words of {@link #stripesRead} that may hold a bit, as bit {@code j & 63} (owner only). */
  long stripesReadWords;

  /**
   * {@code ame4j.stickyStripes} (default true): whether {@link #uncheckedStripes} outlives the
   * attempt that set it. A bit set once costs its volatile store (a full fence on x86) once, not
   * once per attempt: k-means' tasks read about ten read-only stripes each, sssp's and components'
   * their adjacency. A turner then also waits for a running attempt whose bit an earlier attempt
   * of the descriptor set, which is only more waiting (the bit was stored, and fenced, before
   * every later load of a published bit: the Dekker order of {@link ArrayTurns} holds). The mask
   * is cleared when an attempt ends after a grace period started since the last clearing
   * ({@link ArrayTurns#started}), so that the turns of a program's first sweeps (heat turns a row
   * per task) wait only for attempts that set the bit since.
   */
  static final boolean STICKY_STRIPES =
      Boolean.parseBoolean(System.getProperty("ame4j.stickyStripes", "true"));

  /** {@link ArrayTurns#started} when {@link #uncheckedStripes} was last cleared. */
  private long stripesEpoch;

  Txn() {
    this.id = TxnRegistry.register(this);
    this.lockWord = Orecs.lockedBy(id);
    this.freshWord = Orecs.freshOf(id, 1);
    this.ownWord = lockWord | Orecs.OWN_BITS;
    // A descriptor's first snapshot is the clock now, not 0: from 0, a new worker's first
    // attempt meets a newer record at its first read and extends, a path the JIT had seen
    // never taken, so the compiled twins were thrown away and compiled again per new thread.
    this.lastClock = Clock.now();
    reads.owner = this;
  }

  // ---- current descriptor -----------------------------------------------------------------

  /**
   * Descriptors of threads that are not {@link TxnThread}s. No initial value, so
   * {@link #active()} can look without creating one: a thread that only ever runs instrumented
   * code outside transactions (a pool thread, a virtual thread) never gets a descriptor.
   */
  private static final ThreadLocal<Txn> LOCAL = new ThreadLocal<>();

  /**
   * Set (never reset) before any thread that is not a {@link TxnThread} gets a descriptor. Until
   * then no such thread can be running a transaction, so {@link #active()} answers without a
   * ThreadLocal lookup: the main thread of a queue program runs instrumented code at almost
   * plain speed. A plain field is enough: the only thread for which a stale {@code false} would
   * be wrong is one running a transaction, and that thread wrote {@code true} itself first
   * (program order).
   */
  private static boolean otherThreadDescriptors;

  /** This thread's descriptor (created on first use). */
  public static Txn current() {
    Thread t = Thread.currentThread();
    if (t instanceof TxnThread w) {
      return w.txn;
    }
    Txn tx = LOCAL.get();
    if (tx == null) {
      otherThreadDescriptors = true;
      tx = new Txn();
      LOCAL.set(tx);
    }
    return tx;
  }

  /**
   * This thread's descriptor if a transaction is running on it, else null. Never creates a
   * descriptor: this is the check every instrumented method's prologue makes.
   */
  public static Txn active() {
    Thread t = Thread.currentThread();
    Txn tx;
    if (t instanceof TxnThread w) {
      tx = w.txn;
    } else if (!otherThreadDescriptors) {
      return null;
    } else {
      tx = LOCAL.get();
    }
    return tx != null && tx.depth > 0 ? tx : null;
  }

  /**
   * Hides the running transaction from this thread until {@link #resume}: {@link #active()}
   * returns null in between, so code runs plainly, untracked and not rolled back. The agent
   * wraps every static initializer in this pair, because the JVM runs a class's initializer
   * once, whichever transaction triggers it, and an abort signal escaping an initializer would
   * leave the class erroneous forever (JLS §12.4.2). Starting a transaction or a queue run while
   * suspended is refused ({@link #checkNotSuspended}): the descriptor is still in use.
   *
   * @return the depth to pass to {@link #resume}; 0 (and nothing done) if none was running
   */
  public int suspend() {
    int d = depth;
    if (d > 0) {
      depth = 0;
      suspendedDepth = d;
    }
    return d;
  }

  /** Undoes {@link #suspend}; {@code suspendedDepth} is what it returned. */
  public void resume(int suspendedDepth) {
    if (suspendedDepth > 0) {
      this.suspendedDepth = 0;
      depth = suspendedDepth;
    }
  }

  /** Throws if this thread's transaction is suspended (see {@link #suspend}). */
  public static void checkNotSuspended(String what) {
    Thread t = Thread.currentThread();
    Txn tx = t instanceof TxnThread w ? w.txn : LOCAL.get();
    if (tx != null && tx.suspendedDepth > 0) {
      throw new IllegalStateException(what + " inside a static initializer that a transaction"
          + " triggered: initializers run outside transactions (once, never rolled back), and"
          + " this thread's transaction is still open; move the work out of the initializer");
    }
  }

  /** Flat-nesting depth of the running transaction; 0 when none runs on this thread. */
  public int depth() {
    return depth;
  }

  /**
   * Moves the stores this attempt holds until commit into their arrays ({@link
   * HeldElementWrites#applyAll}): called before a rollback mark is taken, so that a rollback to
   * it (a nested block's, a joined task's) cannot undo them.
   */
  void applyHeldWrites() {
    if (heldWrites.size > 0) {
      heldWrites.applyAll(this);
    }
  }

  /**
   * Enters a nested block (flat nesting): what the attempt allocated so far now belongs to an
   * outer level, so the block's writes to it log their old values (no lock: it is still nobody
   * else's) and a failure of the block alone undoes them; what the block allocates needs no log.
   * Returns the level to pass to {@link #leaveNested}.
   */
  long enterNested() {
    long outer = level;
    level = ++levels;
    freshWord = Orecs.freshOf(id, ++depth);
    return outer;
  }

  /**
   * Leaves a nested block entered when {@link #born} held {@code bornMark} objects: what the
   * block allocated now belongs to the enclosing level (its writes need no log again). Only the
   * block's own born objects are re-stamped, so each allocation costs one store per level it
   * leaves, however many blocks the attempt runs.
   */
  void leaveNested(int bornMark, long outer) {
    long inner = freshWord;
    freshWord = Orecs.freshOf(id, --depth);
    level = outer;
    if (born.size > bornMark) {
      born.restamp(bornMark, inner, freshWord);
    }
  }

  /**
   * The number of this descriptor's current (or last) attempt: equal for everything that ran in
   * one attempt, several queue tasks included ({@link TaskBatch}). For the history checker.
   */
  public long attemptNumber() {
    return attempt;
  }

  public boolean isInevitable() {
    return inevitable;
  }

  /**
   * False once the attempt is inevitable for a reason that forbids rolling back (asked for, or
   * untracked code ran); true while it is optimistic, or inevitable only by the engine's choice.
   */
  public boolean canRollBack() {
    return !inevitable || held || revocable;
  }

  /**
   * The running attempt, already inevitable, is asked to stay so ({@code Ame.inevitable()}):
   * from here irrevocable things may happen, so it may no longer roll back for {@code retry()}.
   */
  public void pinInevitable() {
    held = false;
    revocable = false;
  }

  // ---- lifecycle (driven by Atomically) ---------------------------------------------------

  void begin() {
    if (Diagnostics.ON) {
      // Before the status says ACTIVE: a killer that sees the new attempt writes what it kills
      // it for after this clear, never before (else the report lost it: "line unknown").
      Diagnostics.begin(this);
    }
    for (; ; ) {
      attempt++;
      activeStatus = attempt << 2; // state ACTIVE
      // A volatile store, then a volatile load of serialOwner: with runUntracked's volatile store
      // of serialOwner then load of every status (Dekker), either this attempt sees the serial
      // one and steps aside, or the serial one sees this attempt and waits for it to end.
      STATUS.setVolatile(this, activeStatus);
      if (serialOwner == null) {
        break;
      }
      STATUS.setRelease(this, activeStatus | IDLE);
      for (int i = 0; serialOwner != null; i++) {
        Backoff.pause(i);
      }
    }
    depth = 1;
    freshWord = Orecs.freshOf(id, 1);
    level = 0;
    levels = 0;
    doomed = false;
    inevitable = false;
    pauseLost = false;
    // The last clock value this thread saw, not a fresh read: any past time is a valid snapshot
    // (a location written since has a newer version and triggers extension), and not reading
    // the clock here spares every transaction a miss on the clock's cache line, which the other
    // cores' commits keep taking away. Locations written long ago, the common case in a large
    // data set, then need no clock read at all.
    rv = lastClock;
    unlogged = false;
    if (UNLOGGED_READS && (!Diagnostics.ON || Diagnostics.UNLOGGED_READS) && lastReadOnly
        && !forceLogged && order == null) {
      // No extension without a log: a fresh snapshot, so that a record written since this
      // thread's last look at the clock does not restart the attempt.
      unlogged = true;
      rv = Clock.now();
      lastClock = rv;
    }
    reads.logging(!unlogged);
    early = false;
    if (!unlogged && PAUSE_IN_PLACE && order == null && !noPauseInPlaceForTesting) {
      early = earlyPause && earlyCredit > 0;
      reads.pauseAt(early ? EARLY_READS : Atomically.LONG_READER_READS);
    }
    forceLogged = false;
  }

  /**
   * {@code ame4j.longReader.pauseInPlace} (default true): a logged attempt whose read log reaches
   * {@code ame4j.longReader.reads} entries before it wrote anything pauses commits from there on
   * ({@link #pauseInPlace}); false: long readers pause only in a re-run (the A/B switch).
   */
  static final boolean PAUSE_IN_PLACE = Atomically.LONG_READER_PAUSE
      && Boolean.parseBoolean(System.getProperty("ame4j.longReader.pauseInPlace", "true"));

  /**
   * {@code ame4j.longReader.pauseInPlace.contended} (default false): pause in place also when
   * another transaction committed since the snapshot (the log is then validated at the pause).
   * Off: such a reader runs on logged, as before ({@link #pauseInPlace} says why). Not final:
   * the tests of the contended path set it (read once per long reader).
   */
  static boolean pauseContended = Boolean.getBoolean("ame4j.longReader.pauseInPlace.contended");

  /**
   * Tests of the other long-reader paths (a re-run that pauses, the hold at an extension) set
   * it while they run: they commit from another thread in the middle of a long read, which an
   * in-place pause would make wait for the reader. One static load per begin.
   */
  static boolean noPauseInPlaceForTesting;

  /** Run by {@link #pauseInPlace} just before the pause is published (tests: a commit there). */
  static Runnable beforePauseForTesting;

  /**
   * This attempt lost its in-place pause ({@link #pauseInPlace}) to a commit: its re-run pauses
   * from the start (Atomically), set until the next attempt begins.
   */
  boolean pauseLost;

  /**
   * {@code ame4j.longReader.early} (default false, see below): a descriptor whose
   * recent attempts included a
   * long reader ({@link #earlyCredit}) pauses in place at {@link #EARLY_READS} reads instead of
   * {@code ame4j.longReader.reads}, and also when the clock moved since its snapshot (the few
   * entries logged so far are validated at the pause). Why: on two workers the clock almost
   * always moves during a long reader's first 256 reads (a transfer commits every few hundred
   * nanoseconds), so without it an audit ran logged to its end and lost (twice, before a paused
   * re-run); validating 256 entries at the pause also fails nearly always (a transfer wrote one
   * of them), 32 entries seldom. The same protocol on one worker (there the clock has not moved:
   * the pause validates nothing). False: every long reader pauses at
   * {@code ame4j.longReader.reads}, and only where nobody committed. Not final: its tests turn it
   * on whatever the default (one static load per begin).
   *
   * <p>Off by default because it is wrong somewhere: in the lead's quiet A/B (session 16, the
   * corpus bank on 2 workers at bench size, parallelism probes 1.96-1.98) 3 of 5 runs with it on
   * had an audit that saw a total other than the bank's, none with it off: some interleaving of
   * the early pause with a committing transfer breaks the audit's snapshot, and EarlyPauseTest
   * did not force it. Found the same session (the pause's pending read was checked before the
   * pause was published; {@link #pauseInPlace}); with the fix, 4 runs with it on kept the check
   * and aborted 10x less, but ran no faster: off until a quiet A/B says otherwise.
   */
  static boolean earlyPause = PAUSE_IN_PLACE
      && Boolean.parseBoolean(System.getProperty("ame4j.longReader.early", "false"));

  /** {@code ame4j.longReader.earlyReads} (default 32): where a predicted long reader pauses. */
  static final int EARLY_READS = Math.max(1, Integer.getInteger("ame4j.longReader.earlyReads", 32));

  /** What a long reader gives {@link #earlyCredit}: false early pauses tolerated before it lapses. */
  static final int EARLY_CREDIT = 4;

  /**
   * The history that predicts a long reader ({@link #earlyPause}), per descriptor: set to
   * {@link #EARLY_CREDIT} whenever an attempt of this descriptor reads
   * {@code ame4j.longReader.reads} records before writing (at that read, whatever follows), and
   * lowered by one whenever an early pause turns out to be a short attempt (it ended below that
   * many reads: it paused others' commits for nothing). So a task that reads a few dozen records
   * before writing pauses at most {@link #EARLY_CREDIT} times per real long reader. Per
   * descriptor, not per task site: the bank's audits and transfers are one lambda, and no site
   * reaches the engine without the conflict report; a transfer (two reads, then a write) never
   * reaches the early threshold, so it neither pauses nor uses the credit. Thread-confined.
   */
  private int earlyCredit;

  /** Sets this descriptor's {@link #earlyCredit} (tests that need a known history: none, or some). */
  void earlyCreditForTesting(int credit) {
    earlyCredit = credit;
  }

  /** This attempt pauses in place at {@link #EARLY_READS} ({@link #earlyCredit} was positive at begin). */
  private boolean early;

  /** This attempt paused in place at {@link #EARLY_READS} (for {@link #noteLongReader}). */
  private boolean pausedEarly;

  /**
   * Called by the read log when it reaches {@code ame4j.longReader.reads} entries
   * ({@link ReadSet#pauseAt}), before it appends the pending entry ({@code pendingCell},
   * {@code pendingIndex} as {@link ReadSet#add} takes them; {@code pendingWord}: the word its
   * read saw): a long reader that has written nothing yet becomes a
   * paused attempt ({@link CommitPause}) in place, so its further reads need no log (the corpus
   * bank's audit: 1,024 logged object reads per audit were a third of the worker). Only if no
   * transaction committed since its snapshot (unless {@link #pauseContended}): writers that
   * commit meanwhile would wait at their commit for the rest of this attempt, and a paused
   * holder descheduled on a loaded machine keeps them waiting (measured: two workers' CPU up to
   * 1.8x with the pause taken regardless); where nobody commits, the pause costs nobody
   * anything. It takes the inevitable token (only if free: the attempt runs on logged
   * otherwise), publishes the pause, then reads the clock as {@link #beginPaused} does; from
   * then on no writer commits before this attempt ends. If the clock still says {@code rv},
   * nothing committed since the snapshot and every value read so far is current; else the log
   * is validated once, now, and a failure aborts the attempt (a real conflict), whose re-run
   * pauses from the start. Returns true if the attempt now pauses: its log is cleared and off,
   * as a paused attempt's. The same with the conflict report on: an attempt that paused cannot
   * lose to a writer any more, so it needs no read sites to be named by; a lost pause is named
   * as a failed validation is, by the log's first changed entry, or by the pending read.
   */
  boolean pauseInPlace(ReadSet log, TxCell pendingCell, int pendingIndex, long pendingWord) {
    boolean wrote = locks.size != 0 || blind.size != 0;
    if (earlyPause && !early && !wrote) {
      earlyCredit = EARLY_CREDIT; // a long reader: this descriptor's next ones pause early
    }
    if (wrote || inevitable || paused || unlogged
        || (!pauseContended && !early && Clock.now() != rv)
        || !INEVITABLE_OWNER.compareAndSet(null, this)) {
      return false;
    }
    if (beforePauseForTesting != null) {
      beforePauseForTesting.run();
    }
    paused = true; // finish() ends the pause and returns the token, whatever happens next
    CommitPause.start(this);
    long now = Clock.now();
    // The pending read is checked here, after the pause's publication and the clock read, like
    // the log: checked before (session 15), a transfer that committed to its record in between
    // left a stale value behind a pause that trusted it, and the audit saw half of the transfer
    // (the corpus bank's check failed with the early pause, session 16).
    boolean pendingValid = now == rv || ReadSet.wordNow(pendingCell, pendingIndex) == pendingWord;
    if (now != rv && !(pendingValid && log.isValid(lockWord))) {
      pauseLost = true;
      stats.pausesLost++;
      if (Diagnostics.ON && !pendingValid && log.firstInvalid(lockWord) < 0) {
        // The read being appended is the one that changed: the report names its record (else
        // the log's first invalid entry, as at any validation).
        Diagnostics.readChanged(this, ReadSet.recordOf(pendingCell, pendingIndex), ReadSet.slotOf(pendingIndex));
      }
      abort(AbortKind.READ_WRITE);
    }
    rv = now;
    lastClock = now;
    int read = log.size;
    log.clear();
    log.logging(false);
    log.unloggedReads = read; // counted on while unlogged (noteLongReader)
    pausedEarly = early;
    if (early) {
      stats.earlyPauses++;
    }
    stats.pausedReaders++;
    return true;
  }

  /**
   * At the end of a paused attempt ({@link #finish}): one that read
   * {@code ame4j.longReader.reads} records renews {@link #earlyCredit}; an early pause that
   * read fewer was a false prediction and lowers it.
   */
  private void noteLongReader() {
    if (reads.unloggedReads >= Atomically.LONG_READER_READS) {
      earlyCredit = EARLY_CREDIT;
    } else if (pausedEarly) {
      earlyCredit--;
      stats.earlyPausesShort++;
    }
    pausedEarly = false;
  }

  /**
   * Restarts an unlogged attempt ({@link #unlogged}) as a logged one: it read without a log and
   * now needs one. Nothing was written, so the re-run costs only the reads made so far.
   */
  private void restartLogged() {
    forceLogged = true;
    doomed = true;
    abortKind = AbortKind.READ_WRITE; // if user code swallows the signal, commit aborts
    throw ControlSignal.RESTART_LOGGED;
  }

  /**
   * Starts this attempt as the inevitable transaction, waiting for the token if needed (idle
   * while it waits: the holder may be waiting for every running attempt to end).
   */
  void beginInevitable() {
    acquireInevitableToken();
    begin();
    unlogged = false; // the inevitable transaction locks what it reads
    reads.logging(true);
    inevitable = true;
    revocable = true; // the engine's choice: nothing irrevocable has run yet
    rv = Clock.now();
    stats.inevitable++;
  }

  /**
   * Starts this attempt pausing commits ({@link CommitPause}): the inevitable token first (idle
   * while it waits, as {@link #beginInevitable}), then the pause, then the snapshot, in that
   * order (the pause's volatile store before the clock read: see {@link CommitPause}).
   */
  void beginPaused() {
    acquireInevitableToken();
    begin();
    unlogged = false;
    reads.logging(false); // nothing it reads can change before it commits: no log to validate
    paused = true;
    CommitPause.start(this);
    rv = Clock.now();
    lastClock = rv;
  }

  /**
   * True while this attempt is inevitable only because the engine started it so after too many
   * aborts ({@link #beginInevitable}) and nothing irrevocable has run: it may still roll back,
   * so {@code retry()} re-runs it optimistically (see {@link #retry}). Cleared where inevitability
   * is asked for ({@link #becomeInevitable}: {@code Ame.inevitable()}, untracked code).
   */
  private boolean revocable;

  private void acquireInevitableToken() {
    for (int i = 0; !INEVITABLE_OWNER.compareAndSet(null, this); i++) {
      Backoff.pause(i);
    }
  }

  /**
   * Commits this attempt or throws the abort signal (the caller then calls {@link #rollback}).
   * On return, the writes are visible and every lock is released.
   */
  void commit() {
    if (doomed) {
      throw ControlSignal.ABORT;
    }
    if (blind.hasPending()) {
      blind.flushAll(this); // at the serialization point (after an ordered run's turn), before the stamp
    }
    if (heldWrites.size > 0) {
      heldWrites.lockAll(this); // before the stamp, as encounter-time locks are
    }
    if (locks.size == 0) {
      // Read-only: serialized at the snapshot, unless the commit order is imposed from outside
      // (ordered queue), in which case the reads must still hold now.
      if (order != null && !inevitable && Clock.now() != rv && !reads.isValid(lockWord)) {
        abort(AbortKind.READ_WRITE);
      }
      if (born.size > 0) {
        born.releaseAll(freshWord, rv);
      }
      lastReadOnly = true;
      finish();
      return;
    }
    lastReadOnly = false;
    // A kill is only a request to free our locks soon; committing frees them as well as
    // aborting does, and a killer re-reads the record afterwards (it serializes after us). So
    // no compare-and-set of the status is needed here: honour a kill seen now, that is all.
    checkAlive();
    CommitPause.awaitBeforeStamp(this);
    long wv = Clock.tick();
    lastClock = wv;
    if (CommitPause.heldAgainst(this)) {
      if (Diagnostics.ON) {
        Diagnostics.commitPaused(this);
      }
      abort(AbortKind.READ_WRITE); // a pause began between the wait and the stamp: after it, not before
    }
    if (BrokenForTesting.RELEASE_LOCKS_EARLY) {
      locks.releaseAll(lockWord, wv);
      BrokenForTesting.maybeStall(); // the dirty values exposed a little longer: caught sooner
    }
    if (!inevitable && wv != rv + 1 && !reads.isValid(lockWord)) {
      abort(AbortKind.READ_WRITE);
    }
    if (blind.hasLocked()) {
      blind.addLocked(); // the held element adds, under the locks flushAll took: nothing undoes them
    }
    if (born.size > 0) {
      born.releaseAll(freshWord, wv); // before the locks: whoever reaches them finds them free
    }
    if (Diagnostics.ON) {
      Diagnostics.committing(this);
    }
    if (heldWrites.size > 0) {
      heldWrites.storeAll(); // validated, under the locks
    }
    locks.releaseAll(lockWord, wv);
    finish();
    RetryWaiters.commitHappened();
  }

  /** The word the last {@link #rollback} left in the records it unlocked (for retry). */
  long releasedWord;

  /** Undoes every write of this attempt and releases its locks. Safe to call at any point. */
  void rollback() {
    undo.rollbackTo(0);
    if (born.size > 0) {
      born.releaseAll(freshWord, lastClock); // garbage, unless an exception carries one out
    }
    if (locks.size > 0) {
      long stamp = Clock.tick();
      releasedWord = Orecs.unlocked(stamp);
      if (Diagnostics.ON) {
        // The new stamp invalidates readers of these records as a commit would: name this
        // attempt's lines as their other side, or a reader aborted by it finds "line unknown".
        Diagnostics.committing(this);
      }
      locks.releaseAll(lockWord, stamp);
      RetryWaiters.commitHappened();
    }
    finish();
  }

  private void finish() {
    if (uncheckedStripes != 0 && (!STICKY_STRIPES || ArrayTurns.started() != stripesEpoch)) {
      uncheckedStripes = 0; // before the status: nothing of this attempt reads after it
      if (StripesRead.ON) {
        StripesRead.clear(this);
      }
      stripesEpoch = ArrayTurns.started();
    }
    STATUS.setRelease(this, activeStatus | IDLE);
    reads.clear();
    undo.clear();
    if (heldFilter != 0) {
      heldWrites.clear();
      heldFilter = 0;
    }
    fresh.clear();
    freshArrays = false;
    blind.clear();
    pendingIndex = -1;
    pendingObject = null;
    pendingSlot = ElementBarriers.NONE;
    depth = 0;
    if (paused) {
      paused = false;
      if (earlyPause) {
        noteLongReader();
      }
      CommitPause.end(this); // after the locks' release (commit, rollback)
      INEVITABLE_OWNER.setRelease((Txn) null);
    }
    if (inevitable) {
      inevitable = false;
      held = false;
      revocable = false;
      if (serialOwner == this) {
        serialOwner = null;
      }
      INEVITABLE_OWNER.setRelease((Txn) null);
    }
    wakeWaiter(); // after the status, the locks and a pause are let go: the waiter finds them so
  }

  /** This descriptor's status word now: {@code (attempt << 2) | state}. */
  long statusWord() {
    return (long) STATUS.getVolatile(this);
  }

  /**
   * Publishes {@code bit} of {@link #uncheckedStripes} before this attempt's first unchecked read
   * of a stripe with that bit, then returns whether {@code stripe} is published now: the volatile
   * store and the load are the reader's half of the Dekker pattern with a turner's publication
   * and status/bits loads, so either the turner waits for this attempt or the read sees the words.
   */
  boolean noteUnchecked(int stripe) {
    if (BrokenForTesting.STALL_UNCHECKED_READS) {
      BrokenForTesting.maybeStall(); // after the caller found the stripe read-only: a wider window
    }
    if (StripesRead.ON) {
      uncheckedStripes |= 1L << stripe; // the mask: only this thread reads it then
      StripesRead.note(this, stripe); // the fenced store a turner loads
    } else {
      UNCHECKED.setVolatile(this, uncheckedStripes | 1L << stripe);
    }
    if (Diagnostics.ON) {
      diag.unchecked(stripe); // a turner that asks this attempt to abort: this read's line
    }
    return ArrayStripes.published(stripe);
  }

  /**
   * True if the running attempt may have read a read-only stripe with {@code bit} unchecked (or
   * an attempt since the bits were last cleared did: a superset, see {@link #uncheckedStripes}).
   */
  boolean mayHaveReadUnchecked(long bit) {
    return ((long) UNCHECKED.getVolatile(this) & bit) != 0;
  }

  /**
   * True if the running attempt may have read stripe {@code s} unchecked: its exact bit
   * ({@link StripesRead}), or with the exact set off its mask's bit.
   */
  boolean mayHaveReadStripe(int s) {
    return StripesRead.ON ? StripesRead.mayHave(this, s) : mayHaveReadUnchecked(1L << s);
  }

  /** True if {@code status} is an attempt's (running, or killed and not yet ended). */
  static boolean isRunning(long status) {
    return (status & IDLE) != IDLE;
  }

  /** True while the attempt whose running status was {@code active} has not ended. */
  boolean isInAttempt(long active) {
    long s = (long) STATUS.getVolatile(this);
    return s == active || s == (active | KILLED);
  }

  /** Asks this descriptor's attempt to abort for {@code killer} (never the inevitable one). */
  void requestAbort(Txn killer) {
    if (Diagnostics.ON) {
      Diagnostics.killing(this, killer, null, -1, null);
    }
    kill(this, killer.inevitable ? AbortKind.INEVITABLE : AbortKind.READ_WRITE);
  }

  /** Validates the read set now (used before trusting an exception thrown by user code). */
  boolean isConsistentNow() {
    if (unlogged) {
      // No commit since the snapshot: every value read is still the committed one (a writer
      // that overwrote one after it was read ticks the clock past rv when it ends).
      if (!doomed && Clock.now() == rv) {
        return true;
      }
      forceLogged = true;
      return false;
    }
    return !doomed && (inevitable || reads.isValid(lockWord));
  }

  // ---- aborts and contention --------------------------------------------------------------

  /** Dooms this attempt and unwinds it. */
  RuntimeException abort(AbortKind kind) {
    abortKind = kind;
    doomed = true;
    throw ControlSignal.ABORT;
  }

  /**
   * {@link #abort} for a read whose record ({@link #wordOf}'s {@code cell}, {@code index}) changed
   * between the barrier's two looks at it: the conflict report learns which record, to name the
   * line of the writer that changed it.
   */
  RuntimeException abortRead(TxCell cell, int index) {
    if (Diagnostics.ON) {
      Diagnostics.readChanged(this, cell, index);
    }
    return abort(AbortKind.READ_WRITE);
  }

  /** Throws the abort signal if another transaction killed this attempt. */
  /**
   * True while this attempt's status says running (not killed, not ended): {@link #checkAlive}
   * without the abort, for an owner whose finished attempt another thread may be committing
   * ({@link TurnHandOver}): it must not write its descriptor then.
   */
  boolean alive() {
    return (long) STATUS.getVolatile(this) == activeStatus || inevitable;
  }

  void checkAlive() {
    if ((long) STATUS.getVolatile(this) != activeStatus && !inevitable) {
      if (Diagnostics.ON) {
        diag.killSeen = true; // this abort is the kill's: the report may name it by the killer
      }
      abort(killKind);
    }
  }

  /** Asks the owner of a record to abort; harmless if it already moved on. */
  private static void kill(Txn victim, AbortKind why) {
    long s = (long) STATUS.getVolatile(victim);
    if ((s & 3) == ACTIVE && !victim.inevitable) {
      victim.killKind = why;
      if (STATUS.compareAndSet(victim, s, s | KILLED)) {
        // A victim parked for its turn or a peer holds locks we may be waiting for: wake it.
        Thread parked = victim.parked;
        if (parked != null) {
          LockSupport.unpark(parked);
        }
      }
    }
  }

  /**
   * Parks this attempt's thread while it waits for its commit turn in {@code order}: until the
   * hand-off, a stop of the run or a kill wakes it (or {@link Backoff#TURN_PARK_NANOS} pass). The
   * thread is published before the status is checked, and a killer changes the status before
   * reading it (both volatile), so a kill never goes unnoticed for the whole park.
   */
  void parkForTurn(CommitGate order, long ticket) {
    parked = Thread.currentThread();
    if ((long) STATUS.getVolatile(this) == activeStatus) {
      order.parkForTurn(ticket, Backoff.TURN_PARK_NANOS);
    }
    parked = null;
  }

  /**
   * Parks this attempt's thread for at most {@code nanos} in a wait ({@link Backoff#await}), as
   * {@link #parkForTurn} does: a kill wakes it. With a {@code peer} whose attempt still has the
   * running status {@code peerStatus}, also asks the peer to wake it when that attempt ends
   * ({@link #wakeWaiter}). The peer reads its waiter after its status store, without a fence
   * between them, so a wake-up may be missed: the park's bound covers it.
   */
  void parkWaiting(long nanos, Txn peer, long peerStatus) {
    Thread self = Thread.currentThread();
    parked = self;
    if (peer != null) {
      peer.waiter = self;
    }
    if ((long) STATUS.getVolatile(this) == activeStatus
        && (peer == null || peer.isInAttempt(peerStatus))) {
      LockSupport.parkNanos(this, nanos);
    }
    parked = null;
  }

  /** At the end of an attempt: wakes the thread parked until it ended, if any. */
  private void wakeWaiter() {
    Thread w = waiter;
    if (w != null) {
      waiter = null;
      stats.waitWakeups++;
      LockSupport.unpark(w);
    }
  }

  /**
   * Handles a record {@code word} locked by another transaction: returns when the caller should
   * look at the record again, or aborts this attempt.
   */
  private void contend(TxCell cell, int index, long word, boolean writing) {
    AbortKind kind = writing ? AbortKind.WRITE_WRITE : AbortKind.READ_WRITE;
    Txn owner = TxnRegistry.lookup(Orecs.owner(word));
    if (owner == null) {
      Thread.onSpinWait();
      return;
    }
    if (inevitable || paused || (order != null && owner.order == order && ticket < owner.ticket)) {
      if ((inevitable || paused) && spinUntilChanged(cell, index, word)) {
        return; // a short writer finished on its own: nobody had to abort
      }
      long ownerStatus = (long) STATUS.getVolatile(owner);
      if (Diagnostics.ON) {
        Diagnostics.killing(owner, this, cell, index, null);
      }
      kill(owner, inevitable || paused ? AbortKind.INEVITABLE : kind);
      awaitChange(cell, index, word, owner, ownerStatus);
      return;
    }
    if (owner.inevitable || owner.paused || (order != null && owner.order == order)) {
      // The owner has priority over us: wait, re-checking that nobody kills us meanwhile.
      awaitChange(cell, index, word, owner, (long) STATUS.getVolatile(owner));
      return;
    }
    if (!spinUntilChanged(cell, index, word) && !waitForOwner(cell, index, word, owner)) {
      if (Diagnostics.ON) {
        Diagnostics.contended(this, cell, index, owner);
      }
      abort(owner.inevitable ? AbortKind.INEVITABLE : kind);
    }
  }

  /** {@code ame4j.waitForOwner}: whether {@link #waitForOwner} waits at all (the A/B switch). */
  static final boolean WAIT_FOR_OWNER =
      Boolean.parseBoolean(System.getProperty("ame4j.waitForOwner", "true"));

  /**
   * What waiting for an owner may cost per entry of the waiter's work ({@link #waitForOwner}):
   * {@code ame4j.waitNanosPerEntry}, 100 ns by default.
   */
  static final long WAIT_NANOS_PER_ENTRY = Long.getLong("ame4j.waitNanosPerEntry", 100);

  /** The longest wait for an owner, whatever the waiter's work: 10 ms. */
  static final long MAX_OWNER_WAIT_NANOS = 10_000_000L;

  /**
   * After the spin, decides between waiting longer for a peer's lock and aborting, by ski rental
   * (the contention manager's classic 2-competitive rule, as in Scherer and Scott's Karma/Polka,
   * PODC 2005): an abort throws away this attempt's work, so waiting is worth up to about as long
   * as that work took. The work is counted in what the attempt logged and allocated (reads,
   * locks, undo entries, objects born owned), {@link #WAIT_NANOS_PER_ENTRY} ns each, at most
   * {@value #MAX_OWNER_WAIT_NANOS} ns: no clock read per attempt, only when a wait starts. A coarse
   * task (json: a whole parse, then a fold into shared maps whose nodes another fold holds for
   * tens of microseconds) waits the fold out instead of re-running its parse; a short task (a
   * transfer, a relaxation) has almost nothing to lose and aborts after the spin as before.
   * Yields, then parks until the owner's attempt ends ({@link Backoff#await}): on a busy machine
   * the owner may be the one that needs the core, or be off it for a time slice.
   *
   * <p>True if the record left {@code word} or the owner moved on to another attempt (the caller
   * looks again); false when the budget ran out. A kill ends the wait ({@link #checkAlive}), so
   * an inevitable transaction that needs our records is never held up by it. Two peers waiting
   * for each other's records: the higher id gives way at its next look, and the lower one waits
   * for that without a budget (the higher one is inside this loop, which looks at least once per
   * park, {@link Backoff#MAX_PARK_NANOS}, and it is woken): bounded, never a deadlock.
   */
  private boolean waitForOwner(TxCell cell, int index, long word, Txn owner) {
    if (!WAIT_FOR_OWNER) {
      return false;
    }
    long budget = Math.min(MAX_OWNER_WAIT_NANOS, (long) workEntries() * WAIT_NANOS_PER_ENTRY);
    if (budget < WAIT_NANOS_PER_ENTRY * SPIN_BEFORE_ABORT) {
      return false; // a short attempt: re-running it costs less than the wait would
    }
    stats.ownerWaits++;
    long ownerStatus = (long) STATUS.getVolatile(owner);
    long start = System.nanoTime();
    waitsFor = owner;
    try {
      for (int round = Backoff.SPINS; ; round++) { // spinUntilChanged was the spin phase
        boolean cycle = owner.waitsFor == this;
        if (cycle && id > owner.id) {
          stats.ownerWaitCycles++;
          return false; // each holds what the other waits for: the higher id gives way at once
        }
        if (cycle) {
          // The owner gives way at its next look (above, from its side): wake it if it is
          // parked, and do not time out meanwhile. Timing out here would throw away the attempt
          // that was meant to win, only because the loser was off its core (a loaded machine).
          Thread ownerThread = owner.parked;
          if (ownerThread != null) {
            LockSupport.unpark(ownerThread);
          }
        }
        Backoff.await(round, this, owner, ownerStatus);
        checkAlive();
        if (wordOf(cell, index) != word || (long) STATUS.getVolatile(owner) != ownerStatus) {
          return true;
        }
        if (!cycle && System.nanoTime() - start >= budget) {
          stats.ownerWaitTimeouts++;
          return false;
        }
      }
    } finally {
      waitsFor = null;
    }
  }

  /**
   * The peer whose lock this descriptor waits for in {@link #waitForOwner}, else null: two peers
   * that wait for each other's records see it, and the one with the higher id aborts at once
   * instead of both waiting out their budgets (reads that lock, {@link RecordBarriers#openReadForWrite},
   * make such cycles possible wherever two folds take the same nodes in different orders).
   */
  volatile Txn waitsFor;

  /** What this attempt would lose to an abort, in entries: logged, locked, undone, born. */
  private int workEntries() {
    return reads.size + locks.size + undo.size + born.size;
  }

  /** Spins up to {@code ame4j.spin} rounds for the record to leave {@code word}; true if it did. */
  private static boolean spinUntilChanged(TxCell cell, int index, long word) {
    for (int i = 0; i < SPIN_BEFORE_ABORT; i++) {
      if (wordOf(cell, index) != word) {
        return true;
      }
      Thread.onSpinWait();
    }
    return false;
  }

  /**
   * Waits until the record no longer holds {@code word}, or the owner moved on to another
   * attempt (its status changed), for a bounded number of rounds; the caller then looks again
   * and contends anew. The status check matters: a lock word names the owner, not its attempt,
   * so a killed owner that released and re-took the record in its next attempt looks unchanged
   * by the word alone, and must be killed again rather than waited for.
   */
  private void awaitChange(TxCell cell, int index, long word, Txn owner, long ownerStatus) {
    for (int i = 0; i < 200 && wordOf(cell, index) == word
        && (long) STATUS.getVolatile(owner) == ownerStatus; i++) {
      checkAlive();
      Backoff.await(i, this, owner, ownerStatus);
    }
  }

  // ---- records ----------------------------------------------------------------------------

  /**
   * Volatile read of a record: a table word ({@code cell == null}), a cell's own word
   * ({@code index < 0}), or element word {@code index} of an array's records.
   */
  static long wordOf(TxCell cell, int index) {
    if (cell == null) {
      return (long) Orecs.TABLE.getVolatile(Orecs.Table.WORDS, index);
    }
    return index < 0
        ? (long) TxCell.META.getVolatile(cell)
        : (long) Orecs.TABLE.getVolatile(((ArrayRecords) cell).words(), index);
  }

  private static boolean casWord(TxCell cell, int index, long expected, long next) {
    if (cell == null) {
      return Orecs.TABLE.compareAndSet(Orecs.Table.WORDS, index, expected, next);
    }
    return index < 0
        ? TxCell.META.compareAndSet(cell, expected, next)
        : Orecs.TABLE.compareAndSet(((ArrayRecords) cell).words(), index, expected, next);
  }

  /**
   * Moves the snapshot to now if every read still holds; otherwise aborts. A long reader that
   * gets through goes on inevitable ({@link #holdLongReader}).
   */
  private void extend() {
    if (unlogged) {
      restartLogged(); // nothing tells it what its earlier reads saw: it cannot extend
    }
    checkAlive(); // a kill (e.g. a turner's grace period, ArrayTurns) is seen by readers here too
    long now = Clock.now();
    if (paused) {
      // Nothing committed since the pause began (CommitPause): a newer word is a rollback's,
      // which restored the committed value. Move on without validating.
      rv = now;
      lastClock = now;
      return;
    }
    if (!reads.isValid(lockWord)) {
      abort(AbortKind.READ_WRITE);
    }
    rv = now;
    lastClock = now;
    if (reads.size >= Atomically.LONG_READER_READS && order == null && !inevitable
        && LONG_READER_HOLD) {
      holdLongReader();
    }
  }

  /** {@code ame4j.longReader.hold}: whether {@link #holdLongReader} is tried (the A/B switch). */
  static final boolean LONG_READER_HOLD =
      Boolean.parseBoolean(System.getProperty("ame4j.longReader.hold", "true"));

  /**
   * A long unordered reader (at least {@code ame4j.longReader.reads} records) has just validated
   * at an extension, which only happens when another transaction committed to something it
   * reads: writers are active, and its next validation would probably fail (the corpus bank's
   * audit, 1,024 accounts read while transfers commit, failed about 3 times each). Instead of
   * running on and aborting, it becomes the inevitable transaction in place, if the token is
   * free: it locks every record in its read set at the word it validated (read-only arrays are
   * in no read set: no writer stores to them before this attempt ends), so nothing it read can
   * change any more, and from here on reads as the inevitable transaction does. Its reads so far
   * hold at the moment every record is held, so it serializes like an inevitable attempt that
   * started then. If a record changed between the validation and its lock, the attempt aborts
   * (as validation would have made it). Pending blind updates keep it optimistic (their
   * deltas are applied at commit against the records they target, not read here).
   *
   * <p>Costs nothing where no other transaction commits meanwhile (no extension happens, e.g. on
   * one worker); where one does, the upgrade replaces the aborts and the re-run inevitable after
   * {@code ame4j.longReader.aborts} of them.
   */
  private void holdLongReader() {
    if (blind.size > 0 || !INEVITABLE_OWNER.compareAndSet(null, this)) {
      return;
    }
    inevitable = true; // from here, finish() hands the token back, whatever happens
    held = true;
    for (int i = 0, n = reads.size; i < n; i++) {
      TxCell cell = reads.recordAt(i);
      int index = reads.slotAt(i);
      long seen = reads.words[i];
      long word = wordOf(cell, index);
      if (word == lockWord) {
        continue; // written by us since, or logged twice
      }
      locks.add(cell, index);
      if (Diagnostics.ON) {
        diag.lockFromRead(locks.size - 1, i); // a later reader of it names this read's line
      }
      if (word != seen || !casWord(cell, index, seen, lockWord)) {
        locks.dropLast();
        giveUpHold();
      }
    }
    VarHandle.releaseFence();
    stats.inevitable++;
    stats.heldLongReaders++;
  }

  /** A record changed before the hold took it: back to optimistic, and abort (as validation would). */
  private void giveUpHold() {
    inevitable = false;
    held = false;
    INEVITABLE_OWNER.setRelease((Txn) null);
    abort(AbortKind.READ_WRITE);
  }

  /**
   * True while this attempt is inevitable only because {@link #holdLongReader} held it: nothing
   * irrevocable has happened, so it may still roll back for {@code retry()}.
   */
  private boolean held;

  /** Logs a successful read of {@code word}, extending the snapshot if the word is newer. */
  void logRead(TxCell cell, int index, long word) {
    reads.add(cell, index, word);
    if (Diagnostics.ON || Orecs.version(word) > rv) {
      logged(word);
    }
  }

  /**
   * The rest of a logged read, out of line: the conflict report's hook ({@link Diagnostics#read})
   * and the extension of the snapshot past a newer word. With the hook here, it adds 7 bytes to
   * each log method, not 22 (the hook inline took {@link #logElementRead} from 27 to 49 bytes,
   * past C2's {@code MaxInlineSize}, 35: inlined only where the call is hot).
   */
  private void logged(long word) {
    if (Diagnostics.ON) {
      Diagnostics.read(this);
    }
    if (Orecs.version(word) > rv) {
      extend();
    }
  }

  /**
   * {@link #logRead} for element word {@code slot} of stripe
   * {@code stripe} ({@link ArrayStripes}): by number, no reference store per read (see
   * {@link ReadSet#addElement}).
   */
  void logElementRead(int stripe, int slot, long word) {
    reads.addElement(stripe, slot, word);
    if (Diagnostics.ON || Orecs.version(word) > rv) {
      logged(word);
    }
  }

  /** {@link #logRead} for a word of the striped table (the agent's barriers). */
  void logWordRead(int index, long word) {
    reads.addWord(index, word);
    if (Diagnostics.ON || Orecs.version(word) > rv) {
      logged(word);
    }
  }

  /**
   * {@link #logRead} for an object's own word ({@link TxObject}); the same object read again
   * right after itself at the same word is logged once (several fields of one object in a row).
   */
  void logObjectRead(TxObject o, long word) {
    reads.addCell(o, word);
    if (Diagnostics.ON || Orecs.version(word) > rv) {
      logged(word);
    }
  }

  /**
   * First half of a read of a cell or an object ({@link TxObject}; for an object, the barriers'
   * slow path): returns the unlocked word to validate the read against, or {@link #OWN} when the
   * record is (now) this transaction's: born owned, locked by it, or locked for the inevitable
   * transaction's read. Waits out (or aborts on) a lock held by another transaction.
   */
  long openObject(TxCell o) {
    for (; ; ) {
      long word = (long) TxCell.META.getAcquire(o);
      if ((word | Orecs.OWN_BITS) == ownWord) {
        return OWN;
      }
      if (Orecs.isLocked(word)) {
        contend(o, -1, word, false);
      } else if (inevitable) {
        acquire(o, -1, false);
        return OWN;
      } else {
        return word;
      }
    }
  }

  /**
   * Takes the lock of a record (or returns if already ours). The inevitable transaction uses this
   * for reads too: what it has read can then never change under it.
   */
  void acquire(TxCell cell, int index, boolean writing) {
    if (unlogged) {
      restartLogged(); // a writer's commit validates its reads: it needs the log
    }
    if (cell == null && blind.hasPending()) {
      blind.flush(index, this); // our own pending delta on this record goes first
    }
    for (; ; ) {
      long word = wordOf(cell, index);
      if (word == lockWord) {
        return;
      }
      if (Orecs.isLocked(word)) {
        contend(cell, index, word, writing);
        continue;
      }
      if (locks.size == 0 && WAIT_BEFORE_LOCK && CommitPause.heldAgainst(this)) {
        awaitPauseBeforeLock();
        continue; // the record may have changed meanwhile: look again (and extend if newer)
      }
      if (!inevitable) {
        checkAlive();
        if (Orecs.version(word) > rv) {
          extend(); // a read of this record at an older version must not survive the lock
        }
      }
      locks.add(cell, index);
      if (Diagnostics.ON) {
        Diagnostics.lock(this);
      }
      if (casWord(cell, index, word, lockWord)) {
        // Order the lock before the data writes that follow (seqlock writer side).
        VarHandle.releaseFence();
        return;
      }
      locks.dropLast();
    }
  }

  /**
   * {@code ame4j.longReader.waitBeforeLock} (default true): a writer whose first lock comes while
   * another descriptor pauses commits ({@link CommitPause}) waits for the pause's end before it
   * takes the lock, not at its commit with the lock held. Final, so that C2 folds it: the test
   * of a writer that locks during a pause (and is killed by the reader) runs in its own surefire
   * execution with the switch off.
   */
  static final boolean WAIT_BEFORE_LOCK =
      Boolean.parseBoolean(System.getProperty("ame4j.longReader.waitBeforeLock", "true"));

  /**
   * Waits, holding no lock, while another descriptor pauses commits ({@link #acquire}'s first
   * lock). Why: a writer cannot commit before a paused reader ends (its commit would wait at
   * {@link CommitPause#awaitBeforeStamp} anyway), but one that waits there holds its locks, and
   * the reader, which reads every record it meets, kills the owner of each such lock it reaches
   * (the corpus bank on two workers: a transfer on the other worker, locked at its balance check,
   * meets every audit's pause; killed, it re-ran, locked again and could be killed again). Waiting
   * before the first lock costs the writer the same time (the pause's rest) and no abort; the
   * reader meets no lock of it. A writer that locked before the pause began is still killed if
   * the reader needs its record (at most one per writer and pause). What the wait costs when no
   * pause is held: one load of a static volatile int at the first lock of a writing attempt
   * (every writing commit loads it twice already). A kill ends the wait ({@link #checkAlive}).
   * Not in {@link #acquireElement}'s fast path (a first element lock there does not look): the
   * programs that pause (long object readers) lock objects.
   */
  private void awaitPauseBeforeLock() {
    stats.pauseWaitsBeforeLock++;
    CommitPause.awaitBeforeStamp(this); // the same wait as at the commit: while another holds it
  }

  /**
   * {@link #acquire} for element word {@code k} of a written stripe's {@code words} (of
   * {@code records}), the common case inline: the word read once from the words the caller
   * already holds, no table-word or cell-word dispatch, no blind-update flush (those are keyed by
   * table words only). Anything unusual (unlogged, inevitable, locked, newer than the snapshot,
   * status changed, a lost compare-and-set) takes the general {@link #acquire}, which decides
   * exactly as before. A word this attempt holds already returns at the first compare.
   */
  void acquireElement(ArrayRecords records, long[] words, int k) {
    long word = (long) Orecs.TABLE.getVolatile(words, k);
    if (word == lockWord) {
      return;
    }
    if (!unlogged && !inevitable && !Orecs.isLocked(word) && Orecs.version(word) <= rv
        && (long) STATUS.getVolatile(this) == activeStatus) {
      locks.add(records, k);
      if (Diagnostics.ON) {
        Diagnostics.lock(this);
      }
      if (Orecs.TABLE.compareAndSet(words, k, word, lockWord)) {
        VarHandle.releaseFence(); // as in acquire: the lock before the data writes
        return;
      }
      locks.dropLast();
    }
    acquire(records, k, true);
  }

  /**
   * A record another transaction holds and this one must not pass while it does (a stripe being
   * turned written, see {@code ElementBarriers.awaitTurner}): handles it as a write conflict
   * (wait, kill, or abort, as for a lock met by a writer) without taking it; returns when the
   * caller should look again.
   */
  void awaitRecord(TxCell cell, int index, long word) {
    contend(cell, index, word, true);
  }

  /** {@link #acquireForRead} for a cell's word or an array's (see {@link #wordOf}). */
  void acquireRecordForRead(TxCell cell, int index, long word) {
    if (inevitable) {
      acquire(cell, index, false);
    } else {
      contend(cell, index, word, false);
    }
  }

  /** A plain-field read met a locked word, or the reader is inevitable (it locks what it reads). */
  void acquireForRead(int index, long word) {
    if (inevitable) {
      acquire(null, index, false);
    } else {
      contend(null, index, word, false);
    }
  }

  // ---- deferred work, adds, retry ---------------------------------------------------------

  public void afterCommit(Runnable action) {
    deferred.afterCommit(action);
  }

  public void afterAbort(Runnable action) {
    deferred.afterAbort(action);
  }

  /** Buffers a task added by this transaction; it reaches {@code sink} only if we commit. */
  public void addTask(TaskSink sink, Runnable task) {
    deferred.add(sink, task);
  }

  /** The queue run this transaction is a task of, or null. */
  public CommitGate run() {
    return gate;
  }

  /** The condition of the last task handed back by retry(), or null; clears it. */
  public RetryCondition takeRetryCondition() {
    RetryCondition c = retryCondition;
    retryCondition = null;
    return c;
  }

  /** Blocking retry: roll back, wait until something read changes, run again. */
  public void retry() {
    if (paused) {
      // No log to wait on: roll back and run again optimistically, where retry() waits as usual.
      doomed = true;
      throw ControlSignal.RESTART_OPTIMISTIC;
    }
    if (unlogged) {
      restartLogged(); // retry waits for a change to what was read: it needs the log
    }
    if (inevitable && !held) {
      if (revocable) {
        // Its reads are locks, not log entries, so it has nothing to wait on: it rolls back and
        // runs again optimistically, where retry() waits on the read log as usual.
        doomed = true;
        throw ControlSignal.RESTART_OPTIMISTIC;
      }
      throw new IllegalStateException(
          "Ame.retry() in an inevitable transaction would wait forever: it cannot roll back");
    }
    doomed = true;
    throw ControlSignal.RETRY;
  }

  // ---- explicit cells ---------------------------------------------------------------------

  /**
   * {@link #openObject} result for a record this transaction holds: no check
   * needed. Odd like a locked word, and no real word is all ones, so it is never a version.
   */
  static final long OWN = -1L;

  /**
   * Second half: true if the record still holds {@code word} after the value was loaded (then
   * the read is logged), false if the caller must read again. Package-private so that a test
   * can run the steps of a cell read with another thread acting between them.
   */
  boolean closeRead(TxCell c, long word) {
    if (word == OWN) {
      return true;
    }
    VarHandle.acquireFence(); // the value load happens before the re-check (StampedLock.validate)
    if ((long) TxCell.META.getVolatile(c) != word) {
      return false;
    }
    logRead(c, -1, word);
    return true;
  }

  public Object read(ObjectCell c) {
    for (; ; ) {
      long word = openObject(c);
      Object v = c.value;
      if (closeRead(c, word)) {
        return v;
      }
    }
  }

  public int read(IntCell c) {
    for (; ; ) {
      long word = openObject(c);
      int v = c.value;
      if (closeRead(c, word)) {
        return v;
      }
    }
  }

  public long read(LongCell c) {
    for (; ; ) {
      long word = openObject(c);
      long v = c.value;
      if (closeRead(c, word)) {
        return v;
      }
    }
  }

  public void write(ObjectCell c, Object v) {
    if ((long) TxCell.META.getOpaque(c) != lockWord) {
      acquire(c, -1, true);
    }
    undo.add(UndoLog.CELL, c, null, c.value, 0, -1);
    c.value = v;
  }

  public void write(IntCell c, int v) {
    if ((long) TxCell.META.getOpaque(c) != lockWord) {
      acquire(c, -1, true);
    }
    undo.add(UndoLog.CELL, c, null, null, c.value, -1);
    c.value = v;
  }

  public void write(LongCell c, long v) {
    if ((long) TxCell.META.getOpaque(c) != lockWord) {
      acquire(c, -1, true);
    }
    undo.add(UndoLog.CELL, c, null, null, c.value, -1);
    c.value = v;
  }

  /**
   * Adds {@code delta} to a cell without reading it into the read set: increments commute, so
   * two transactions that only add to a cell never invalidate each other (they exclude each
   * other only while one holds the cell's lock).
   */
  public void addTo(LongCell c, long delta) {
    if ((long) TxCell.META.getOpaque(c) != lockWord) {
      acquire(c, -1, true);
    }
    undo.add(UndoLog.CELL, c, null, null, c.value, -1);
    c.value += delta;
  }

  // ---- inevitability ----------------------------------------------------------------------

  /**
   * Makes the running transaction inevitable. If it has done nothing yet it becomes inevitable
   * in place; otherwise the attempt restarts as inevitable (its effects so far are undone, and
   * since nothing irrevocable happened yet, re-running is invisible).
   */
  public void becomeInevitable(String site) {
    becomeInevitable(site, "Ame.inevitable()");
  }

  private void becomeInevitable(String site, String reason) {
    if (inevitable) {
      pinInevitable(); // asked for now: irrevocable things may follow
      return;
    }
    if (joined) {
      // A task that joined another's transaction leaves it (rolled back alone) and asks again
      // when it runs alone: the site is recorded once, there.
      doomed = true;
      throw ControlSignal.RESTART_INEVITABLE;
    }
    site = Diagnostics.ON ? Diagnostics.inevitableSite(this, site) : site;
    stats.recordInevitableSite(site);
    InevitableReasons.record(site, reason);
    Events.inevitable(reason, site);
    if (reads.size == 0 && !unlogged && locks.size == 0 && undo.size == 0 && blind.size == 0
        && heldWrites.size == 0
        && deferred.isEmpty() && order == null && INEVITABLE_OWNER.compareAndSet(null, this)) {
      inevitable = true;
      rv = Clock.now();
      stats.inevitable++;
      return;
    }
    doomed = true;
    throw ControlSignal.RESTART_INEVITABLE;
  }

  /**
   * The running transaction is about to run code the engine cannot track (a JDK method without
   * a twin, a native, I/O, a class the agent could not instrument): it becomes inevitable, and
   * then the only attempt running until it finishes. Every other running attempt is asked to
   * abort and awaited (its locks are released, its written-through values undone); attempts
   * that begin meanwhile wait. Only then does the untracked code run, so it sees committed state
   * only, and whatever it writes is seen by later attempts only (docs/semantics.md: correct by
   * default, slower where used).
   */
  public void runUntracked(String site) {
    runAlone(site, InevitableReasons.ofUntracked(site));
  }

  /**
   * True if the running attempt has done nothing an inevitable restart would have to undo and no
   * log of it names a stripe yet ({@link ArrayGroups#register}: its accesses so far all used the
   * stripes as they were).
   */
  boolean untouched() {
    return reads.size == 0 && !unlogged && locks.size == 0 && undo.size == 0 && blind.size == 0
        && heldWrites.size == 0 && deferred.isEmpty();
  }

  /** True if a transaction other than {@code tx} holds the inevitability token now. */
  static boolean othersInevitable(Txn tx) {
    Txn owner = inevitableOwner;
    return owner != null && owner != tx;
  }

  /**
   * {@link #runUntracked}'s protocol for the engine's own use: the running transaction becomes
   * inevitable and the only attempt running until it ends ({@link ArrayGroups}: an array's
   * stripe changes only while no other attempt runs). {@code reason} names it in the report.
   */
  void runAlone(String site, String reason) {
    becomeInevitable(site, reason);
    if (serialOwner == this) {
      return;
    }
    serialOwner = this; // volatile store, then volatile loads of every status (see begin)
    for (Txn other : TxnRegistry.live()) {
      if (other == this) {
        continue;
      }
      for (int i = 0; ; i++) {
        long s = (long) STATUS.getVolatile(other);
        if ((s & IDLE) == IDLE) {
          break; // not running an attempt (it will wait in begin)
        }
        if (Diagnostics.ON) {
          Diagnostics.killing(other, this, null, -1, site);
        }
        kill(other, AbortKind.INEVITABLE);
        Backoff.pause(i);
      }
    }
  }

  // ---- trailing padding: declared last (LinePadding, "The other end") ----------------------
  @SuppressWarnings("unused") private Object t00, t01, t02, t03, t04, t05, t06, t07;
  @SuppressWarnings("unused") private Object t08, t09, t10, t11, t12, t13, t14, t15;
  @SuppressWarnings("unused") private Object t16, t17, t18, t19, t20, t21, t22, t23;
  @SuppressWarnings("unused") private Object t24, t25, t26, t27, t28, t29, t30, t31;
}
