package org.ame4j.examples.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.ame4j.examples.AgentCheck;
import org.ame4j.examples.ChildJvm;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every corpus program under the real {@code -javaagent} jar, each configuration in its own
 * child JVM ({@link ChildJvm} explains why): ordered runs on 1, 2 and 4 workers must leave
 * exactly the state of the sequential program run in <em>this</em> JVM, which has no agent
 * (equal fingerprints), and every run, ordered or not, must keep the program's invariants. The
 * opacity probe ({@link OpacityProbe}) is one of the programs: its check fails if any attempt,
 * committed or rolled back, saw {@code x + y != 0}. {@link RollbackProbe} forces the two
 * situations that the agent's known gaps get wrong.
 *
 * <h2>Known gaps</h2>
 * A failure whose message contains an entry of {@link #KNOWN_GAPS} is a documented limitation of
 * the transformer (ame4j-agent/DESIGN-NOTES.md, "Known gaps"), not a regression: the test is
 * reported as <em>skipped</em> with the gap and the failure (visible in the test report, not
 * silent), and every other failure fails the build. {@code -Dame4j.corpus.knownGaps=fail} turns
 * them into failures. Remove an entry when its gap is fixed.
 */
@Timeout(value = 300, threadMode = ThreadMode.SEPARATE_THREAD)
class CorpusIT {
  private static final long SEED = Long.getLong("ame4j.corpus.seed", 1);
  private static final Map<String, String> REFERENCE = new ConcurrentHashMap<>();

  /** Text in a check message (or in the exception of a run that threw) → the gap causing it. */
  static final Map<String, String> KNOWN_GAPS = new LinkedHashMap<>();

  static {
    String constructors = "known agent gap 2 (DESIGN-NOTES): constructors are not twinned, so a"
        + " constructor's writes to statics and other objects inside a task are untracked and"
        + " survive the task's rollback";
    String clinit = "known agent gap 1 (DESIGN-NOTES): <clinit> runs inside the transaction that"
        + " first uses the class, so what it computes through instrumented methods is rolled back"
        + " with that transaction while the class stays initialized";
    String clinitAbort = "known agent gap 1 (DESIGN-NOTES): <clinit> runs inside the transaction"
        + " that first uses the class; when that attempt is aborted, the engine's abort signal"
        + " escapes the initializer and the JVM marks the class erroneous for good";
    KNOWN_GAPS.put("Instrument.built = ", constructors);
    KNOWN_GAPS.put("Counted.instances = ", constructors);
    KNOWN_GAPS.put("Cello.TUNING[", clinit);
    KNOWN_GAPS.put("Table.VALUES = ", clinit);
    KNOWN_GAPS.put("java.lang.NoClassDefFoundError: Could not initialize class"
        + " org.ame4j.examples.corpus.Orchestra$Cello", clinitAbort);
  }

  @BeforeAll
  static void referencesAreComputedWithoutTheAgent() {
    assertFalse(AgentCheck.isActive(), "the test JVM must not run with the agent: it computes"
        + " the sequential references");
    ChildJvm.agentJar(); // fails early and clearly if the reactor did not package the agent
  }

  /** Fingerprint of the plain sequential program, run here, without the agent. */
  private static String reference(String program) {
    return REFERENCE.computeIfAbsent(program, name -> {
      CorpusProgram p = Corpus.create(name, Corpus.testSize(name), SEED);
      p.runSequential();
      assertNull(p.check(), name + ": the sequential program breaks its own invariants");
      return p.fingerprint();
    });
  }

  static Stream<Arguments> configurations() {
    List<Arguments> all = new ArrayList<>();
    for (String program : Corpus.ALL) {
      all.add(Arguments.of(program, "sequential", 1));
      for (String mode : new String[] {"ordered", "unordered"}) {
        for (int workers : new int[] {1, 2, 4}) {
          all.add(Arguments.of(program, mode, workers));
        }
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0}, {1}, {2} workers")
  @MethodSource("configurations")
  void underTheAgent(String program, String mode, int workers) {
    String expected = reference(program);
    ChildJvm.Result r = ChildJvm.run(true, CorpusMain.class.getName(), List.of(
        program, "--mode", mode, "--workers", String.valueOf(workers),
        "--size", String.valueOf(Corpus.testSize(program)), "--seed", String.valueOf(SEED),
        "--require-agent", "--stats"), 240);
    String context = program + " " + mode + " on " + workers + " workers; child output:\n"
        + r.output();
    assertEquals(List.of(), ChildJvm.fallbackReports(r.output()),
        "the agent could not instrument a class; " + context);
    Map<String, String> result = r.result();
    assertEquals("true", result.get("agent"), context);
    assertCheck(result.get("check"), program + ", " + mode + ", " + workers + " workers", context);
    assertEquals(0, r.exit(), context);
    if (!mode.equals("unordered")) {
      // Ordered runs, and the sequential program run under the agent (outside any transaction),
      // must reproduce the plain sequential run exactly.
      assertEquals(expected, result.get("fingerprint"),
          "final state differs from the plain sequential run (no agent); " + context);
    }
  }

  @Test
  void aRolledBackTaskUndoesItsConstructorsButNotClassInitialization() {
    ChildJvm.Result r = ChildJvm.run(true, RollbackProbe.class.getName(), List.of(), 120);
    List<Map<String, String>> results = r.results();
    assertEquals(2, results.size(), r.output());
    List<String> failures = new ArrayList<>();
    for (Map<String, String> result : results) {
      assertEquals("true", result.get("agent"), r.output());
      if (!result.get("check").equals("ok")) {
        failures.add(result.get("program") + ": " + result.get("check"));
      }
    }
    List<String> unknown = new ArrayList<>();
    List<String> known = new ArrayList<>();
    for (String f : failures) {
      String gap = knownGap(f.substring(f.indexOf(": ") + 2));
      (gap == null ? unknown : known).add(gap == null ? f : f + " [" + gap + "]");
    }
    if (!unknown.isEmpty()) {
      fail(String.join("\n", unknown) + "\nchild output:\n" + r.output());
    }
    skipIfKnown(known);
    assertEquals(0, r.exit(), r.output());
  }

  private static void assertCheck(String check, String config, String context) {
    if (check.equals("ok")) {
      return;
    }
    String gap = knownGap(check);
    if (gap == null) {
      fail("invariant broken: " + context);
    }
    skipIfKnown(List.of(config + ": " + check + " [" + gap + "]"));
  }

  private static String knownGap(String check) {
    for (Map.Entry<String, String> e : KNOWN_GAPS.entrySet()) {
      if (check.contains(e.getKey())) {
        return e.getValue();
      }
    }
    return null;
  }

  private static void skipIfKnown(List<String> known) {
    if (known.isEmpty()) {
      return;
    }
    String message = "KNOWN GAP, not a pass: " + String.join("\n", known);
    if ("fail".equals(System.getProperty("ame4j.corpus.knownGaps"))) {
      fail(message);
    }
    System.out.println(message);
    Assumptions.abort(message);
  }
}
