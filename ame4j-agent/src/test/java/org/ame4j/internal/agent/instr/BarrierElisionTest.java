package org.ame4j.internal.agent.instr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.ame4j.Ame;
import org.ame4j.TaskFailedException;
import org.ame4j.TransactionQueue;
import org.ame4j.testkit.HangGuard;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * {@link BarrierElision} and {@link StableFields}: which accesses of {@code org.ame4jtest.elision.Elision}
 * lose their barrier and which keep it (counted in the produced twins), and programs whose results
 * depend on the barriers that remain, run on 2 and 4 workers.
 */
@HangGuard(seconds = 180)
class BarrierElisionTest {
  static final String PKG = "org.ame4jtest.elision.";
  static final String NEST = "org/ame4jtest/elision/Elision";
  static TwinLoader loader;

  @BeforeAll
  static void load() throws Exception {
    loader = new TwinLoader(PKG, BarrierElisionTest.class.getClassLoader());
    Class.forName(PKG + "Elision", true, loader);
  }

  // ---- counting barriers in a twin -----------------------------------------------------

  /** Barrier calls by kind in twin {@code method$ame} of {@code cls}, transformed with {@code bytes}. */
  static Map<String, Integer> barriers(String cls, String method, Function<String, byte[]> bytes, boolean elide) {
    TwinTransformer t = new TwinTransformer(bytes).barrierElision(elide);
    byte[] out = t.transform(bytes.apply(NEST + cls));
    assertNotNull(out, cls);
    ClassNode cn = new ClassNode();
    new ClassReader(out).accept(cn, 0);
    Map<String, Integer> counts = new TreeMap<>();
    boolean found = false;
    for (MethodNode m : cn.methods) {
      if (m.name.equals(method + "$ame")) {
        found = true;
        for (AbstractInsnNode n : m.instructions) {
          if (n instanceof MethodInsnNode mi && RuntimeContract.BARRIER_OWNERS.contains(mi.owner)
              && !Set.of("afterRead", "afterReadElement", "closeRead", "openWrite", "openWriteNoRecord").contains(mi.name)) {
            counts.merge(mi.owner.equals(RuntimeContract.ELEMENT_SITES) ? "writeElement" : legacyName(mi.name),
                1, Integer::sum); // the per-site element write: openWrite + logX
          } else if (n instanceof MethodInsnNode mi && mi.name.equals("untracked")) {
            counts.merge("untracked", 1, Integer::sum);
          }
        }
      }
    }
    assertTrue(found, cls + "." + method);
    return counts;
  }

  /**
   * One name per barrier site, whichever shape the transformer emits: the per-site pair
   * {@code openRead}/{@code closeRead} (or {@code openReadNoRecord}) counts as the {@code beforeRead}/{@code afterRead} pair,
   * {@code openWrite} + {@code logInt} as {@code writeInt} (and so on per kind), and an element's
   * {@code ElementSites.openWrite} + {@code logX} as {@code writeElement}.
   */
  static String legacyName(String name) {
    if (name.equals("openRead") || name.equals("openReadNoRecord")) {
      return "beforeRead";
    }
    if (name.equals("beforeReadElementAt")) {
      return "beforeReadElement"; // a load site with a hoisted check (HoistedChecks)
    }
    return name.startsWith("log") ? "write" + name.substring(3) : name;
  }

  static Map<String, Integer> barriers(String cls, String method) {
    return barriers(cls, method, loader::originalBytes, true);
  }

