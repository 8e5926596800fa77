package org.ame4j.internal.agent.instr;

import static org.ame4j.internal.agent.instr.TwinTransformerTest.PKG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BinaryOperator;
import java.util.function.IntBinaryOperator;
import java.util.function.IntUnaryOperator;
import java.util.function.LongBinaryOperator;
import java.util.function.LongUnaryOperator;
import java.util.function.UnaryOperator;
import org.ame4j.Ame;
import org.ame4j.Stats;
import org.ame4j.TransactionQueue;
import org.ame4j.internal.agent.rt.AtomicIntegerIntrinsics;
import org.ame4j.internal.agent.rt.AtomicLongIntrinsics;
import org.ame4j.internal.agent.rt.AtomicReferenceIntrinsics;
import org.ame4j.internal.agent.rt.LongAdderIntrinsics;
import org.ame4j.internal.engine.FieldBarriers;
import org.ame4j.internal.engine.FieldWrites;
import org.ame4j.internal.engine.Txn;
import org.ame4j.testkit.HangGuard;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The atomic families through their stand-ins ({@link AtomicLongIntrinsics} and the others), called exactly as a twin will call them
 * (the running {@code Txn} last): every entry point against the real JDK method on the same
 * inputs, rollback, ordered runs equal to the sequential run, invariants and opacity probes under
 * unordered runs, and the rules for user code behind an intrinsic (functions, toString, overrides).
 *
 * <p>About "not inevitable" under contention: the engine runs a task inevitable after
 * {@code ame4j.maxAborts} conflict aborts (its progress guarantee), which is legal and depends on
 * scheduling. So multi-worker runs assert that no transaction <em>asked</em> to become inevitable
 * (no site) and that every inevitable run was paid for by that many aborts; single-worker and
 * sequential checks assert zero.
 */
@HangGuard(seconds = 300)
class AtomicIntrinsicsTest {
  static final int MAX_ABORTS = Integer.getInteger("ame4j.maxAborts", 16);
  static TwinLoader loader;

  @BeforeAll
  static void load() throws Exception {
    loader = new TwinLoader(PKG, AtomicIntrinsicsTest.class.getClassLoader());
    Class.forName(PKG + "AtomicsUser", true, loader);
  }

  static Object user(String method, Object... args) {
    return TwinTransformerTest.callIn(loader, "AtomicsUser", method, args);
  }

  static void assertNoneInevitable(Stats s) {
    assertEquals(java.util.Map.of(), s.inevitableSites(), s.toString());
    assertTrue(s.inevitable() * MAX_ABORTS <= s.aborts(), "inevitable only by escalation: " + s);
  }

  static Stats inAtomic(Runnable r) {
    Stats before = Ame.stats();
    Ame.atomic(r);
    return Ame.stats().minus(before);
  }

  // ---- reflection over the entry points ----------------------------------------------------

  static final List<Class<?>> FAMILIES = JdkIntrinsicsContractTest.FAMILIES;
  /** Distinct objects that are equal in pairs, so identity and equality give different answers. */
  @SuppressWarnings("StringOperationCanBeSimplified")
  static final Object[] POOL = {new String("a"), new String("a"), new String("b"), null, "c", new String("b")};

  /** {@code jdkName}: the JDK method {@code jdk} is (a memory-order variant's stand-in is its volatile form's). */
  record Op(MethodHandle intrinsic, MethodHandle jdk, Method method, boolean function, String jdkName) {
    Class<?>[] args() {
      Class<?>[] p = method.getParameterTypes();
      return Arrays.copyOfRange(p, 1, p.length - 1);
    }
  }

