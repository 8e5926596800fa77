package org.ame4j.internal.agent.instr;

import static org.ame4j.internal.agent.instr.TwinTransformerTest.PKG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.ame4j.Ame;
import org.ame4j.Stats;
import org.ame4j.TransactionQueue;
import org.ame4j.internal.agent.rt.TaskEntryRule;
import org.ame4j.testkit.HangGuard;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;

/**
 * The parts of the language beyond plain field and array accesses: constructors and static
 * initializers, calls through JDK interfaces and method references, records, string
 * concatenation, monitors, and a subclass that could not be instrumented.
 */
@HangGuard(seconds = 120)
class TwinSemanticsTest {
  static TwinLoader loader;

  @BeforeAll
  static void load() throws Exception {
    loader = new TwinLoader(PKG, TwinSemanticsTest.class.getClassLoader());
    for (String t : new String[] {"Lifecycle", "Lifecycle$Tagged", "Dispatch", "Monitors", "Shape", "Cloning"}) {
      Class.forName(PKG + t, true, loader); // links: the JVM verifier runs here
    }
  }

  static Object call(String cls, String method, Object... args) {
    return TwinTransformerTest.callIn(loader, cls, method, args);
  }

  static Stats inAtomic(Runnable r) {
    Stats before = Ame.stats();
    Ame.atomic(r);
    return Ame.stats().minus(before);
  }

  @Test
  void everyProducedClassVerifies() throws Exception {
    Class.forName(PKG + "Lifecycle$LateInit", false, loader);
    assertEquals("", loader.verifyAll());
    assertEquals(List.of(), loader.reports);
  }

  // ---- constructors ----------------------------------------------------------------------

  @Test
  void constructorsThatWriteSharedStateAreTrackedOrderedEqualsSequential() {
    call("Lifecycle", "reset");
    for (int i = 0; i < 200; i++) {
      call("Lifecycle", "growShared", 1 + i % 5);
    }
    long expected = (long) call("Lifecycle", "sharedChecksum");
    long created = (long) call("Lifecycle", "created");
    long tagged = (long) call("Lifecycle", "tagged");
    for (int workers : new int[] {1, 2, 4}) {
      call("Lifecycle", "reset");
      TransactionQueue q = TransactionQueue.ordered();
      for (int i = 0; i < 200; i++) {
        int n = 1 + i % 5;
        q.add(() -> call("Lifecycle", "growShared", n));
      }
      q.run(workers);
      assertEquals(created, (long) call("Lifecycle", "created"), "workers=" + workers);
      assertEquals(tagged, (long) call("Lifecycle", "tagged"), "workers=" + workers);
      assertEquals(expected, (long) call("Lifecycle", "sharedChecksum"), "workers=" + workers);
    }
  }

  @Test
  void constructorWritesAreRolledBack() {
    call("Lifecycle", "reset");
    Object head = call("Lifecycle", "grow", null, 3);
    long sum = (long) call("Lifecycle", "checksum", head);
    IllegalStateException boom = new IllegalStateException("boom");
    Stats s = Ame.stats();
    assertSame(boom, assertThrows(IllegalStateException.class, () -> Ame.atomic(() -> {
      call("Lifecycle", "grow", head, 4);
      throw boom;
    })));
    assertEquals(3L, (long) call("Lifecycle", "created"), "static written by constructors");
    assertEquals(sum, (long) call("Lifecycle", "checksum", head), "old head's value restored");
    assertEquals(0, Ame.stats().minus(s).inevitable());
  }

  @Test
  void staticInitializerRunsOnceOutsideTheTransactionThatTriggersIt() {
    IllegalStateException boom = new IllegalStateException("boom");
    assertSame(boom, assertThrows(IllegalStateException.class, () -> Ame.atomic(() -> {
      assertEquals(42L + 101L, (long) call("Lifecycle", "bumpLate"));
      throw boom; // rolls back the bump, not the initializer's own writes
    })));
    assertEquals(1, (int) call("Lifecycle", "initializerRuns"), "initializer ran once, not rolled back");
    assertEquals(100L, (long) call("Lifecycle", "lateCounter"), "initializer's write kept, bump undone");
    TransactionQueue q = new TransactionQueue();
    for (int i = 0; i < 500; i++) {
      q.add(() -> call("Lifecycle", "bumpLate"));
    }
    q.run(2);
    assertEquals(600L, (long) call("Lifecycle", "lateCounter"));
    assertEquals(1, (int) call("Lifecycle", "initializerRuns"));
  }

