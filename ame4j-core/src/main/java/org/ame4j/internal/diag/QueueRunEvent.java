package org.ame4j.internal.diag;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** JFR: one run of a task queue ({@code TransactionQueue.run}); the duration is the whole run. */
@Name("org.ame4j.QueueRun")
@Label("Task Queue Run")
@StackTrace(false)
@Category({"ame4j", "Task Queue"})
@Description("A task queue ran its tasks to completion")
public final class QueueRunEvent extends jdk.jfr.Event {
  @Label("Workers")
  public int workers;

  @Label("Ordered")
  public boolean ordered;

  @Label("Tasks")
  @Description("Tasks committed during the run (tasks added by tasks included)")
  public long tasks;

  @Label("Aborts")
  @Description("Attempts rolled back during the run, all threads")
  public long aborts;
}
