package org.ame4jexamples.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.ame4j.TransactionQueue;
import org.ame4j.testkit.HangGuard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The corpus programs without the agent (this JVM has none), where only one task runs at a time
 * and so nothing needs tracking: the sequential program keeps its invariants and is
 * deterministic; the task version on one ordered worker is exactly the sequential program (the
 * loop change alone changes nothing); and the task version in seeded random serial orders
 * ({@link TransactionQueue#serial(long)}) keeps the invariants, which is what an unordered run
 * promises. Multi-worker runs need the agent: {@link CorpusIT}.
 */
@HangGuard(seconds = 120)
class CorpusTest {
  static Iterable<String> programs() {
    return Corpus.ALL;
  }

  private static CorpusProgram fresh(String name) {
    return Corpus.create(name, Corpus.testSize(name), 1);
  }

  @ParameterizedTest
  @MethodSource("programs")
  void sequentialRunKeepsTheInvariantsAndIsDeterministic(String name) {
    CorpusProgram a = fresh(name);
    a.runSequential();
    assertNull(a.check(), name);
    String first = a.fingerprint();
    CorpusProgram b = fresh(name);
    b.runSequential();
    assertEquals(first, b.fingerprint(), name + ": same input, same result");
    CorpusProgram other = Corpus.create(name, Corpus.testSize(name), 2);
    other.runSequential();
    assertNotEquals(first, other.fingerprint(), name + ": the seed matters");
  }

  @ParameterizedTest
  @MethodSource("programs")
  void tasksOnOneOrderedWorkerAreTheSequentialProgram(String name) {
    CorpusProgram seq = fresh(name);
    seq.runSequential();
    CorpusProgram tasks = fresh(name);
    tasks.runTasks(TransactionQueue.ordered(), 1);
    assertNull(tasks.check(), name);
    assertEquals(seq.fingerprint(), tasks.fingerprint(), name);
  }

  @ParameterizedTest
  @MethodSource("programs")
  void rangeTasksOnOneOrderedWorkerAndSeriallyAreTheSequentialProgram(String name) {
    CorpusProgram seq = fresh(name);
    seq.runSequential();
    CorpusProgram tasks = fresh(name);
    tasks.runRangeTasks(TransactionQueue.ordered(), 1);
    assertNull(tasks.check(), name);
    assertEquals(seq.fingerprint(), tasks.fingerprint(), name);
    CorpusProgram serial = fresh(name);
    serial.runRangeTasks(TransactionQueue.serial(7), 0);
    assertNull(serial.check(), name + ", serial random order");
  }

  @ParameterizedTest
  @MethodSource("programs")
  void chunkedTasksOnOneOrderedWorkerAreTheSequentialProgram(String name) {
    CorpusProgram seq = fresh(name);
    seq.runSequential();
    for (int chunk : new int[] {1, 7, 64}) {
      CorpusProgram tasks = fresh(name);
      tasks.runChunkedTasks(TransactionQueue.ordered(), 1, chunk);
      assertNull(tasks.check(), name + ", chunk " + chunk);
      assertEquals(seq.fingerprint(), tasks.fingerprint(), name + ", chunk " + chunk);
    }
  }

  @ParameterizedTest
  @MethodSource("programs")
  void chunkedTasksInRandomSerialOrdersKeepTheInvariants(String name) {
    for (long order = 0; order < 2; order++) {
      CorpusProgram p = fresh(name);
      p.runChunkedTasks(TransactionQueue.serial(order), 1, 7);
      assertNull(p.check(), name + ", serial order " + order);
    }
  }

  @ParameterizedTest
  @MethodSource("programs")
  void tasksInRandomSerialOrdersKeepTheInvariants(String name) {
    for (long order = 0; order < 3; order++) {
      CorpusProgram p = fresh(name);
      p.runTasks(TransactionQueue.serial(order), 1);
      assertNull(p.check(), name + ", serial order " + order);
    }
  }

  @Test
  void unknownProgramIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> Corpus.create("nope", 1, 1));
  }

  @Test
  void mainPrintsOneResultLineAndSaysWhenTheAgentIsMissing() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    assertEquals(0, CorpusMain.run(new String[] {"bank", "--size", "1000"}, o, e));
    String line = out.toString(StandardCharsets.UTF_8).trim();
    assertTrue(line.startsWith("RESULT program=bank mode=sequential"), line);
    assertTrue(line.contains(" agent=false "), line);
    assertTrue(line.endsWith(" check=ok"), line);
    assertEquals(3, CorpusMain.run(new String[] {"bank", "--require-agent"}, o, e));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("-javaagent:"));
    assertEquals(2, CorpusMain.run(new String[] {"bank", "--mode", "sideways"}, o, e));
    assertEquals(2, CorpusMain.run(new String[] {"bank", "--chunk", "0"}, o, e));
    assertEquals(2, CorpusMain.run(new String[] {"nope"}, o, e));
    assertEquals(2, CorpusMain.run(new String[] {}, o, e));
  }

  @Test
  void thenRunsFurtherConfigurationsInTheSameJvmAndABadOneStopsTheBatchBeforeItRuns() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    assertEquals(0, CorpusMain.runAll(new String[] {"bank", "--size", "1000", "--then", "--mode", "unordered",
        "--workers", "1", "--size", "1000", "--chunk", "3"}, o, e)); // one worker: this JVM has no agent
    List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals(2, lines.size(), lines.toString());
    assertTrue(lines.get(0).startsWith("RESULT program=bank mode=sequential workers=0 chunk=1 "), lines.get(0));
    assertTrue(lines.get(1).startsWith("RESULT program=bank mode=unordered workers=1 chunk=3 "), lines.get(1));
    assertTrue(lines.stream().allMatch(l -> l.endsWith(" check=ok")), lines.toString());
    out.reset();
    assertEquals(2, CorpusMain.runAll(new String[] {"bank", "--size", "1000", "--then", "--chunk", "0"}, o, e));
    assertEquals("", out.toString(StandardCharsets.UTF_8), "nothing ran");
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("--chunk must be >= 1, was 0"));
  }
}
