package org.ame4j.internal.diag;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** JFR: a transaction became inevitable (it runs alone against conflicts and cannot abort). */
@Name("org.ame4j.Inevitable")
@Label("Transaction Inevitable")
@StackTrace(false)
@Category({"ame4j", "Transactions"})
@Description("A transaction became inevitable")
public final class InevitableEvent extends jdk.jfr.Event {
  @Label("Reason")
  @Description("I/O call, native method, untracked code, Ame.inevitable(), or after too many aborts")
  public String reason;

  @Label("Site")
  @Description("Where: the call or line that made it inevitable")
  public String site;
}
