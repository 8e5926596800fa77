package org.ame4j.internal.agent.instr;

import static org.ame4j.internal.agent.instr.TwinTransformerTest.PKG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.ame4j.Ame;
import org.ame4j.Stats;
import org.ame4j.TransactionQueue;
import org.ame4j.internal.engine.TxObject;
import org.ame4j.testkit.HangGuard;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * The objects' own ownership words under the transformer ({@link ObjectWords}): which classes get
 * {@code TxObject} as superclass and which keep theirs, that the rewritten classes verify, and
 * that programs over them keep the engine's guarantees: ordered = sequential over the three
 * kinds of holder, objects of rolled-back attempts never seen, objects born in a committed
 * transaction free for every later one.
 */
@HangGuard(seconds = 180)
class ObjectWordsTest {
  static TwinLoader loader;

  @BeforeAll
  static void load() throws Exception {
    loader = new TwinLoader(PKG, ObjectWordsTest.class.getClassLoader());
    for (String c : new String[] {"Words", "Words$Node", "Words$SubNode", "Words$OverJdk", "Words$Rec",
        "Words$Color", "Words$Marker"}) {
      Class.forName(PKG + c, true, loader); // links: the JVM's verifier runs here
    }
  }

  static Object call(String method, Object... args) {
    return TwinTransformerTest.callIn(loader, "Words", method, args);
  }

  static Class<?> cls(String name) throws ClassNotFoundException {
    return Class.forName(PKG + "Words$" + name, false, loader);
  }

  @Test
  void onlyClassesExtendingObjectGetTheWord() throws Exception {
    assertSame(TxObject.class, cls("Node").getSuperclass());
    assertSame(cls("Node"), cls("SubNode").getSuperclass(), "a subclass inherits it");
    assertSame(Number.class, cls("OverJdk").getSuperclass(), "superclass the agent does not rewrite");
    assertSame(Record.class, cls("Rec").getSuperclass());
    assertTrue(cls("Rec").isRecord(), "a record stays a record");
    assertSame(Enum.class, cls("Color").getSuperclass());
    assertTrue(cls("Marker").isInterface());
    assertSame(TxObject.class, Class.forName(PKG + "Words", false, loader).getSuperclass());
    assertEquals("", loader.verifyAll());
    assertEquals(List.of(), loader.reports);
    assertEquals("3 1", call("shapes"));
  }

  @Test
  void theWordIsNotAmongTheClassesFields() throws Exception {
    Class<?> node = cls("Node");
    List<String> names = new ArrayList<>();
    for (Class<?> k = node; k != Object.class; k = k.getSuperclass()) {
      for (Field f : k.getDeclaredFields()) {
        if (k.getName().startsWith(PKG)) {
          names.add(f.getName());
        } else if (!java.lang.reflect.Modifier.isStatic(f.getModifiers())) {
          assertTrue(java.lang.reflect.Modifier.isTransient(f.getModifiers()), f + ": reflective serializers skip it");
          assertFalse(java.lang.reflect.Modifier.isPublic(f.getModifiers()), f.toString());
        }
      }
    }
    assertEquals(List.of("id", "failed", "count", "next"), names);
    assertFalse(Serializable.class.isAssignableFrom(TxObject.class), "not part of any serialized form");
  }

  /** Every constructor's super() now names TxObject.<init>; this(…) calls are left alone. */
  @Test
  void constructorsCallTxObjectsConstructor() {
    ClassNode cn = new ClassNode();
    new ClassReader(loader.produced.get(PKG + "Words$Node")).accept(cn, 0);
    assertEquals(ObjectWords.TX_OBJECT, cn.superName);
    int superCalls = 0;
    for (MethodNode m : cn.methods) {
      if (m.name.equals("<init>")) {
        for (var n : m.instructions) {
          if (n instanceof MethodInsnNode mi && mi.name.equals("<init>")) {
            assertNotEquals("java/lang/Object", mi.owner, m.desc);
            superCalls += mi.owner.equals(ObjectWords.TX_OBJECT) ? 1 : 0;
          }
        }
      }
    }
    assertEquals(2, superCalls, "the constructor and its twin");
  }

