package org.ame4j.internal.diag;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** JFR: a transaction committed, with its last (successful) attempt's duration and size. */
@Name("org.ame4j.Commit")
@Label("Transaction Commit")
@StackTrace(false)
@Category({"ame4j", "Transactions"})
@Description("A transaction committed")
public final class CommitEvent extends jdk.jfr.Event {
  @Label("Attempt Duration")
  @Description("The committed attempt, begin to commit")
  @Timespan(Timespan.NANOSECONDS)
  public long attemptNanos;

  @Label("Reads")
  @Description("Read-set entries of the committed attempt")
  public int reads;

  @Label("Writes")
  @Description("Records the committed attempt locked")
  public int writes;

  @Label("Attempts")
  @Description("Attempts it took, the committed one included")
  public int attempts;

  @Label("Inevitable")
  public boolean inevitable;
}
