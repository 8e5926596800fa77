package org.ame4j.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.ame4j.history.History.Attempt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The checker on hand-written histories: each of Adya's anomalies, opacity violations of aborted
 * attempts, and the record-level findings are reported with their class and transactions; the
 * serial histories they are variations of are reported clean.
 */
class HistoryCheckerTest {
  private final List<Attempt> attempts = new ArrayList<>();

  /** A transaction from a compact script: "r0=0 w0=5 r1=0" (key=value). */
  private Attempt txn(boolean committed, String script) {
    Attempt a = new Attempt(attempts.size() + 1, "t" + (attempts.size() + 1));
    for (String op : script.split(" ")) {
      int eq = op.indexOf('=');
      int k = Integer.parseInt(op.substring(1, eq));
      long v = Long.parseLong(op.substring(eq + 1));
      if (op.charAt(0) == 'r') {
        a.read(k, v);
      } else {
        a.write(k, v);
      }
    }
    if (committed) {
      a.markCommitted();
    }
    attempts.add(a);
    return a;
  }

  private HistoryChecker.Result check(Map<Integer, Long> finalState) {
    return HistoryChecker.check(attempts, finalState);
  }

  @Test
  void aSerialHistoryIsClean() {
    txn(true, "r0=0 w0=1 r1=0 w1=2");
    txn(true, "r0=1 r1=2 w0=3");
    txn(false, "r0=1 r1=2"); // aborted, but saw a consistent state
    txn(true, "r1=2 w1=4 r1=4");
    HistoryChecker.Result r = check(Map.of(0, 3L, 1, 4L));
    assertTrue(r.ok(), r.toString());
    assertEquals(3, r.committed());
    assertEquals(1, r.aborted());
  }

  @Test
  void lostUpdateIsNamedWithBothWriters() {
    txn(true, "r0=0 w0=1");
    txn(true, "r0=0 w0=2");
    HistoryChecker.Result r = check(Map.of(0, 2L));
    assertEquals(1, r.count(Anomaly.Kind.LOST_UPDATE), r.toString());
    assertTrue(r.toString().contains("T1 (t1, committed) wrote 1") && r.toString().contains("T2 (t2, committed) wrote 2"),
        r.toString());
  }

  /**
   * Two committed transactions whose only anomaly is the named one: the checker reports it
   * alone, once, and its text names what it must (the edge or the transaction), if anything.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource
  void aTwoTransactionAnomalyIsReportedAlone(String name, Anomaly.Kind kind, String t1, String t2,
      String mentions) {
    txn(true, t1);
    txn(kind != Anomaly.Kind.OPACITY, t2);
    HistoryChecker.Result r = check(Map.of(0, 1L, 1, 2L));
    assertEquals(Map.of(kind, 1), r.counts(), r.toString());
    assertTrue(r.toString().contains(mentions), r.toString());
  }

  static Stream<Arguments> aTwoTransactionAnomalyIsReportedAlone() {
    return Stream.of(
        arguments("write skew is G2", Anomaly.Kind.G2, "r0=0 r1=0 w0=1", "r0=0 r1=0 w1=2", "-rw(k"),
        // the second saw the new k1 but the old k0
        arguments("read skew is G-single", Anomaly.Kind.G_SINGLE, "r0=0 w0=1 r1=0 w1=2", "r0=0 r1=2", ""),
        arguments("circular information flow is G1c", Anomaly.Kind.G1C, "r0=0 w0=1 r1=2", "r1=0 w1=2 r0=1", ""),
        // the same mixed state, seen by an attempt that then aborted
        arguments("an aborted attempt that saw a mixed state breaks opacity", Anomaly.Kind.OPACITY,
            "r0=0 w0=1 r1=0 w1=2", "r0=1 r1=0", "T2 (t2, aborted)"));
  }

  @Test
  void writeCycleIsG0() {
    // T1 wrote k0 before T2 and k1 after it.
    txn(true, "r0=0 w0=1 r1=2 w1=3");
    txn(true, "r0=1 w0=4 r1=0 w1=2");
    HistoryChecker.Result r = check(Map.of(0, 4L, 1, 3L));
    assertEquals(1, r.count(Anomaly.Kind.G0), r.toString());
  }

  @Test
  void abortedAndIntermediateReadsAreG1aAndG1b() {
    txn(false, "r0=0 w0=1");
    txn(true, "r1=0 w1=2 r1=2 w1=3");
    txn(true, "r0=1 r1=2");
    HistoryChecker.Result r = check(Map.of(0, 0L, 1, 3L));
    assertEquals(1, r.count(Anomaly.Kind.G1A), r.toString());
    assertEquals(1, r.count(Anomaly.Kind.G1B), r.toString());
  }

  @Test
  void recordLevelFindings() {
    txn(true, "r0=0 w0=1 r0=7");
    txn(true, "r1=99");
    HistoryChecker.Result r = check(Map.of(0, 5L));
    assertEquals(1, r.count(Anomaly.Kind.INTERNAL), r.toString());
    assertEquals(1, r.count(Anomaly.Kind.GARBAGE), r.toString());
    assertEquals(1, r.count(Anomaly.Kind.FINAL_STATE), r.toString());
  }

  @Test
  void recordsThatBreakTheRulesAreRefused() {
    txn(true, "w0=1");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> check(Map.of())).getMessage()
        .contains("without reading it first"));
    attempts.clear();
    txn(true, "r0=0 w0=1");
    txn(true, "r1=0 w1=1");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> check(Map.of())).getMessage()
        .contains("written twice"));
  }
}