  // ---- calls through JDK interfaces, method references ------------------------------------

  @Test
  void userImplementationsBehindJdkInterfacesStayTracked() {
    for (String factory : new String[] {"adder", "lambda"}) {
      call("Dispatch", "reset");
      Object op = call("Dispatch", factory);
      IllegalStateException boom = new IllegalStateException("boom");
      Stats before = Ame.stats();
      assertSame(boom, assertThrows(IllegalStateException.class, () -> Ame.atomic(() -> {
        call("Dispatch", "viaJdkInterface", op, 5);
        throw boom;
      })));
      assertEquals(0L, (long) call("Dispatch", "total"), factory + ": rolled back");
      Ame.atomic(() -> call("Dispatch", "viaJdkInterface", op, 5));
      assertTrue((long) call("Dispatch", "total") > 0, factory);
      assertEquals(0, Ame.stats().minus(before).inevitable(), factory + ": no untracked call");
    }
  }

  @Test
  void jdkImplementationsBehindJdkInterfacesMakeTheTransactionInevitable() {
    Object op = call("Dispatch", "jdkOperator");
    Stats s = inAtomic(() -> call("Dispatch", "viaJdkInterface", op, 5));
    assertEquals(1, s.inevitable(), s.toString());
    assertTrue(s.inevitableSites().keySet().stream().anyMatch(k -> k.contains("applyAsInt")),
        s.inevitableSites().toString());
    Stats c = inAtomic(() -> call("Dispatch", "compare", Comparator.naturalOrder(), "a", "b"));
    assertEquals(1, c.inevitable(), "Comparator.naturalOrder() is JDK code");
  }

  @Test
  void methodReferenceToJdkCodeIsNeverSilentlyUntracked() {
    List<Object> list = new ArrayList<>();
    Object sink = call("Dispatch", "listSink", list); // created outside any transaction
    Stats s = inAtomic(() -> call("Dispatch", "putVia", sink, "x"));
    assertEquals(List.of("x"), list);
    assertEquals(1, s.inevitable(), "ArrayList.add through a user interface: " + s);
    assertTrue(s.inevitableSites().keySet().stream().anyMatch(k -> k.contains("java.util.List.add")),
        s.inevitableSites().toString());
  }

  @Test
  void recordsAndStringConcatenationOfUserObjectsStayTracked() {
    call("Dispatch", "reset");
    Stats r = inAtomic(() -> assertTrue((boolean) call("Dispatch", "recordMethods", 3)));
    assertEquals(0, r.inevitable(), r.toString());
    Object named = TwinTransformerTest.callIn(loader, "Dispatch", "adder"); // any instrumented object
    Stats c = inAtomic(() -> assertTrue(((String) call("Dispatch", "concat", named)).startsWith("v=")));
    assertEquals(0, c.inevitable(), c.toString());
    Stats j = inAtomic(() -> assertEquals("v=[1]", call("Dispatch", "concat", new ArrayList<>(List.of(1)))));
    assertEquals(1, j.inevitable(), "toString of a JDK collection is untracked: " + j);
  }

  // ---- monitors ---------------------------------------------------------------------------

  @Test
  void synchronizedInsideTasksIsElidedAndLosesNoUpdate() {
    call("Monitors", "reset");
    Stats before = Ame.stats();
    TransactionQueue q = new TransactionQueue();
    for (int i = 0; i < 4_000; i++) {
      boolean sync = i % 2 == 0;
      q.add(() -> call("Monitors", sync ? "incSync" : "incBlock"));
    }
    q.run(2);
    assertEquals(4_000L, (long) call("Monitors", "count"));
    // Contention on one counter may escalate a task to inevitable (progress), but no monitor
    // operation may be an untracked call.
    assertEquals(Map.of(), Ame.stats().minus(before).inevitableSites());
  }