  static Map<String, Integer> counts(Object... kv) {
    Map<String, Integer> m = new TreeMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], (Integer) kv[i + 1]);
    }
    return m;
  }

  // ---- stable fields ---------------------------------------------------------------------

  @Test
  void stablePrivateFieldsAreReadWithoutBarriers() {
    assertEquals(counts(), barriers("$Stable", "size"));
    // the element keeps its barrier; data is a fresh-array field too, so the load hands the array
    // to the element's hoisted check when the object is born (OwnedArraySites)
    assertEquals(counts("beforeReadElement", 1, "bornIn", 1, "keep", 1), barriers("$Stable", "first"),
        "the element keeps its barrier");
    assertEquals(counts(), barriers("$Stable", "limit"), "a static written only in <clinit>");
    assertEquals(counts("beforeRead", 1), barriers("$Stable", "size", loader::originalBytes, false),
        "with elision off the barrier is back");
  }

  @Test
  void fieldsWrittenAfterConstructionKeepTheirBarriers() {
    assertEquals(counts("beforeRead", 1), barriers("$WrittenInMethod", "get"));
    assertEquals(counts("beforeRead", 1), barriers("$WrittenOtherInstance", "get"));
    assertEquals(counts("beforeRead", 1), barriers("$WrittenByNestmate", "get"));
    assertEquals(counts("beforeRead", 1), barriers("$Volatile", "get"));
    assertEquals(counts("beforeRead", 1), barriers("$ViaLambda", "get"));
    assertEquals(counts("beforeRead", 1), barriers("$ViaInner", "get"));
    assertEquals(counts("beforeRead", 1), barriers("$PackageField", "get"));
  }

  @Test
  void aNestMemberWhoseBytesAreMissingMakesNothingStable() {
    Function<String, byte[]> hidingOne = n -> n.equals(NEST + "$Nestmate") ? null : loader.originalBytes(n);
    assertEquals(counts("beforeRead", 1), barriers("$Stable", "size", hidingOne, true));
    Function<String, byte[]> hidingHost = n -> n.equals(NEST) ? null : loader.originalBytes(n);
    assertEquals(counts("beforeRead", 1), barriers("$Stable", "size", hidingHost, true));
  }

  @Test
  void aWriteTheNestAnalysisDidNotSeeIsUntracked() {
    // The host forgets Nestmate in its NestMembers (as for a hidden class that joined the nest
    // at run time): WrittenByNestmate.v looks stable, so its reads lose the barrier, and the
    // write in Nestmate's twin, which the analysis did not see, goes untracked (serial) first.
    Function<String, byte[]> forgetful = n -> {
      byte[] b = loader.originalBytes(n);
      if (!n.equals(NEST)) {
        return b;
      }
      ClassNode host = new ClassNode();
      new ClassReader(b).accept(host, 0);
      host.nestMembers.remove(NEST + "$Nestmate");
      ClassWriter w = new ClassWriter(0);
      host.accept(w);
      return w.toByteArray();
    };
    assertEquals(counts(), barriers("$WrittenByNestmate", "get", forgetful, true));
    assertEquals(counts("untracked", 1, "writeInt", 1), barriers("$Nestmate", "poke", forgetful, true));
    assertEquals(counts("writeInt", 1), barriers("$Nestmate", "poke"), "with the real nest: an ordinary write");
  }

  // ---- block facts -------------------------------------------------------------------------

  @Test
  void repeatedReadsInABlockTakeOneBarrier() {
    assertEquals(counts("beforeRead", 1), barriers("", "repeated"));
    assertEquals(counts("beforeRead", 1), barriers("", "repeatedWide"));
    assertEquals(counts("beforeRead", 1, "writeInt", 1), barriers("", "repeatedAcrossOtherFieldWrite"));
    assertEquals(counts("beforeReadElement", 1), barriers("", "elements"));
    assertEquals(counts("beforeReadStatic", 1), barriers("", "staticRepeated"));
    assertEquals(counts("beforeRead", 1), barriers("", "guardThenUse"), "a block entered by one jump inherits");
    // c.w = c.w - amount after the check c.w < amount: one barrier, a read for write (ReadForWrite)
    assertEquals(counts("openReadForWrite", 1, "writeInt", 1, "writeLong", 1), barriers("", "guardThenWrite"));
    assertEquals(counts("beforeRead", 3), barriers("", "chain"), "c.next twice is one read; n.a and c.next.a are two objects");
  }

  @Test
  void repeatedReadsKeepTheirBarrierAcrossCallsAliasesStoresAndBranches() {
    assertEquals(counts("beforeRead", 2), barriers("", "repeatedAcrossCall"));
    assertEquals(counts("beforeRead", 2, "writeInt", 1), barriers("", "repeatedAcrossAliasWrite"));
    assertEquals(counts("beforeRead", 2), barriers("", "repeatedAcrossReassign"));
    assertEquals(counts("beforeRead", 2), barriers("", "repeatedAcrossBranch"));
    assertEquals(counts("beforeRead", 2), barriers("", "afterMerge"));
    assertEquals(counts("beforeReadElement", 2, "writeElement", 1), barriers("", "elementsAcrossStore"));
    assertEquals(counts("beforeReadElement", 2), barriers("", "elementsAcrossIndexChange"));
  }

  @Test
  void locationsTheTransactionHoldsNeedNoFurtherBarrier() {
    assertEquals(counts("writeInt", 1), barriers("", "readAfterWrite"));
    assertEquals(counts("writeInt", 1), barriers("", "writeTwice"));
    assertEquals(counts("writeInt", 2), barriers("", "writeTwiceAcrossCall"), "a call may open a nested block");
    assertEquals(counts("beforeRead", 1, "writeInt", 1), barriers("", "readAfterWriteOtherObject"));
    assertEquals(counts("writeElement", 1), barriers("", "elementReadAfterWrite"));
    assertEquals(counts("writeElement", 1), barriers("", "elementWriteTwice"));
  }

  @Test
  void everyProducedClassVerifies() {
    for (String c : List.of("Elision", "Elision$Stable", "Elision$Cell", "Elision$Accounts", "Elision$Stack",
        "Elision$Node", "Elision$Work", "Elision$ViaInner$In", "Elision$Nestmate")) {
      try {
        Class.forName(PKG + c, true, loader);
      } catch (ClassNotFoundException e) {
        throw new AssertionError(e);
      }
    }
    assertEquals(List.of(), loader.reports);
    assertEquals("", loader.verifyAll());
  }

  // ---- behaviour ---------------------------------------------------------------------------

  static Object call(String cls, String method, Object... args) {
    return TwinTransformerTest.callInPackage(loader, PKG, cls, method, args);
  }


  static Object newInstance(String cls) {
    try {
      return Class.forName(PKG + cls, true, loader).getConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  static int intField(Object o, String name) {
    try {
      return o.getClass().getField(name).getInt(o);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aNestedBlockRollsBackOnlyItsOwnWritesWhateverBarrierTheyLost() {
    Object c = newInstance("Elision$Cell");
    assertEquals(111, (int) Ame.atomic(() -> (Integer) call("Elision", "nestedRollback", c)));
    assertEquals(111, intField(c, "b"));
    Object d = newInstance("Elision$Cell");
    assertEquals(2, (int) Ame.atomic(() -> (Integer) call("Elision", "nestedRollbackThenWrite", d)));
    assertEquals(2, intField(d, "b"));
  }

  @Test
  void aFailedTaskUndoesWritesThatLostTheirBarrier() {
    Object c = newInstance("Elision$Cell");
    long[] longs = new long[1];
    int[] ints = {7};
    TransactionQueue q = new TransactionQueue();
    q.add(() -> {
      call("Elision", "writeTwice", c, 41);
      call("Elision", "elementWriteTwice", longs);
      call("Elision", "elementReadAfterWrite", ints, 0);
      throw new IllegalStateException("fail after the writes");
    });
    assertThrows(TaskFailedException.class, () -> q.run(2));
    assertEquals(0, intField(c, "b"));
    assertEquals(0L, longs[0]);
    assertEquals(7, ints[0]);
  }

  @Test
  void repeatedReadsNeverMixTwoStatesUnderFourWorkers() {
    Object s = newInstance("Elision$Accounts");
    AtomicInteger bad = new AtomicInteger();
    for (int workers : new int[] {2, 4}) {
      TransactionQueue q = new TransactionQueue();
      for (int k = 1; k <= 10_000; k++) {
        int amount = k;
        if (k % 2 == 0) {
          q.add(() -> call("Elision", "move", s, amount));
        } else {
          q.add(() -> {
            if ((Integer) call("Elision", "inconsistency", s) != 0) {
              bad.incrementAndGet(); // a transaction saw x + y != 0: opacity broken
            }
          });
        }
      }
      q.run(workers);
    }
    assertEquals(0, bad.get());
    assertEquals(0, intField(s, "x") + intField(s, "y"));
    assertEquals(2 * 5_000 * 5_001, intField(s, "x"), "every move committed once");
  }

  @Test
  void stableFieldsOfPublishedObjectsAreSeenWholeUnderFourWorkers() {
    Object s = newInstance("Elision$Stack");
    AtomicInteger bad = new AtomicInteger();
    for (int workers : new int[] {2, 4}) {
      TransactionQueue q = new TransactionQueue();
      for (int k = 1; k <= 3_000; k++) {
        int v = k;
        if (k % 3 != 0) {
          q.add(() -> call("Elision", "push", s, v));
        } else {
          q.add(() -> {
            if ((Integer) call("Elision", "stackInconsistency", s) != 0) {
              bad.incrementAndGet();
            }
          });
        }
      }
      q.run(workers);
    }
    assertEquals(0, bad.get());
    assertEquals(0, (int) Ame.atomic(() -> (Integer) call("Elision", "stackInconsistency", s)));
    assertEquals(2 * 2_000, intField(s, "count"));
  }
}