  static List<Op> ops(Class<?> family, boolean withFunctions) {
    List<Op> out = new ArrayList<>();
    try {
      for (Method m : JdkIntrinsicsContractTest.entryPoints()) {
        Class<?>[] p = m.getParameterTypes();
        if (p[0] != family) {
          continue;
        }
        boolean function = Arrays.stream(p).anyMatch(t -> t.isInterface());
        if (function && !withFunctions) {
          continue;
        }
        Method jdk = JdkIntrinsicsContractTest.jdkMethod(m);
        out.add(new Op(MethodHandles.publicLookup().unreflect(m),
            MethodHandles.publicLookup().unreflect(jdk), m, function, jdk.getName()));
      }
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
    // The memory-order variants, through the volatile form's stand-in the transformer calls.
    for (Method jdk : family.getMethods()) {
      Method m = JdkIntrinsicsContractTest.entryPointFor(family, jdk);
      if (m != null && !m.getName().equals(jdk.getName()) && !Modifier.isStatic(jdk.getModifiers())) {
        try {
          out.add(new Op(MethodHandles.publicLookup().unreflect(m),
              MethodHandles.publicLookup().unreflect(jdk), m, false, jdk.getName()));
        } catch (IllegalAccessException e) {
          throw new AssertionError(e);
        }
      }
    }
    out.sort((a, b) -> (a.method + a.jdkName).compareTo(b.method + b.jdkName)); // a stable order
    return out;
  }

  static Object zero(Class<?> t) {
    if (t == int.class) return 0;
    if (t == long.class) return 0L;
    if (t == boolean.class) return false;
    return null;
  }

  static Object randomArg(Class<?> t, SplittableRandom r) {
    if (t == int.class) return r.nextInt(-3, 4);
    if (t == long.class) return r.nextLong(-3, 4);
    if (t == boolean.class) return r.nextBoolean();
    if (t == IntUnaryOperator.class) return (IntUnaryOperator) x -> 3 * x + 1;
    if (t == IntBinaryOperator.class) return (IntBinaryOperator) (x, y) -> x - 2 * y;
    if (t == LongUnaryOperator.class) return (LongUnaryOperator) x -> 5 - x;
    if (t == LongBinaryOperator.class) return (LongBinaryOperator) Math::max;
    if (t == UnaryOperator.class) return (UnaryOperator<Object>) o -> POOL[(poolIndex(o) + 1) % POOL.length];
    if (t == BinaryOperator.class) return (BinaryOperator<Object>) (a, b) -> b;
    return POOL[r.nextInt(POOL.length)];
  }

  static int poolIndex(Object o) {
    for (int i = 0; i < POOL.length; i++) {
      if (POOL[i] == o) {
        return i;
      }
    }
    return -1;
  }

  static Object newTarget(Class<?> family, SplittableRandom r) {
    if (family == AtomicInteger.class) return new AtomicInteger(r.nextInt(-3, 4));
    if (family == AtomicLong.class) return new AtomicLong(r.nextLong(-3, 4));
    if (family == AtomicBoolean.class) return new AtomicBoolean(r.nextBoolean());
    if (family == AtomicReference.class) return new AtomicReference<>(POOL[r.nextInt(POOL.length)]);
    LongAdder a = new LongAdder();
    a.add(r.nextLong(-3, 4));
    return a;
  }

  /** The state of a target, read plainly (outside transactions); references by identity. */
  static Object state(Object target) {
    if (target instanceof AtomicInteger a) return a.get();
    if (target instanceof AtomicLong a) return a.get();
    if (target instanceof AtomicBoolean a) return a.get();
    if (target instanceof AtomicReference<?> a) return new Identity(a.get());
    return ((LongAdder) target).sum();
  }

  /** Compares by identity (pooled references) or by value (everything else). */
  record Identity(Object o) {
    @Override
    public boolean equals(Object other) {
      return other instanceof Identity i && i.o == o;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(o);
    }

    @Override
    public String toString() {
      return "#" + poolIndex(o) + ":" + o;
    }
  }

  static Object outcome(Object result) {
    return result == null || poolIndex(result) >= 0 && !(result instanceof Boolean) && !(result instanceof Number)
        ? new Identity(result) : result;
  }

  record Call(Op op, Object[] args) {
    Object jdk(Object target) {
      Object[] a = new Object[args.length + 1];
      a[0] = target;
      System.arraycopy(args, 0, a, 1, args.length);
      return invoke(op.jdk, a);
    }

    Object intrinsic(Object target, Txn tx) {
      Object[] a = new Object[args.length + 2];
      a[0] = target;
      System.arraycopy(args, 0, a, 1, args.length);
      a[a.length - 1] = tx;
      return invoke(op.intrinsic, a);
    }

    @Override
    public String toString() {
      return op.jdkName + Arrays.toString(args);
    }
  }

  static Object invoke(MethodHandle h, Object[] args) {
    try {
      return outcome(h.invokeWithArguments(args));
    } catch (Throwable t) {
      throw TwinTransformerTest.<RuntimeException>sneaky(t); // the engine's signals pass unwrapped
    }
  }

  static Call randomCall(List<Op> ops, SplittableRandom r) {
    Op op = ops.get(r.nextInt(ops.size()));
    Class<?>[] types = op.args();
    Object[] args = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      args[i] = randomArg(types[i], r);
    }
    return new Call(op, args);
  }

