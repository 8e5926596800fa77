package org.ame4j.internal.agent.instr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.ame4j.Ame;
import org.ame4j.Stats;
import org.ame4j.TaskFailedException;
import org.ame4j.TransactionQueue;
import org.ame4j.testkit.HangGuard;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.util.CheckClassAdapter;

/**
 * Plain sequential classes (package {@code org.ame4jtest.agenttest}) are instrumented by
 * {@link TwinTransformer}, verified (ASM's {@link CheckClassAdapter} and the JVM's own verifier
 * at link time), and run inside transactions on 1, 2 and 4 workers; results are compared with
 * the same code run without any transaction.
 */
@HangGuard(seconds = 120)
class TwinTransformerTest {
  static final String PKG = "org.ame4jtest.agenttest.";
  static final String[] TARGETS = {
    "Account", "AccountOp", "Bank", "Worklist", "Counter", "SubCounter", "Mixed", "JdkUser", "Pair", "DoubleOp",
  };

  static TwinLoader loader;

  @BeforeAll
  static void load() throws Exception {
    loader = new TwinLoader(PKG, TwinTransformerTest.class.getClassLoader());
    for (String t : TARGETS) {
      Class.forName(PKG + t, true, loader); // links: the JVM verifier runs here
    }
  }

  // ---- calling into the instrumented classes (MethodHandles never wrap exceptions) ---------

  static Object call(String cls, String method, Object... args) {
    return callIn(loader, cls, method, args);
  }

  static Object callIn(ClassLoader in, String cls, String method, Object... args) {
    return callInPackage(in, PKG, cls, method, args);
  }

  /** Calls the public method {@code method} of class {@code pkg + cls} loaded by {@code in}. */
  static Object callInPackage(ClassLoader in, String pkg, String cls, String method, Object... args) {
    try {
      Class<?> c = Class.forName(pkg + cls, true, in);
      for (Method m : c.getDeclaredMethods()) {
        int receiver = Modifier.isStatic(m.getModifiers()) ? 0 : 1;
        if (m.getName().equals(method) && m.getParameterCount() + receiver == args.length
            && !m.isSynthetic() && Modifier.isPublic(m.getModifiers())) {
          MethodHandle h = MethodHandles.publicLookup().unreflect(m);
          return h.invokeWithArguments(args);
        }
      }
      throw new IllegalArgumentException(cls + "." + method);
    } catch (Throwable t) {
      throw TwinTransformerTest.<RuntimeException>sneaky(t);
    }
  }

  @SuppressWarnings("unchecked")
  static <T extends Throwable> T sneaky(Throwable t) throws T {
    throw (T) t;
  }

