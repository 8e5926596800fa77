package org.ame4jexamples.corpus;

import static org.junit.jupiter.api.Assertions.assertAll;
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
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every corpus program under the real {@code -javaagent} jar, its configurations in turn in one
 * child JVM ({@link ChildJvm} explains why a child; one per program, not per configuration, since
 * a JVM's start and the agent's instrumentation take longer than a test-size run, and a program's
 * later configurations then also run on the engine as its earlier ones left it, stripes turned and
 * cooled, as a long-running program's do): ordered runs on 1, 2 and 4 workers must leave
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

  /** One configuration of a program's child: {@code chunk} 0 is the {@code addRange} version. */
  record Configuration(String mode, int workers, int chunk) {
    List<String> options(String program) {
      List<String> options = new ArrayList<>(List.of("--mode", mode, "--workers", String.valueOf(workers),
          "--size", String.valueOf(Corpus.testSize(program)), "--seed", String.valueOf(SEED), "--require-agent",
          "--stats"));
      options.addAll(chunk == 0 ? List.of("--range") : List.of("--chunk", String.valueOf(chunk)));
      return options;
    }

    /** Whether {@code result} (a RESULT line's tokens) is this configuration's. */
    boolean matches(Map<String, String> result) {
      return mode.equals(result.get("mode"))
          && String.valueOf(mode.equals("sequential") ? 0 : workers).equals(result.get("workers"))
          && String.valueOf(chunk == 0 ? 1 : chunk).equals(result.get("chunk"))
          && String.valueOf(chunk == 0).equals(result.get("range"));
    }

    @Override
    public String toString() {
      return mode + " on " + workers + " workers, " + (chunk == 0 ? "addRange" : "chunk " + chunk);
    }
  }

  /**
   * Every configuration a program is checked in: ordered and unordered on 1, 2 and 4 workers; the
   * chunked version on 2 workers (a chunk of 7 does not divide the test sizes, so the last chunk
   * of a loop, and of a worklist's batch, is a partial one); the {@code addRange} version on 2
   * workers; sequential under the agent. Two unordered workers come first: the child's first run
   * initializes the program's classes, and a class initializer first triggered inside racing
   * tasks (the orchestra's {@code Cello}) is the case the agent once got wrong.
   */
  static List<Configuration> configurations() {
    List<Configuration> all = new ArrayList<>();
    for (String mode : new String[] {"unordered", "ordered"}) {
      for (int workers : new int[] {2, 1, 4}) {
        all.add(new Configuration(mode, workers, 1));
      }
      all.add(new Configuration(mode, 2, 7));
      all.add(new Configuration(mode, 2, 0));
    }
    all.add(new Configuration("sequential", 1, 1));
    return all;
  }

  static Stream<String> programs() {
    return Corpus.ALL.stream();
  }

  /**
   * The program's configurations in turn in one child JVM ({@code CorpusMain --then}): each must
   * print its result with its check held, and ordered ones (and the sequential one) the plain
   * sequential run's fingerprint. Every configuration is asserted, and every failing one listed.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("programs")
  void underTheAgent(String program) {
    String expected = reference(program);
    List<Configuration> configurations = configurations();
    List<String> args = new ArrayList<>(List.of(program));
    for (Configuration c : configurations) {
      if (args.size() > 1) {
        args.add("--then");
      }
      args.addAll(c.options(program));
    }
    ChildJvm.Result r = ChildJvm.java().agent().jdkPatch(Corpus.needsJdkPatch(program)).childClassPath()
        .mergeStderr().timeout(240).run(CorpusMain.class.getName(), args);
    String output = "; child output:\n" + r.output();
    assertEquals(List.of(), r.linesContaining("cannot instrument"), "the agent could not instrument a class" + output);
    List<Map<String, String>> results = r.results();
    List<Executable> checks = new ArrayList<>();
    for (Configuration c : configurations) {
      checks.add(() -> {
        String context = program + " " + c;
        Map<String, String> result = results.stream().filter(c::matches).findFirst()
            .orElseThrow(() -> new AssertionError("no result for " + context + output));
        assertEquals("true", result.get("agent"), context);
        assertEquals("ok", result.get("check"), "invariant broken: " + context + output);
        if (!c.mode().equals("unordered")) {
          // Ordered runs, and the sequential program run under the agent (outside any transaction),
          // must reproduce the plain sequential run exactly.
          assertEquals(expected, result.get("fingerprint"),
              "final state differs from the plain sequential run (no agent); " + context);
        }
      });
    }
    checks.add(() -> assertEquals(0, r.status(), program + output));
    assertAll(program, checks);
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
