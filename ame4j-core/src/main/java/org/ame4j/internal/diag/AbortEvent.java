package org.ame4j.internal.diag;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * JFR: an attempt was rolled back; its duration is the time lost. Location and lines are known
 * with {@code -Dame4j.report=true} and instrumented code, else {@code "unknown"}.
 */
@Name("org.ame4j.Abort")
@Label("Transaction Abort")
@StackTrace(false)
@Category({"ame4j", "Transactions"})
@Description("A transaction attempt was rolled back and will run again")
public final class AbortEvent extends jdk.jfr.Event {
  @Label("Kind")
  @Description("write/write, read/write, inevitable or explicit")
  public String kind;

  @Label("Location")
  @Description("What the attempt conflicted on: Class.field, int[] @ 17, a Ref by its creation site")
  public String location;

  @Label("Aborted At")
  @Description("The aborted side's access: File.java:line (Class.method)")
  public String abortedAt;

  @Label("Other Side At")
  @Description("The other side's write or lock: File.java:line (Class.method)")
  public String otherAt;

  @Label("Time Lost")
  @Timespan(Timespan.NANOSECONDS)
  public long lostNanos;
}