  static Object newInstance(String cls) {
    try {
      return Class.forName(PKG + cls, true, loader).getConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  // ---- verification ----------------------------------------------------------------------

  @Test
  void everyProducedClassVerifiesAndHasTwins() {
    assertEquals(List.of(), loader.reports, "no class fell back");
    assertTrue(loader.produced.keySet().containsAll(
        java.util.Arrays.stream(TARGETS).map(t -> PKG + t).toList()), loader.produced.keySet().toString());
    assertEquals("", loader.verifyAll());
    System.out.println("verified " + loader.produced.size() + " instrumented classes, 0 errors");
    Class<?> bank = load("Bank");
    int twins = 0;
    for (Method m : bank.getDeclaredMethods()) {
      if (m.getName().endsWith("$ame")) {
        twins++;
        assertTrue(m.isSynthetic());
        Class<?>[] p = m.getParameterTypes();
        assertEquals(Object.class, p[p.length - 1], "a method twin takes the transaction as Object");
      }
    }
    assertTrue(twins >= 7, "twins in Bank: " + twins);
  }

  @Test
  void excludedAndAlreadyInstrumentedClassesAreLeftAlone() throws Exception {
    TwinTransformer t = new TwinTransformer(loader::originalBytes);
    assertNull(t.transform(loader.originalBytes("java/lang/String")));
    assertNull(t.transform(loader.originalBytes("org/ame4j/internal/agent/instr/TwinTransformer")));
    assertNull(t.transform(loader.produced.get(PKG + "Counter")), "twins are not twinned again");
    assertNotNull(t.transform(loader.originalBytes("org/ame4jtest/agenttest/Counter")));
  }

  @Test
  void unreadableClassFileIsRefusedWithAClearException() {
    TwinTransformer t = new TwinTransformer(loader::originalBytes);
    byte[] counter = loader.originalBytes("org/ame4jtest/agenttest/Counter");
    IllegalArgumentException truncated = assertThrows(IllegalArgumentException.class,
        () -> t.transform(java.util.Arrays.copyOf(counter, 9)));
    assertTrue(truncated.getMessage().startsWith("not a class file this agent can read"), truncated.getMessage());
    byte[] future = counter.clone();
    future[6] = 0;
    future[7] = 99; // major version 99: newer than this ASM reads
    IllegalArgumentException tooNew = assertThrows(IllegalArgumentException.class, () -> t.transform(future));
    assertTrue(tooNew.getMessage().contains("99"), tooNew.getMessage());
  }


  static Class<?> load(String cls) {
    try {
      return Class.forName(PKG + cls, true, loader);
    } catch (ClassNotFoundException e) {
      throw new AssertionError(e);
    }
  }

  // ---- (a) bank over plain long fields ---------------------------------------------------

  record Transfer(int from, int to, long amount) {}

  static List<Transfer> transfers(int n, int count, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Transfer> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(new Transfer(r.nextInt(n), r.nextInt(n), 1 + r.nextInt(60)));
    }
    return out;
  }

  @Test
  void bankOverPlainLongFieldsOrderedEqualsSequential() {
    int n = 32;
    long initial = 100;
    List<Transfer> work = transfers(n, 4_000, 42);
    call("Bank", "init", n, initial);
    for (Transfer t : work) {
      call("Bank", "transfer", t.from(), t.to(), t.amount()); // no transaction: original code
    }
    long[] expected = (long[]) call("Bank", "balances");
    long expectedTransfers = (long) call("Bank", "transfers");
    assertEquals(n * initial, (long) call("Bank", "total"));
    for (int workers : new int[] {1, 2, 4}) {
      call("Bank", "init", n, initial);
      TransactionQueue q = TransactionQueue.ordered();
      for (Transfer t : work) {
        q.add(() -> call("Bank", "transfer", t.from(), t.to(), t.amount()));
      }
      q.run(workers);
      assertArrayEquals(expected, (long[]) call("Bank", "balances"), "ordered, workers=" + workers);
      assertEquals(expectedTransfers, (long) call("Bank", "transfers"));
    }
  }

  @Test
  void bankUnorderedConservesTotal() {
    int n = 16;
    List<Transfer> work = transfers(n, 4_000, 7);
    for (int workers : new int[] {1, 2, 4}) {
      call("Bank", "init", n, 1_000L);
      TransactionQueue q = new TransactionQueue();
      for (Transfer t : work) {
        q.add(() -> call("Bank", "transfer", t.from(), t.to(), t.amount()));
      }
      q.run(workers);
      assertEquals(n * 1_000L, (long) call("Bank", "total"), "workers=" + workers);
    }
  }

  @Test
  void lambdasInterfacesAndDefaultMethodsAreTracked() {
    call("Bank", "init", 4, 10L);
    IllegalStateException boom = new IllegalStateException("boom");
    assertSame(boom, assertThrows(IllegalStateException.class, () -> Ame.atomic(() -> {
      call("Bank", "addBonus", 5L);
      assertEquals(4 * 15L + 2, (long) call("Bank", "total"));
      throw boom;
    })));
    assertEquals(40L, (long) call("Bank", "total"), "lambda writes rolled back");
    Ame.atomic(() -> call("Bank", "addBonus", 5L));
    assertEquals(4 * 15L + 2, (long) call("Bank", "total"));
  }

  @Test
  void defaultMethodThroughClassTypeIsTrackedNotInevitable() {
    call("Bank", "init", 2, 3L);
    Stats before = Ame.stats();
    IllegalStateException boom = new IllegalStateException("boom");
    assertSame(boom, assertThrows(IllegalStateException.class, () -> Ame.atomic(() -> {
      call("DoubleOp", "quadruple", 1);
      throw boom;
    })));
    assertEquals(6L, (long) call("Bank", "total"), "rolled back");
    Ame.atomic(() -> call("DoubleOp", "quadruple", 1));
    assertEquals(3L + 12L, (long) call("Bank", "total"));
    assertEquals(0, Ame.stats().minus(before).inevitable(), "no untracked call on the way");
  }

  // ---- (b) int[] worklist ----------------------------------------------------------------

  @Test
  void intArrayWorklistOrderedEqualsSequential() {
    int nodes = 1_500;
    call("Worklist", "init", nodes, 3, 99L);
    call("Worklist", "runSequential", 0);
    int[] dist = (int[]) call("Worklist", "dist");
    int[] order = (int[]) call("Worklist", "log");
    assertTrue(order.length > nodes / 2, "graph mostly reachable: " + order.length);
    for (int workers : new int[] {1, 2, 4}) {
      call("Worklist", "init", nodes, 3, 99L);
      call("Worklist", "source", 0);
      TransactionQueue q = TransactionQueue.ordered();
      q.add(() -> call("Worklist", "visit", 0));
      q.run(workers);
      assertArrayEquals(dist, (int[]) call("Worklist", "dist"), "workers=" + workers);
      assertArrayEquals(order, (int[]) call("Worklist", "log"), "visit order, workers=" + workers);
    }
    call("Worklist", "init", nodes, 3, 99L);
    call("Worklist", "source", 0);
    TransactionQueue q = new TransactionQueue();
    q.add(() -> call("Worklist", "visit", 0));
    q.run(2);
    assertArrayEquals(dist, (int[]) call("Worklist", "dist"), "unordered: same distances");
  }

  // ---- (c) statics -----------------------------------------------------------------------

  @Test
  void staticCountersLoseNoUpdate() {
    for (int workers : new int[] {1, 2, 4}) {
      call("Counter", "reset");
      TransactionQueue q = new TransactionQueue();
      int tasks = 3_000;
      for (int i = 0; i < tasks; i++) {
        int k = i;
        q.add(() -> {
          call("Counter", "inc", k);
          if (k % 3 == 0) {
            call("SubCounter", "incViaSub");
          }
        });
      }
      q.run(workers);
      assertEquals(tasks + tasks / 3, (int) call("Counter", "count"), "workers=" + workers);
      assertEquals((long) tasks * (tasks - 1) / 2, (long) call("Counter", "total"));
    }
  }

  // ---- (d) a task that throws rolls back -------------------------------------------------

  @Test
  void throwingTaskRollsBackEveryKindOfLocation() {
    Object m = newInstance("Mixed");
    call("Mixed", "touchAll", m, 1); // outside: plain code
    String before = (String) call("Mixed", "describe", m);
    double sd = (double) call("Mixed", "staticD");
    String ss = (String) call("Mixed", "staticS");
    TransactionQueue q = new TransactionQueue();
    q.add(() -> call("Mixed", "touchAllThenThrow", m, 5));
    TaskFailedException e = assertThrows(TaskFailedException.class, () -> q.run(2));
    assertTrue(e.getCause() instanceof IllegalStateException, String.valueOf(e.getCause()));
    assertEquals(before, call("Mixed", "describe", m));
    assertEquals(sd, (double) call("Mixed", "staticD"));
    assertEquals(ss, call("Mixed", "staticS"));
    // And the same writes commit when nothing throws, equal to the plain run.
    Object plain = newInstance("Mixed");
    call("Mixed", "touchAll", plain, 1);
    call("Mixed", "touchAll", plain, 5);
    Ame.atomic(() -> call("Mixed", "touchAll", m, 5));
    assertEquals(call("Mixed", "describe", plain), call("Mixed", "describe", m));
  }

  // ---- (e) untracked JDK call makes the transaction inevitable ---------------------------

  @Test
  void jdkCallOutsideAllowListMakesTransactionInevitable() {
    call("JdkUser", "reset");
    int[] data = {1, 2, 3, 4, 5};
    Stats before = Ame.stats();
    TransactionQueue q = new TransactionQueue();
    for (int i = 0; i < 20; i++) {
      q.add(() -> call("JdkUser", "addAllViaList", data));
    }
    q.run(2);
    Stats delta = Ame.stats().minus(before);
    assertEquals(20 * 15L, (long) call("JdkUser", "sum"));
    assertTrue(delta.inevitable() > 0, delta.toString());
    assertTrue(delta.inevitableSites().keySet().stream().anyMatch(s -> s.contains("java.util.ArrayList")
            || s.contains("java.util.List")), delta.inevitableSites().toString());
  }

  /**
   * Issue 16: reflection that reads no shared mutable state (an array's length, a new array, a
   * class's component type) runs as it is: a deep copy of a grid made with it, inside a
   * transaction, is right and the transaction is not inevitable.
   */
  @Test
  void reflectiveArrayLengthAndNewArrayRunAsTheyAre() {
    int[][] grid = {{1, 2}, {3, 4, 5}, {}};
    Stats before = Ame.stats();
    Object copy = Ame.atomic(() -> call("JdkUser", "deepCopy", (Object) grid));
    Stats delta = Ame.stats().minus(before);
    assertTrue(java.util.Arrays.deepEquals(grid, (Object[]) copy), java.util.Arrays.deepToString((Object[]) copy));
    assertTrue(copy != grid && ((Object[]) copy)[0] != grid[0], "a deep copy");
    assertEquals(0, delta.inevitable(), delta.toString());
    assertEquals(1, delta.commits(), delta.toString());
  }

  // ---- class file versions ---------------------------------------------------------------



  static int countInTasks(ClassLoader in, int tasks, int workers) {
    callIn(in, "Counter", "reset");
    TransactionQueue q = new TransactionQueue();
    for (int i = 0; i < tasks; i++) {
      int k = i;
      q.add(() -> callIn(in, "Counter", "inc", k));
    }
    q.run(workers);
    return (int) callIn(in, "Counter", "count");
  }

  @Test
  void java8ClassFileIsRaisedTo55ForConstantDynamic() throws Exception {
    TwinLoader l8 = new TwinLoader(PKG, getClass().getClassLoader(), b -> TwinLoader.withVersion(b, Opcodes.V1_8));
    Class.forName(PKG + "Counter", true, l8);
    byte[] out = l8.produced.get(PKG + "Counter");
    assertEquals(Opcodes.V11, new ClassReader(out).readShort(6), "major version");
    StringWriter errors = new StringWriter();
    CheckClassAdapter.verify(new ClassReader(out), l8, false, new PrintWriter(errors));
    assertEquals("", errors.toString());
    assertEquals(List.of(), l8.reports);
    assertEquals(2_000, countInTasks(l8, 2_000, 2));
  }

  @Test
  void classWithoutGuaranteedFramesFallsBackLoudlyAndRunsInevitable() throws Exception {
    TwinLoader l6 = new TwinLoader(PKG, getClass().getClassLoader(), b -> TwinLoader.withVersion(b, Opcodes.V1_6));
    Class.forName(PKG + "Counter", true, l6);
    assertEquals(1, l6.reports.size(), l6.reports.toString());
    assertTrue(l6.reports.get(0).contains("org.ame4jtest.agenttest.Counter"), l6.reports.get(0));
    byte[] out = l6.produced.get(PKG + "Counter");
    assertEquals(Opcodes.V1_6, new ClassReader(out).readShort(6), "version kept");
    Stats before = Ame.stats();
    assertEquals(300, countInTasks(l6, 300, 2), "untracked but inevitable: serial, no lost update");
    Stats delta = Ame.stats().minus(before);
    assertTrue(delta.inevitable() >= 300, delta.toString());
    assertTrue(delta.inevitableSites().keySet().stream().anyMatch(s -> s.contains("not instrumented")),
        delta.inevitableSites().toString());
  }

  // ---- opacity under the agent -------------------------------------------------------------

  @Test
  void noAttemptEverObservesABrokenInvariantOnPlainFields() {
    call("Pair", "reset");
    java.util.concurrent.atomic.AtomicLong broken = new java.util.concurrent.atomic.AtomicLong();
    java.util.concurrent.atomic.AtomicLong audits = new java.util.concurrent.atomic.AtomicLong();
    for (int workers : new int[] {2, 4}) {
      TransactionQueue q = new TransactionQueue();
      for (int i = 0; i < 6_000; i++) {
        int k = 1 + i % 7;
        if (i % 3 == 0) {
          q.add(() -> {
            audits.incrementAndGet();
            if (!(boolean) call("Pair", "consistent")) {
              broken.incrementAndGet(); // counted in every attempt, committed or not
            }
          });
        } else {
          q.add(() -> call("Pair", "move", k));
        }
      }
      q.run(workers);
    }
    assertTrue((boolean) call("Pair", "consistent"));
    assertTrue(audits.get() >= 4_000);
    assertEquals(0, broken.get(), "an attempt saw x + y != 0");
  }
}
