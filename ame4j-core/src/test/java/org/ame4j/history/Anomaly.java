package org.ame4j.history;

/**
 * One anomaly the {@link HistoryChecker} found: its class and a description that names the
 * transactions (attempt ids and task labels) and the keys and values involved.
 *
 * <p>Classes after Adya (Weak Consistency, MIT 1999) as Jepsen's Elle reports them: G0, G1a, G1b,
 * G1c, G-single and G2; plus the record-level findings a dependency graph cannot express (a
 * read of a value never written, a transaction not seeing its own write, a fork in a key's
 * version order, a final state the committed history does not explain), and {@code OPACITY}: a
 * cycle through an attempt that aborted, i.e. it observed a state outside every serial order of
 * the committed transactions.
 */
public record Anomaly(Kind kind, String description) {
  /** The anomaly classes, each with the name a report shows. */
  public enum Kind {
    G0("G0 (write cycle: dirty write)"),
    G1A("G1a (aborted read)"),
    G1B("G1b (intermediate read)"),
    G1C("G1c (circular information flow)"),
    G_SINGLE("G-single (one anti-dependency: read skew, lost update)"),
    G2("G2 (anti-dependency cycle: write skew)"),
    LOST_UPDATE("lost update (two committed writers overwrote the same version)"),
    INTERNAL("internal (a transaction did not see its own write)"),
    GARBAGE("garbage read (a value no transaction wrote to that key)"),
    FINAL_STATE("final state (the committed writes do not explain it)"),
    OPACITY("opacity (an aborted attempt saw a state outside every serial order)");

    final String title;

    Kind(String title) {
      this.title = title;
    }

    public String title() {
      return title;
    }
  }

  @Override
  public String toString() {
    return kind.title + ": " + description;
  }
}
