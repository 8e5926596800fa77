package org.ame4j;

import java.util.Locale;

/**
 * One group of aborts in the conflict report ({@link Stats#conflicts()}): the aborts of one kind
 * on one location between the same two source lines, how many there were and the time their
 * rolled-back attempts cost.
 *
 * <p>Recorded only with {@code -Dame4j.report=true}. The lines are known for code the agent
 * instrumented at load time in this JVM: {@code "Bank.java:41 (com.acme.Bank.transfer)"};
 * otherwise {@code "line unknown"} (code instrumented offline, code without the agent). An access
 * inside the JDK (with the java.base patch) is named by the instrumented call into the JDK, and
 * its location by the JDK class and field ({@code java.util.HashMap.size}).
 *
 * @param kind why the attempt rolled back
 * @param location what it conflicted on: {@code com.acme.Account.balance}, {@code int[] @ 17}
 *     (an element, by its index modulo the array's record count), {@code java.util.HashMap.size},
 *     {@code IntRef created at Bank.java:12 (...)} for an explicit cell
 * @param abortedAt the aborted side's access to the location
 * @param otherAt the other side's write or lock of it (for a kill: the killer's access)
 * @param count aborts in this group
 * @param lostNanos time spent in the rolled-back attempts, in nanoseconds
 */
public record Conflict(AbortKind kind, String location, String abortedAt, String otherAt, long count,
    long lostNanos) {

  /** One entry of the text report, on three lines. */
  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%,8d aborts %8.1f ms  %-11s %s%n%28s aborted at %s%n%28s other side %s",
        count, lostNanos / 1e6, kind.name().toLowerCase(Locale.ROOT).replace('_', '/'), location,
        "", abortedAt, "", otherAt);
  }
}