  // ---- sequential semantics ---------------------------------------------------------------

  /** Batches of 1–6 random calls: the same results and states as the JDK's, one transaction per batch. */
  @Test
  void everyEntryPointReturnsWhatTheJdkReturnsAndLeavesTheSameState() {
    for (Class<?> family : FAMILIES) {
      List<Op> ops = ops(family, true);
      SplittableRandom r = new SplittableRandom(family.getName().hashCode());
      for (int round = 0; round < 300; round++) {
        long seed = r.nextLong();
        Object plain = newTarget(family, new SplittableRandom(seed));
        Object tracked = newTarget(family, new SplittableRandom(seed));
        List<Call> batch = new ArrayList<>();
        for (int n = 1 + r.nextInt(6); n > 0; n--) {
          batch.add(randomCall(ops, r));
        }
        List<Object> expected = new ArrayList<>();
        for (Call c : batch) {
          expected.add(c.jdk(plain));
        }
        List<Object> actual = new ArrayList<>();
        Ame.atomic(() -> {
          actual.clear(); // a restarted attempt starts over
          Txn tx = Txn.active();
          for (Call c : batch) {
            actual.add(c.intrinsic(tracked, tx));
          }
        });
        assertEquals(expected, actual, family.getSimpleName() + " " + batch);
        assertEquals(state(plain), state(tracked), family.getSimpleName() + " " + batch);
      }
    }
  }

  @Test
  void theRandomCallsDrawFromEveryAtomicEntryPoint() {
    java.util.Set<Method> drawn = new java.util.HashSet<>();
    java.util.Set<String> jdkMethods = new java.util.HashSet<>();
    for (Class<?> family : FAMILIES) {
      for (Op op : ops(family, true)) {
        drawn.add(op.method());
        jdkMethods.add(family.getSimpleName() + "." + op.jdkName() + Arrays.toString(op.args()));
      }
    }
    assertEquals(JdkIntrinsicsContractTest.entryPoints().size() - 2, drawn.size(), "all but arraycopy and cloneArray");
    assertTrue(jdkMethods.contains("AtomicLong.getAcquire[]") && jdkMethods.contains("AtomicInteger.setRelease[int]"),
        "and the memory-order variants through their volatile form's stand-in: " + jdkMethods);
  }

  // ---- rollback ---------------------------------------------------------------------------

  /** A transaction that throws leaves every atomic as it was; a rolled-back nested block only its part. */
  @Test
  void aThrowingTransactionLeavesAtomicsUnchanged() {
    IllegalStateException boom = new IllegalStateException("boom");
    for (Class<?> family : FAMILIES) {
      List<Op> ops = ops(family, true);
      SplittableRandom r = new SplittableRandom(~family.getName().hashCode());
      for (int round = 0; round < 100; round++) {
        long seed = r.nextLong();
        Object target = newTarget(family, new SplittableRandom(seed));
        Object before = state(target);
        List<Call> calls = new ArrayList<>();
        for (int n = 1 + r.nextInt(8); n > 0; n--) {
          calls.add(randomCall(ops, r));
        }
        assertSame(boom, assertThrows(IllegalStateException.class, () -> Ame.atomic(() -> {
          for (Call c : calls) {
            c.intrinsic(target, Txn.active());
          }
          throw boom;
        })));
        assertEquals(before, state(target), family.getSimpleName() + " " + calls);

        // nested: the outer part stays, the inner part goes
        Object replica = newTarget(family, new SplittableRandom(seed));
        int split = r.nextInt(calls.size() + 1);
        for (Call c : calls.subList(0, split)) {
          c.jdk(replica);
        }
        Ame.atomic(() -> {
          Txn tx = Txn.active();
          for (Call c : calls.subList(0, split)) {
            c.intrinsic(target, tx);
          }
          try {
            Ame.atomic(() -> {
              for (Call c : calls.subList(split, calls.size())) {
                c.intrinsic(target, tx);
              }
              throw boom;
            });
          } catch (IllegalStateException expected) {
            assertSame(boom, expected);
          }
        });
        assertEquals(state(replica), state(target), family.getSimpleName() + " nested " + calls + " at " + split);
      }
    }
  }

