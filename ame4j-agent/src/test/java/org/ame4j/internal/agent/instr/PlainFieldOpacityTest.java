package org.ame4j.internal.agent.instr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.ame4j.testkit.HangGuard;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Opacity of read-only transactions over plain fields, as users run them: {@code
 * org.ame4jtest.agenttest.Snapshot} instrumented by the agent's transformer, a writer moving value
 * between two instance fields with a pause between the halves, and readers checking
 * {@code x + y == 0} in tight read-only transactions. A read-only commit is not validated, so a
 * reader that ever returned a value loaded between its record check and a writer's lock would
 * show a broken sum here.
 *
 * <p>A stress test, not a proof: the race it probes (a writer locking and writing inside the few
 * nanoseconds between a reader's record check and its load) needs the reader to be descheduled
 * right there, so a broken barrier shows up a few times per million reads, more on a busy
 * machine. {@code BarrierInterleavingsTest} in ame4j-core forces the same race every run at the
 * engine's entry points; this one keeps the contract honest through changes to the barriers the
 * agent emits.
 */
@HangGuard(seconds = 180)
class PlainFieldOpacityTest {
  static final String PKG = "org.ame4jtest.agenttest.";
  static TwinLoader loader;

  @BeforeAll
  static void load() throws Exception {
    loader = new TwinLoader(PKG, PlainFieldOpacityTest.class.getClassLoader());
    Class.forName(PKG + "Snapshot", true, loader);
  }

  static Object call(String method, Object... args) {
    return TwinTransformerTest.callInPackage(loader, PKG, "Snapshot", method, args);
  }

  /**
   * Runs {@code write} against three reader threads (more threads than cores: readers are
   * descheduled mid-barrier more often), each calling {@code read} until the writer is done;
   * returns the readers' {committed reads, broken ones} summed, or throws what a thread threw.
   */
  static long[] readersAgainst(Function<AtomicBoolean, long[]> read, Runnable write) throws InterruptedException {
    AtomicBoolean done = new AtomicBoolean();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    long[] sum = new long[2];
    List<Thread> threads = new ArrayList<>();
    for (int r = 0; r < 3; r++) {
      Thread t = new Thread(() -> {
        try {
          long[] c = read.apply(done);
          synchronized (sum) {
            sum[0] += c[0];
            sum[1] += c[1];
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      });
      threads.add(t);
      t.start();
    }
    try {
      write.run();
    } finally {
      done.set(true);
      for (Thread t : threads) {
        t.join();
      }
    }
    if (failure.get() != null) {
      throw new AssertionError(failure.get());
    }
    return sum;
  }

  @Test
  void readOnlyTransactionsNeverSeeAHalfDoneMove() throws Exception {
    assertEquals("", loader.verifyAll());
    Object snapshot = call("create");
    int moves = Boolean.getBoolean("ame4j.stress") ? 2_000_000 : 300_000;
    long[] c = readersAgainst(done -> (long[]) call("checkUntil", snapshot, done),
        () -> call("shiftMany", snapshot, moves));
    long reads = c[0];
    long broken = c[1];
    System.out.println("PlainFieldOpacityTest: " + reads + " read-only transactions against " + moves
        + " moves, " + broken + " broken");
    assertTrue(reads > 0);
    assertEquals(0, broken, broken + " of " + reads + " read-only transactions saw x + y != 0");
    assertEquals(0L, (long) call("sumOf", snapshot));
  }
}