  @Test
  void offTheClassesKeepTheirSuperclass() {
    TwinTransformer t = new TwinTransformer(loader::originalBytes).objectWords(false);
    ClassNode cn = new ClassNode();
    new ClassReader(t.transform(loader.originalBytes((PKG + "Words$Node").replace('.', '/')))).accept(cn, 0);
    assertEquals("java/lang/Object", cn.superName);
  }

  @Test
  void orderedRunsOverTheThreeKindsOfHolderEqualTheSequentialRun() {
    call("reset");
    for (int i = 0; i < 300; i++) {
      call("bump", i % 7);
    }
    String expected = (String) call("counters");
    for (int workers : new int[] {1, 2, 4}) {
      call("reset");
      TransactionQueue q = TransactionQueue.ordered();
      for (int i = 0; i < 300; i++) {
        int k = i % 7;
        q.add(() -> call("bump", k));
      }
      q.run(workers);
      assertEquals(expected, call("counters"), "workers=" + workers);
    }
    call("reset");
    TransactionQueue q = new TransactionQueue();
    for (int i = 0; i < 300; i++) {
      int k = i % 7;
      q.add(() -> call("bump", k));
    }
    q.run(2);
    assertEquals(expected, call("counters"), "unordered on 2 workers: same totals");
  }

  /**
   * Two threads publish nodes at a shared head, one attempt in three throwing after it published
   * (its node is marked); a third walks the list. No walk attempt may ever see a marked node, and
   * the list holds exactly the committed ones, each readable by later transactions.
   */
  @Test
  void objectsOfRolledBackAttemptsAreNeverSeen() throws Exception {
    call("reset");
    AtomicInteger committed = new AtomicInteger();
    AtomicInteger sawFailed = new AtomicInteger();
    AtomicInteger walks = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < 2; w++) {
      int base = w * 100_000;
      threads.add(new Thread(() -> {
        for (int i = 1; i <= 800; i++) {
          int id = base + i;
          boolean fail = i % 3 == 0;
          try {
            Ame.atomic(() -> call("publish", id, fail));
            committed.incrementAndGet();
          } catch (IllegalStateException expected) {
            // rolled back, node and all
          }
        }
      }));
    }
    threads.add(new Thread(() -> {
      for (int i = 0; i < 400; i++) {
        Ame.atomic(() -> {
          walks.incrementAndGet();
          sawFailed.addAndGet((int) call("walkFailed"));
        });
      }
    }));
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(0, sawFailed.get(), "marked nodes seen, in " + walks.get() + " walk attempts");
    assertEquals(committed.get(), (int) call("length"));
    // Every committed node is unlocked: a new thread's transaction walks them without one abort.
    int[] length = new int[1];
    Stats[] stats = new Stats[1];
    Thread late = new Thread(() -> {
      Stats before = Ame.stats();
      Ame.atomic(() -> length[0] = (int) call("length"));
      stats[0] = Ame.stats().minus(before);
    });
    late.start();
    late.join();
    assertEquals(committed.get(), length[0]);
    assertEquals(0, stats[0].aborts(), stats[0].toString());
    assertEquals(0, stats[0].inevitable(), stats[0].toString());
  }

  @Test
  void objectsBornInATransactionAreWrittenAndReadBackRight() {
    int n = 50;
    int expected = (int) call("buildAndSum", n);
    int[] inside = new int[1];
    Stats before = Ame.stats();
    Ame.atomic(() -> inside[0] = (int) call("buildAndSum", n));
    Stats s = Ame.stats().minus(before);
    assertEquals(expected, inside[0]);
    assertEquals(0, s.inevitable());
    assertEquals(0, s.aborts());
  }
}