  // ---- ordered runs = the sequential run ----------------------------------------------------

  static Object[] targets(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Object[] t = new Object[FAMILIES.size() + 1];
    for (int i = 0; i < FAMILIES.size(); i++) {
      t[i] = newTarget(FAMILIES.get(i), r);
    }
    t[FAMILIES.size()] = newTarget(AtomicInteger.class, r);
    return t;
  }

  record Task(int[] target, Call[] calls) {}

  static List<Task> tasks(int n, long seed, boolean withFunctions) {
    SplittableRandom r = new SplittableRandom(seed);
    List<List<Op>> opsByTarget = new ArrayList<>();
    for (Class<?> f : FAMILIES) {
      opsByTarget.add(ops(f, withFunctions));
    }
    opsByTarget.add(opsByTarget.get(0));
    List<Task> out = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      int m = 1 + r.nextInt(4);
      int[] target = new int[m];
      Call[] calls = new Call[m];
      for (int i = 0; i < m; i++) {
        target[i] = r.nextInt(opsByTarget.size());
        calls[i] = randomCall(opsByTarget.get(target[i]), r);
      }
      out.add(new Task(target, calls));
    }
    return out;
  }

  static long fingerprint(Object result) {
    return result instanceof Identity i ? poolIndex(i.o) : Objects.hashCode(result);
  }

  @Test
  void orderedRunsOnOneTwoFourWorkersEqualTheSequentialRun() {
    long seed = 20261201L;
    List<Task> tasks = tasks(3000, seed, false);
    Object[] plain = targets(seed);
    long[] expectedLog = new long[tasks.size()];
    for (int k = 0; k < tasks.size(); k++) {
      long f = 17;
      for (int i = 0; i < tasks.get(k).calls.length; i++) {
        f = 31 * f + fingerprint(tasks.get(k).calls[i].jdk(plain[tasks.get(k).target[i]]));
      }
      expectedLog[k] = f;
    }
    for (int workers : new int[] {1, 2, 4}) {
      Object[] shared = targets(seed);
      long[] log = new long[tasks.size()];
      Stats before = Ame.stats();
      TransactionQueue q = TransactionQueue.ordered();
      for (int k = 0; k < tasks.size(); k++) {
        int slot = k;
        Task t = tasks.get(k);
        q.add(() -> {
          Txn tx = Txn.active();
          long f = 17;
          for (int i = 0; i < t.calls.length; i++) {
            f = 31 * f + fingerprint(t.calls[i].intrinsic(shared[t.target[i]], tx));
          }
          FieldWrites.writeElement(log, slot, f, tx);
        });
      }
      q.run(workers);
      Stats s = Ame.stats().minus(before);
      for (int i = 0; i < shared.length; i++) {
        assertEquals(state(plain[i]), state(shared[i]), workers + " workers, target " + i);
      }
      assertTrue(Arrays.equals(expectedLog, log), workers + " workers: every task saw what it saw sequentially");
      if (workers == 1) {
        assertEquals(0, s.inevitable(), s.toString());
      } else {
        assertNoneInevitable(s);
      }
    }
  }

  // ---- unordered runs: invariants -----------------------------------------------------------

  @Test
  void countersIncrementedByThousandsOfTasksEqualTheCount() {
    AtomicLong counter = new AtomicLong();
    AtomicInteger casCounter = new AtomicInteger();
    LongAdder adder = new LongAdder();
    AtomicLong casFailures = new AtomicLong(); // test bookkeeping, plain
    int tasks = 4000;
    Stats before = Ame.stats();
    TransactionQueue q = new TransactionQueue();
    for (int k = 0; k < tasks; k++) {
      int kind = k % 4;
      q.add(() -> {
        Txn tx = Txn.active();
        switch (kind) {
          case 0 -> AtomicLongIntrinsics.incrementAndGet(counter, tx);
          case 1 -> AtomicLongIntrinsics.getAndIncrement(counter, tx);
          case 2 -> AtomicLongIntrinsics.addAndGet(counter, 1L, tx);
          default -> AtomicLongIntrinsics.getAndAdd(counter, 1L, tx);
        }
        int v = AtomicIntegerIntrinsics.get(casCounter, tx);
        if (!AtomicIntegerIntrinsics.compareAndSet(casCounter, v, v + 1, tx)) {
          casFailures.incrementAndGet(); // cannot happen in any attempt: the CAS compares with v
        }
        if (kind % 2 == 0) {
          LongAdderIntrinsics.increment(adder, tx);
        } else {
          LongAdderIntrinsics.add(adder, 1L, tx);
        }
      });
    }
    q.run(4);
    assertEquals(tasks, counter.get());
    assertEquals(tasks, casCounter.get());
    assertEquals(tasks, adder.sum());
    assertEquals(0, casFailures.get(), "a compareAndSet failed against the value its own transaction read");
    assertNoneInevitable(Ame.stats().minus(before));
  }

  @Test
  void bankTransfersBetweenAtomicLongsConserveTheTotalAndAuditsNeverSeeItBroken() {
    AtomicLong[] accounts = new AtomicLong[8];
    for (int i = 0; i < accounts.length; i++) {
      accounts[i] = new AtomicLong(1000);
    }
    AtomicLong audits = new AtomicLong();
    AtomicLong broken = new AtomicLong();
    SplittableRandom r = new SplittableRandom(7);
    Stats before = Ame.stats();
    TransactionQueue q = new TransactionQueue();
    for (int k = 0; k < 4000; k++) {
      int from = r.nextInt(accounts.length);
      int to = r.nextInt(accounts.length);
      long amount = r.nextLong(1, 50);
      int style = r.nextInt(4);
      if (style == 3) {
        q.add(() -> { // audit, counted in every attempt, committed or not
          Txn tx = Txn.active();
          long sum = 0;
          for (AtomicLong a : accounts) {
            sum += AtomicLongIntrinsics.get(a, tx);
          }
          audits.incrementAndGet();
          if (sum != 1000L * accounts.length) {
            broken.incrementAndGet();
          }
        });
        continue;
      }
      q.add(() -> {
        Txn tx = Txn.active();
        switch (style) {
          case 0 -> {
            AtomicLongIntrinsics.getAndAdd(accounts[from], -amount, tx);
            AtomicLongIntrinsics.addAndGet(accounts[to], amount, tx);
          }
          case 1 -> {
            AtomicLongIntrinsics.set(accounts[from], AtomicLongIntrinsics.get(accounts[from], tx) - amount, tx);
            AtomicLongIntrinsics.set(accounts[to], AtomicLongIntrinsics.get(accounts[to], tx) + amount, tx);
          }
          default -> {
            long a = AtomicLongIntrinsics.get(accounts[from], tx);
            AtomicLongIntrinsics.compareAndSet(accounts[from], a, a - amount, tx);
            long b = AtomicLongIntrinsics.get(accounts[to], tx);
            AtomicLongIntrinsics.compareAndExchange(accounts[to], b, b + amount, tx);
          }
        }
      });
    }
    q.run(4);
    long total = 0;
    for (AtomicLong a : accounts) {
      total += a.get();
    }
    assertEquals(8000, total);
    assertEquals(0, broken.get(), "an audit saw a broken total (of " + audits.get() + " attempts)");
    assertTrue(audits.get() >= 900, "audits ran: " + audits.get());
    assertNoneInevitable(Ame.stats().minus(before));
  }

  /** x + y == 0 always; readers read x, work, read y, and must never see a broken sum in any attempt. */
  @Test
  void opacityProbeOverTwoAtomicIntegersNeverSeesABrokenSum() {
    AtomicInteger x = new AtomicInteger();
    AtomicInteger y = new AtomicInteger();
    AtomicReference<Object> lastWriter = new AtomicReference<>("none");
    long[] noise = new long[64];
    AtomicLong probes = new AtomicLong();
    AtomicLong broken = new AtomicLong();
    SplittableRandom r = new SplittableRandom(11);
    Stats before = Ame.stats();
    TransactionQueue q = new TransactionQueue();
    for (int k = 0; k < 6000; k++) {
      int d = r.nextInt(1, 100);
      boolean writer = r.nextBoolean();
      String name = "w" + k;
      q.add(() -> {
        Txn tx = Txn.active();
        if (writer) {
          AtomicIntegerIntrinsics.getAndAdd(x, d, tx);
          AtomicIntegerIntrinsics.set(y, AtomicIntegerIntrinsics.get(y, tx) - d, tx);
          AtomicReferenceIntrinsics.set(lastWriter, name, tx);
          return;
        }
        int a = AtomicIntegerIntrinsics.get(x, tx);
        long spin = 0;
        for (int i = 0; i < 64; i++) { // give writers a window between the two reads
          FieldBarriers.beforeReadElement(noise, i, tx);
          spin += noise[i];
          FieldBarriers.afterReadElement(tx);
        }
        int b = AtomicIntegerIntrinsics.get(y, tx) + (int) spin;
        AtomicReferenceIntrinsics.toString(lastWriter, tx);
        probes.incrementAndGet();
        if (a + b != 0) {
          broken.incrementAndGet();
        }
      });
    }
    q.run(4);
    assertEquals(0, x.get() + y.get());
    assertEquals(0, broken.get(), "a transaction saw x + y != 0 (of " + probes.get() + " probes)");
    assertTrue(probes.get() >= 2500, "probes ran: " + probes.get());
    assertNoneInevitable(Ame.stats().minus(before));
  }

  // ---- user code behind an intrinsic ------------------------------------------------------

  @Test
  void untrackedFunctionsMakeTheTransactionInevitableWithTheCallersSite() {
    AtomicInteger a = new AtomicInteger(2);
    Stats s = inAtomic(() -> AtomicIntegerIntrinsics.getAndUpdate(a, v -> v * 10, Txn.active()));
    assertEquals(20, a.get());
    assertEquals(1, s.inevitable(), s.toString());
    String site = s.inevitableSites().keySet().iterator().next();
    assertTrue(site.startsWith(AtomicIntrinsicsTest.class.getName() + ".")
        && site.contains("AtomicIntrinsicsTest.java:")
        && site.contains("-> java.util.concurrent.atomic.AtomicInteger.getAndUpdate (function "), site);

    Stats jdk = inAtomic(() -> AtomicIntegerIntrinsics.updateAndGet(a, IntUnaryOperator.identity(), Txn.active()));
    assertEquals(1, jdk.inevitable(), "a JDK-made lambda is untracked");
    Stats list = inAtomic(() -> AtomicReferenceIntrinsics.toString(new AtomicReference<>(new ArrayList<>(List.of(1))), Txn.active()));
    assertEquals(1, list.inevitable(), "AtomicReference.toString calls ArrayList.toString: untracked");
    assertTrue(list.inevitableSites().keySet().iterator().next().contains("AtomicReference.toString"),
        list.inevitableSites().toString());
  }

  @Test
  void trackedFunctionsRunInTheTransactionAndRollBack() {
    user("reset");
    AtomicInteger a = new AtomicInteger(2);
    AtomicLong b = new AtomicLong(5);
    AtomicReference<Object> c = new AtomicReference<>("x");
    IntUnaryOperator tripler = (IntUnaryOperator) user("tripler");
    LongBinaryOperator max = (LongBinaryOperator) user("max");
    @SuppressWarnings("unchecked")
    UnaryOperator<Object> tag = (UnaryOperator<Object>) user("tag");
    @SuppressWarnings("unchecked")
    BinaryOperator<Object> join = (BinaryOperator<Object>) user("join");
    Object named = user("named", "n");
    List<Object> seen = new ArrayList<>();
    Stats s = inAtomic(() -> {
      Txn tx = Txn.active();
      seen.clear();
      seen.add(AtomicIntegerIntrinsics.getAndUpdate(a, tripler, tx));
      seen.add(AtomicLongIntrinsics.accumulateAndGet(b, 9, max, tx));
      seen.add(AtomicReferenceIntrinsics.updateAndGet(c, tag, tx));
      seen.add(AtomicReferenceIntrinsics.getAndAccumulate(c, "y", join, tx));
      seen.add(AtomicReferenceIntrinsics.toString(new AtomicReference<>(named), tx));
      seen.add(AtomicReferenceIntrinsics.toString(new AtomicReference<>("plain"), tx));
    });
    assertEquals(List.of(2, 9L, "<x>", "<x>", "Named(n)", "plain"), seen);
    assertEquals(6, a.get());
    assertEquals("<x>+y", c.get());
    assertEquals(5L, (long) user("calls"), "each function ran once, in the transaction");
    assertEquals(0, s.inevitable(), s.toString());

    IllegalStateException boom = new IllegalStateException("boom");
    Stats t = Ame.stats();
    assertSame(boom, assertThrows(IllegalStateException.class, () -> Ame.atomic(() -> {
      AtomicIntegerIntrinsics.updateAndGet(a, tripler, Txn.active());
      throw boom;
    })));
    assertEquals(6, a.get());
    assertEquals(5L, (long) user("calls"), "the function's own write rolled back too");
    assertEquals(0, Ame.stats().minus(t).inevitable());
  }

  /**
   * A function that writes its own atomic (the JDK says it should not): the JDK's update loop sees
   * its compare-and-set fail and re-applies it; the intrinsic reproduces that loop exactly.
   */
  @Test
  void aFunctionThatWritesItsOwnAtomicIsReappliedAsInTheJdksLoop() {
    AtomicInteger plain = new AtomicInteger(1);
    int expected = plain.getAndUpdate(v -> {
      if (v < 5) {
        plain.set(v + 2);
      }
      return v * 10;
    });
    AtomicInteger tracked = new AtomicInteger(1);
    int[] actual = new int[1];
    Ame.atomic(() -> actual[0] = AtomicIntegerIntrinsics.getAndUpdate(tracked, v -> {
      if (v < 5) {
        AtomicIntegerIntrinsics.set(tracked, v + 2, Txn.active());
      }
      return v * 10;
    }, Txn.active()));
    assertEquals(5, expected);
    assertEquals(expected, actual[0]);
    assertEquals(plain.get(), tracked.get());

    AtomicReference<Object> ref = new AtomicReference<>("a");
    IllegalStateException boom = new IllegalStateException("boom");
    assertThrows(IllegalStateException.class, () -> Ame.atomic(() -> {
      AtomicReferenceIntrinsics.updateAndGet(ref, v -> {
        AtomicReferenceIntrinsics.set(ref, v == "a" ? "b" : v, Txn.active());
        return "c";
      }, Txn.active());
      throw boom;
    }));
    assertEquals("a", ref.get(), "both the function's and the update's writes rolled back");
  }

  /** A subclass that overrides nothing is the JDK class; an override is called, tracked or not. */
  @Test
  void subclassesAndOverrides() {
    class Quiet extends AtomicInteger {
      private static final long serialVersionUID = 1L;
    }
    class Loud extends AtomicInteger {
      private static final long serialVersionUID = 1L;

      @Override
      public String toString() {
        return "loud " + get();
      }
    }
    class Doubling extends LongAdder {
      private static final long serialVersionUID = 1L;

      @Override
      public void add(long x) {
        super.add(2 * x);
      }
    }
    Quiet quiet = new Quiet();
    Stats s = inAtomic(() -> {
      Txn tx = Txn.active();
      AtomicIntegerIntrinsics.incrementAndGet(quiet, tx);
      assertEquals("1", AtomicIntegerIntrinsics.toString(quiet, tx));
      assertEquals(1.0, AtomicIntegerIntrinsics.doubleValue(quiet, tx));
    });
    assertEquals(0, s.inevitable(), s.toString());

    Loud loud = new Loud();
    Stats g = inAtomic(() -> AtomicIntegerIntrinsics.addAndGet(loud, 4, Txn.active()));
    assertEquals(0, g.inevitable(), "final methods are the JDK's on every receiver");
    Stats l = inAtomic(() -> assertEquals("loud 4", AtomicIntegerIntrinsics.toString(loud, Txn.active())));
    assertEquals(1, l.inevitable(), "an override in an uninstrumented class is untracked");
    assertTrue(l.inevitableSites().keySet().iterator().next().contains("AtomicInteger.toString (receiver "),
        l.inevitableSites().toString());

    user("reset");
    AtomicInteger labelled = (AtomicInteger) user("labelled");
    Stats u = inAtomic(() -> assertEquals("Labelled", AtomicIntegerIntrinsics.toString(labelled, Txn.active())));
    assertEquals(0, u.inevitable(), "an instrumented override is tracked: " + u);
    assertEquals(1L, (long) user("calls"));

    Doubling doubling = new Doubling();
    Doubling reference = new Doubling();
    reference.increment(); // the JDK's increment calls the override of add
    Stats d = inAtomic(() -> LongAdderIntrinsics.increment(doubling, Txn.active()));
    assertEquals(reference.sum(), doubling.sum());
    assertEquals(1, d.inevitable(), "a LongAdder with overrides goes virtual, inevitable: " + d);
  }
}
