package org.ame4j.internal.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Solo runs (issue 14, session 15): a queue run with one worker whose thread is the only one
 * running transactions runs its attempts <em>solo</em>, with no element locks, checks or read
 * log. Such an attempt cannot conflict with anyone, so the element barriers keep only what a
 * rollback needs: an undo entry per element store ({@link ElementBarriers#lock} answers "log the
 * old value" without taking the word; {@link ElementBarriers#beforeRead} checks nothing). Object
 * fields, statics and the other paths keep their barriers: a lock or a checked read in a solo
 * attempt is correct, only not needed.
 *
 * <p><b>What it guarantees.</b> While a descriptor holds the token ({@link #owner}), no attempt
 * of any other descriptor runs: {@link Txn#begin} of another thread publishes its status, then
 * reads the owner (Dekker with {@link #enter}, which sets the owner, then waits for every other
 * descriptor to be idle), and steps aside until the token is handed back. It asks for it by
 * {@link #wanted}, which the owner reads at each of its begins ({@link #soloAttempt}): the token
 * is handed back at the owner's next attempt boundary, for the rest of its run, so a thread that
 * wants to run a transaction waits at most for one solo attempt. An attempt is solo from its
 * begin to its end; nothing changes that in between.
 *
 * <p>A solo attempt's writes change no record word (no version), and some go to read-only
 * stripes without turning them. Nobody runs meanwhile, so nobody can read them uncommitted or
 * hold an older value of them; every attempt that runs later begins after the commit. What
 * would miss them is a waiter of {@code retry()} whose snapshot was taken before: so
 * {@link #enter} bumps {@link ArrayTurns#TURNS}, which every retry snapshot holds, after every
 * other attempt has ended (every snapshot is taken in an attempt), and each such waiter, or each
 * queue's task kept aside with its condition, wakes up, runs again and asks for the token. A
 * solo attempt that calls {@code retry()} itself hands the token back and runs again logged
 * ({@link Txn#retry}): it has no log to wait on. An attempt that must become inevitable or pause
 * commits hands it back too ({@link Txn#beginInevitable}, {@link Txn#beginPaused}), so that its
 * wait for the inevitable token never waits for a thread that waits for this one.
 *
 * <p>What it does not: it is never taken with the conflict report on, in ordered runs, or by a
 * run of several workers (one worker's attempts never conflict, two workers' do); nor does it
 * wait long for another thread's running attempt when it starts ({@link #ENTER_WAIT_NANOS}:
 * then the run is an ordinary one). Code running outside any transaction sees a solo attempt's
 * written-through values as it sees any attempt's (encounter-time write-through either way).
 *
 * <p>{@code -Dame4j.soloRuns=false} turns it off (the A/B switch).
 */
public final class SoloRuns {
  /** {@code ame4j.soloRuns} (default true): one-worker runs take the token. */
  static final boolean ON = Boolean.parseBoolean(System.getProperty("ame4j.soloRuns", "true"));

  /** How long {@link #enter} waits for other threads' running attempts before it gives up. */
  static final long ENTER_WAIT_NANOS = 1_000_000L;

  private static final VarHandle OWNER;
  private static final VarHandle WANTED;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      OWNER = l.findStaticVarHandle(SoloRuns.class, "owner", Txn.class);
      WANTED = l.findStaticVarHandle(SoloRuns.class, "wanted", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  // Read by every begin of every thread (the owner) and by every begin of the owner (wanted):
  // written only when a run starts or ends or a thread steps aside. Padded as RetryWaiters'
  // count is, so that no per-task store of anyone shares their line.
  @SuppressWarnings("unused") private static long p01, p02, p03, p04, p05, p06, p07, p08;
  /** Threads stepping aside in {@link Txn#begin} until the owner hands the token back. */
  private static volatile int wanted;
  @SuppressWarnings("unused") private static int q01, q02, q03, q04, q05, q06, q07, q08;
  @SuppressWarnings("unused") private static int q09, q10, q11, q12, q13, q14, q15, q16;
  /** The descriptor whose attempts run solo, or null. */
  private static volatile Txn owner;

  /**
   * Tests of what an ordinary one-worker run does to the records (turns, cooling) set it while
   * they run. One static load per run.
   */
  static boolean offForTesting;

  private SoloRuns() {}

  /**
   * Takes the token for {@code tx}'s thread, whose run has one worker: true if its attempts
   * run solo from now on (until {@link #leave} or until another thread asks). Waits at most
   * {@link #ENTER_WAIT_NANOS} for other descriptors' running attempts to end.
   */
  public static boolean enter(Txn tx) {
    if (!ON || offForTesting || Diagnostics.ON || !OWNER.compareAndSet(null, tx)) {
      return false;
    }
    // The owner's volatile store, then every status (Dekker with begin): an attempt that began
    // before it is awaited here; one that begins after it steps aside.
    long deadline = System.nanoTime() + ENTER_WAIT_NANOS;
    for (Txn other : TxnRegistry.live()) {
      if (other == tx) {
        continue;
      }
      for (int i = 0; Txn.isRunning(other.statusWord()); i++) {
        if (System.nanoTime() - deadline > 0) {
          OWNER.setVolatile(null);
          return false; // a long attempt elsewhere: an ordinary run
        }
        Backoff.pause(i);
      }
    }
    // Every retry snapshot was taken in an attempt that has ended by now: wake them all.
    ArrayTurns.bumpTurns();
    RetryWaiters.commitHappened();
    return true;
  }

  /** Hands the token back if {@code tx} holds it (at the end of its run, or when it must). */
  public static void leave(Txn tx) {
    if (owner == tx) {
      OWNER.setVolatile(null);
    }
  }

  /** The token's holder (a volatile load). */
  static Txn owner() {
    return owner;
  }

  /**
   * Called by the owner's {@link Txn#begin} after its status store: true if this attempt runs
   * solo; hands the token back (for good) if another thread waits for it.
   */
  static boolean soloAttempt(Txn tx) {
    if (wanted != 0) {
      OWNER.setVolatile(null);
      return false;
    }
    return true;
  }

  /**
   * Called by {@link Txn#begin} of a descriptor other than {@code holder}, idle: asks for the
   * token and waits until {@code holder} no longer has it.
   */
  static void stepAside(Txn holder) {
    WANTED.getAndAdd(1);
    try {
      for (int i = 0; owner == holder; i++) {
        Backoff.pause(i);
      }
    } finally {
      WANTED.getAndAdd(-1);
    }
  }
}
