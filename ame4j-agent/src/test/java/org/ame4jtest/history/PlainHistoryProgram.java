package org.ame4jtest.history;

import org.ame4j.history.Campaign;

/**
 * {@code java -javaagent:… --patch-module java.base=… PlainHistoryProgram MODES WORKERS SEEDS
 * TASKS}: a checked history campaign over a {@link MixedStore} (plain fields, arrays, HashMap,
 * ArrayList, fresh objects), run by HistoryIT under the agent. Prints the summary (transactions
 * checked, anomalies) and exits 1 if the checker found an anomaly.
 */
public final class PlainHistoryProgram {
  private PlainHistoryProgram() {}

  public static void main(String[] args) throws InterruptedException {
    Campaign.main(args, () -> new MixedStore(32, 4));
  }
}