  /**
   * A synchronized method's original dispatches before it takes its monitor: a transaction that
   * reaches it from untracked code (here this test, through reflection) never blocks on the
   * monitor; outside transactions the monitor is taken and released as before, also when the
   * method throws.
   */
  @Test
  void synchronizedOriginalsTakeTheirMonitorOnlyOutsideTransactions() throws Exception {
    call("Monitors", "reset");
    Class<?> monitors = Class.forName(PKG + "Monitors", true, loader);
    Object mine = monitors.getConstructor().newInstance();
    java.lang.reflect.Method incMine = monitors.getMethod("incMine");
    java.lang.reflect.Method incSync = monitors.getMethod("incSync");
    assertFalse(java.lang.reflect.Modifier.isSynchronized(incSync.getModifiers()));
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread holder = new Thread(() -> {
      synchronized (monitors) {
        synchronized (mine) {
          held.countDown();
          awaitQuietly(release);
        }
      }
    });
    holder.start();
    held.await();
    Ame.atomic(() -> {
      invoke(incSync, null);
      assertEquals(2L, invoke(incMine, mine)); // would block: the holder has both monitors
    });
    Thread outside = new Thread(() -> invoke(incSync, null));
    outside.start();
    while (outside.getState() != Thread.State.BLOCKED) {
      Thread.onSpinWait(); // outside a transaction the monitor is taken
    }
    release.countDown();
    outside.join();
    holder.join();
    assertEquals(3L, (long) call("Monitors", "count"));
    java.lang.reflect.Method thrower = monitors.getMethod("incThenThrow");
    assertThrows(java.lang.reflect.InvocationTargetException.class, () -> thrower.invoke(null));
    Thread after = new Thread(() -> invoke(incSync, null)); // released by the handler
    after.start();
    after.join(10_000);
    assertFalse(after.isAlive());
    assertEquals(5L, (long) call("Monitors", "count"));
  }

  /**
   * Which tasks may join a batch (the agent's rule for the queue's TaskEntries): tasks entered
   * through tracked code; not this test's own lambdas (untracked), and not a task whose entry
   * the JVM enters with a monitor before anything of ours runs (a fallback class).
   */
  @Test
  void onlyTasksEnteredThroughTrackedCodeMayJoinABatch() throws Exception {
    Class<?> monitors = Class.forName(PKG + "Monitors", true, loader);
    Object tracked = monitors.getMethod("task").invoke(null);
    assertTrue(TaskEntryRule.startsTracked(tracked.getClass()));
    assertTrue(TaskEntryRule.startsTracked(Class.forName(PKG + "Monitors$SyncTask", true, loader)));
    Runnable untracked = () -> { };
    assertFalse(TaskEntryRule.startsTracked(untracked.getClass()));
    TwinLoader old = new TwinLoader(PKG, getClass().getClassLoader(),
        b -> new ClassReader(b).getClassName().endsWith("Monitors$SyncTask")
            ? TwinLoader.withVersion(b, Opcodes.V1_6) : b);
    Class<?> fallback = Class.forName(PKG + "Monitors$SyncTask", true, old);
    assertTrue(java.lang.reflect.Modifier.isSynchronized(fallback.getMethod("run").getModifiers()));
    assertFalse(TaskEntryRule.startsTracked(fallback));
  }

