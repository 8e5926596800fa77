package org.ame4j.internal.diag;

/**
 * Emits the JFR events, each behind JFR's own check ({@code isEnabled}/{@code shouldCommit} of a
 * fresh event object): with no recording, or the event disabled in it, a call allocates nothing
 * once inlined (the object does not escape) and costs a test of a static flag.
 */
public final class Events {
  private Events() {}

  /** True if a recording wants commit or abort events (checked once per transaction). */
  public static boolean transactions() {
    return new CommitEvent().isEnabled() || new AbortEvent().isEnabled();
  }

  /**
   * A commit event for one transaction, or null if the recording does not want commit events
   * (checked once per transaction): then its attempts read JFR's clock for nothing.
   */
  public static CommitEvent commitEvent() {
    CommitEvent e = new CommitEvent();
    return e.isEnabled() ? e : null;
  }

  /**
   * Commits {@code e} ({@link #commitEvent}), begun when the committed attempt began (the caller's {@code e.begin()}), if
   * the recording wants it: JFR times it itself, so a {@code threshold} on {@code org.ame4j.Commit}
   * keeps the slow commits only (an event committed without {@code begin} lasts 0 ns, and any
   * threshold dropped them all). The one object serves every attempt of a transaction.
   */
  public static void commit(CommitEvent e, long attemptNanos, int reads, int writes, int attempts,
      boolean inevitable) {
    e.end();
    if (e.shouldCommit()) {
      e.attemptNanos = attemptNanos;
      e.reads = reads;
      e.writes = writes;
      e.attempts = attempts;
      e.inevitable = inevitable;
      e.commit();
    }
  }

  /** {@code key} is the conflict record with the report on, else null (location unknown). */
  public static void abort(String kind, Conflicts.Key key, long lostNanos) {
    AbortEvent e = new AbortEvent();
    if (e.shouldCommit()) {
      e.kind = kind;
      e.location = key != null ? key.location() : "unknown (-Dame4j.report=true names it)";
      e.abortedAt = key != null ? key.aborted() : "line unknown";
      e.otherAt = key != null ? key.other() : "line unknown";
      e.lostNanos = lostNanos;
      e.commit();
    }
  }

  public static void inevitable(String reason, String site) {
    InevitableEvent e = new InevitableEvent();
    if (e.shouldCommit()) {
      e.reason = reason;
      e.site = site;
      e.commit();
    }
  }

  /** Starts a queue-run event, or returns null if no recording wants it. */
  public static QueueRunEvent queueRunStarted() {
    QueueRunEvent e = new QueueRunEvent();
    if (!e.isEnabled()) {
      return null;
    }
    e.begin();
    return e;
  }

  public static void queueRunEnded(QueueRunEvent e, int workers, boolean ordered, long tasks, long aborts) {
    e.end();
    if (e.shouldCommit()) {
      e.workers = workers;
      e.ordered = ordered;
      e.tasks = tasks;
      e.aborts = aborts;
      e.commit();
    }
  }
}
