package org.ame4jexamples.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.ame4j.testkit.ChildJvm;
import org.ame4j.testkit.HangGuard;
import org.ame4jexamples.AgentCheck;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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
 * situations that need the agent's constructor and initializer handling. The chunked task
 * version (several loop iterations per task) is checked the same way on 2 workers, and so is the
 * {@code addRange} version. Programs that use {@code HashMap} inside tasks run with the java.base
 * patch ({@link Corpus#needsJdkPatch}), as {@code ./ame run} starts them.
 */
@HangGuard(seconds = 300) // each child JVM has its own limit and is dumped, then killed
class CorpusIT {
  private static final long SEED = Long.getLong("ame4j.corpus.seed", 1);
  private static final Map<String, String> REFERENCE = new ConcurrentHashMap<>();

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
    check(program, mode, workers, 1);
  }

  /**
   * The chunked task version ({@link CorpusProgram#runChunkedTasks}) on 2 workers; a chunk of 7
   * does not divide the test sizes, so the last chunk of a loop (and of a worklist's batch) is a
   * partial one.
   */
  static Stream<Arguments> chunkedConfigurations() {
    List<Arguments> all = new ArrayList<>();
    for (String program : Corpus.ALL) {
      for (String mode : new String[] {"ordered", "unordered"}) {
        all.add(Arguments.of(program, mode, 2, 7));
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0}, {1}, {2} workers, {3} iterations per task")
  @MethodSource("chunkedConfigurations")
  void chunkedUnderTheAgent(String program, String mode, int workers, int chunk) {
    check(program, mode, workers, chunk);
  }

  /** The {@code addRange} version ({@link CorpusProgram#runRangeTasks}) on 2 workers. */
  static Stream<Arguments> rangeConfigurations() {
    List<Arguments> all = new ArrayList<>();
    for (String program : Corpus.ALL) {
      for (String mode : new String[] {"ordered", "unordered"}) {
        all.add(Arguments.of(program, mode, 2));
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0}, {1}, {2} workers, addRange")
  @MethodSource("rangeConfigurations")
  void rangeUnderTheAgent(String program, String mode, int workers) {
    check(program, mode, workers, 0);
  }

  /** {@code chunk} 0: the {@code addRange} version. */
  private static void check(String program, String mode, int workers, int chunk) {
    String expected = reference(program);
    List<String> args = new ArrayList<>(List.of(program, "--mode", mode, "--workers",
        String.valueOf(workers), "--size", String.valueOf(Corpus.testSize(program)), "--seed",
        String.valueOf(SEED), "--require-agent", "--stats"));
    args.addAll(chunk == 0 ? List.of("--range") : List.of("--chunk", String.valueOf(chunk)));
    ChildJvm.Result r = ChildJvm.java().agent().jdkPatch(Corpus.needsJdkPatch(program)).childClassPath()
        .mergeStderr().timeout(240).run(CorpusMain.class.getName(), args);
    String context = program + " " + mode + " on " + workers + " workers, "
        + (chunk == 0 ? "addRange" : "chunk " + chunk) + "; child output:\n" + r.output();
    assertEquals(List.of(), r.linesContaining("cannot instrument"),
        "the agent could not instrument a class; " + context);
    Map<String, String> result = r.result();
    assertEquals("true", result.get("agent"), context);
    assertEquals("ok", result.get("check"), "invariant broken: " + context);
    assertEquals(0, r.status(), context);
    if (!mode.equals("unordered")) {
      // Ordered runs, and the sequential program run under the agent (outside any transaction),
      // must reproduce the plain sequential run exactly.
      assertEquals(expected, result.get("fingerprint"),
          "final state differs from the plain sequential run (no agent); " + context);
    }
  }

  @Test
  void aRolledBackTaskUndoesItsConstructorsButNotClassInitialization() {
    ChildJvm.Result r = ChildJvm.java().agent().childClassPath().mergeStderr().run(RollbackProbe.class.getName());
    List<Map<String, String>> results = r.results();
    assertEquals(2, results.size(), r.output());
    for (Map<String, String> result : results) {
      assertEquals("true", result.get("agent"), r.output());
      assertEquals("ok", result.get("check"), result.get("program") + "; child output:\n" + r.output());
    }
    assertEquals(0, r.status(), r.output());
  }
}