  private static Object invoke(java.lang.reflect.Method m, Object receiver) {
    try {
      return m.invoke(receiver);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void waitInsideATaskWaitsLikeRetryUntilAnotherTaskChangesTheCondition() {
    call("Monitors", "reset");
    TransactionQueue q = new TransactionQueue();
    for (int i = 0; i < 20; i++) {
      q.add(() -> call("Monitors", "consume"));
    }
    q.add(() -> call("Monitors", "produce"));
    q.run(2);
    assertEquals(20L, (long) call("Monitors", "consumed"));
  }

  @Test
  void serializableClassKeepsItsComputedSerialVersionUid() throws Exception {
    Class<?> plain = Class.forName(PKG + "Ledger");
    Class<?> twinned = Class.forName(PKG + "Ledger", true, loader);
    assertTrue(plain != twinned);
    assertTrue(java.util.Arrays.stream(twinned.getDeclaredMethods()).anyMatch(m -> m.getName().endsWith("$ame")));
    assertEquals(java.io.ObjectStreamClass.lookup(plain).getSerialVersionUID(),
        java.io.ObjectStreamClass.lookup(twinned).getSerialVersionUID());
  }

  // ---- clone --------------------------------------------------------------------------------

  @Test
  void superCloneCopiesWhatTheTransactionSeesWithoutGoingInevitable() {
    call("Cloning", "reset", 5, 50L);
    Stats s = inAtomic(() -> {
      call("Cloning", "setCount", 7); // our own uncommitted write is what the copy holds
      assertEquals("7 50 base 1 true true", call("Cloning", "copyShared"));
      assertEquals(7, call("Cloning", "copyAndChange"), "the copy is a different object");
    });
    assertEquals(0, s.inevitable(), s.toString());
    assertEquals("7 50 base 1 true true", call("Cloning", "copyShared"), "outside transactions: the plain clone");
    Stats n = inAtomic(() -> assertThrows(CloneNotSupportedException.class, () -> call("Cloning", "cloneSealed")));
    assertEquals(0, n.inevitable(), "Object.clone's own check, no inevitability: " + n);
  }

  /**
   * The JVM's copy reads memory untracked, so while another transaction holds an uncommitted
   * write the copy would hold it too; the clone must re-read every field through the barriers
   * and wait for, or conflict with, the writer. Here the writer rolls back, so no copy may ever
   * show its value.
   */
  @Test
  void cloneNeverCopiesAnotherTransactionsUncommittedWrite() throws Exception {
    call("Cloning", "reset", 5, 50L);
    CountDownLatch written = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread writer = new Thread(() -> {
      try {
        Ame.atomic(() -> {
          call("Cloning", "setCount", 99);
          written.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          throw new IllegalStateException("roll back");
        });
      } catch (IllegalStateException expected) {
        // rolled back: count is 5 again
      }
    });
    writer.start();
    written.await();
    AtomicInteger attempts = new AtomicInteger();
    AtomicReference<Object> copied = new AtomicReference<>();
    Thread cloner = new Thread(() -> copied.set(Ame.atomic(() -> {
      attempts.incrementAndGet();
      return call("Cloning", "copyShared");
    })));
    cloner.start();
    Thread.sleep(100); // the cloner meets the writer's lock (if it is slower, it just sees 5)
    release.countDown();
    writer.join();
    cloner.join();
    assertEquals("5 50 base 1 true true", copied.get(), "after " + attempts.get() + " attempt(s)");
  }

  // ---- a subclass that could not be instrumented -----------------------------------------

  @Test
  void overrideInAFallbackSubclassIsStillSelectedAndRunsInevitable() throws Exception {
    TwinLoader mixed = new TwinLoader(PKG, getClass().getClassLoader(),
        b -> new ClassReader(b).getClassName().endsWith("Shape$Square")
            ? TwinLoader.withVersion(b, Opcodes.V1_6) : b);
    Class.forName(PKG + "Shape$Square", true, mixed);
    assertEquals(1, mixed.reports.size(), mixed.reports.toString());
    Object square = TwinTransformerTest.callIn(mixed, "Shape", "square");
    Stats before = Ame.stats();
    long area = Ame.atomic(() -> (long) TwinTransformerTest.callIn(mixed, "Shape", "areaOf", square));
    assertEquals(4L, area, "the subclass's override ran, not the base twin");
    Stats s = Ame.stats().minus(before);
    assertEquals(1, s.inevitable(), s.toString());
  }
}
