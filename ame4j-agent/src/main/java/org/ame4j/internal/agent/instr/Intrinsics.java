package org.ame4j.internal.agent.instr;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.MethodInsnNode;

/**
 * Which JDK calls a twin replaces by a transactional stand-in (the atomics, {@code LongAdder},
 * {@code System.arraycopy}; see {@code rt.JdkIntrinsics} for the contract and its guarantees):
 * each JDK owner has one stand-in class, whose names and descriptors (receiver prepended,
 * {@code Txn} appended) are read once from the class itself, so the table cannot drift from the
 * implementation. Only {@code invokevirtual} (and the static {@code System.arraycopy}) are
 * replaced: a {@code super.m()} call inside an override must not become the intrinsic, which
 * calls overrides virtually and would recurse.
 */
final class Intrinsics {
  private Intrinsics() {}

  private static final String RT = RuntimeContract.RT_PACKAGE;

  /** The stand-in of {@code System.arraycopy} and of array {@code clone()}. */
  static final String OWNER = RuntimeContract.JDK_INTRINSICS;

  /** JDK owner -> its stand-in class. */
  static final Map<String, String> STAND_INS = Map.of(
      "java/lang/System", OWNER,
      "java/util/concurrent/atomic/AtomicInteger", RT + "AtomicIntegerIntrinsics",
      "java/util/concurrent/atomic/AtomicLong", RT + "AtomicLongIntrinsics",
      "java/util/concurrent/atomic/AtomicBoolean", RT + "AtomicBooleanIntrinsics",
      "java/util/concurrent/atomic/AtomicReference", RT + "AtomicReferenceIntrinsics",
      "java/util/concurrent/atomic/LongAdder", RT + "LongAdderIntrinsics");

  /**
   * The JDK atomics' methods that differ from another of their class in memory order only (the
   * {@code VarHandle} access modes: plain, opaque, acquire, release, and the weak compare-and-set,
   * which may fail spuriously): they share the stand-in of the volatile form. Inside a
   * transaction the location is read and written under the transaction's lock and validation,
   * which orders more than any access mode does, so the stand-ins never differed (JLS §17.4:
   * the transaction's commit is the synchronization action). A stand-in class that declares the
   * variant itself keeps it ({@code AtomicBoolean}'s overridable {@code weakCompareAndSet}s,
   * whose stand-ins call an override).
   */
  static final Map<String, String> MEMORY_ORDER_VARIANTS = Map.ofEntries(
      Map.entry("getPlain", "get"), Map.entry("getOpaque", "get"), Map.entry("getAcquire", "get"),
      Map.entry("lazySet", "set"), Map.entry("setPlain", "set"), Map.entry("setOpaque", "set"),
      Map.entry("setRelease", "set"),
      Map.entry("weakCompareAndSet", "compareAndSet"), Map.entry("weakCompareAndSetPlain", "compareAndSet"),
      Map.entry("weakCompareAndSetVolatile", "compareAndSet"),
      Map.entry("weakCompareAndSetAcquire", "compareAndSet"),
      Map.entry("weakCompareAndSetRelease", "compareAndSet"),
      Map.entry("compareAndExchangeAcquire", "compareAndExchange"),
      Map.entry("compareAndExchangeRelease", "compareAndExchange"));

  /** Stand-in class -> {@code name + descriptor} of each of its public static methods. */
  private static final Map<String, Set<String>> ENTRY_POINTS = entryPoints();

  private static Map<String, Set<String>> entryPoints() {
    Map<String, Set<String>> out = new HashMap<>();
    for (String standIn : Set.copyOf(STAND_INS.values())) {
      Set<String> methods = new HashSet<>();
      try {
        // Not initialized: only its members are read (the agent may run where the engine cannot).
        Class<?> c = Class.forName(standIn.replace('/', '.'), false, Intrinsics.class.getClassLoader());
        for (Method m : c.getDeclaredMethods()) {
          if (Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers())) {
            methods.add(m.getName() + Type.getMethodDescriptor(m));
          }
        }
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException("the agent's runtime is incomplete: " + standIn, e);
      }
      out.put(standIn, Set.copyOf(methods));
    }
    return Map.copyOf(out);
  }

  static final String UNSAFE_OWNER = RuntimeContract.JDK_UNSAFE;
  private static final Set<String> UNSAFE = Set.of(
      "putByte(Ljava/lang/Object;JB)V", "putCharUnaligned(Ljava/lang/Object;JC)V",
      "putCharUnaligned(Ljava/lang/Object;JCZ)V");
  private static final String ARRAYS_SUPPORT = "jdk/internal/util/ArraysSupport";
  private static final String VECTORIZED_MISMATCH = "vectorizedMismatch(Ljava/lang/Object;JLjava/lang/Object;JII)I";

  /**
   * For a call in a JDK twin to {@code jdk.internal.misc.Unsafe} (an array write) or to
   * {@code jdk.internal.util.ArraysSupport.vectorizedMismatch} (word reads through Unsafe, behind
   * {@code Arrays.equals}/{@code mismatch}/{@code compare} of primitive arrays): the descriptor of
   * its {@code rt.JdkUnsafe} stand-in (an Unsafe receiver becomes an {@code Object} argument, the
   * transaction is appended), or null.
   */
  static String findUnsafe(MethodInsnNode mi) {
    boolean unsafeWrite = mi.getOpcode() == Opcodes.INVOKEVIRTUAL && mi.owner.equals("jdk/internal/misc/Unsafe")
        && UNSAFE.contains(mi.name + mi.desc);
    boolean mismatch = mi.getOpcode() == Opcodes.INVOKESTATIC && mi.owner.equals(ARRAYS_SUPPORT)
        && VECTORIZED_MISMATCH.equals(mi.name + mi.desc);
    if (!unsafeWrite && !mismatch) {
      return null;
    }
    int close = mi.desc.indexOf(')');
    String receiver = unsafeWrite ? "Ljava/lang/Object;" : "";
    return "(" + receiver + mi.desc.substring(1, close) + TwinTransformer.TXN_DESC + mi.desc.substring(close);
  }

  /** The call to the stand-in that replaces {@code mi} (without the Txn argument), or null if it has none. */
  static MethodInsnNode find(MethodInsnNode mi) {
    String standIn = STAND_INS.get(mi.owner);
    boolean system = mi.owner.equals("java/lang/System"); // static; every other owner an instance method
    if (standIn == null || mi.getOpcode() != (system ? Opcodes.INVOKESTATIC : Opcodes.INVOKEVIRTUAL)) {
      return null;
    }
    String desc = system ? mi.desc : "(L" + mi.owner + ";" + mi.desc.substring(1);
    int close = desc.indexOf(')');
    desc = desc.substring(0, close) + TwinTransformer.TXN_DESC + desc.substring(close);
    String name = standInName(standIn, mi.name, desc);
    return name != null ? new MethodInsnNode(Opcodes.INVOKESTATIC, standIn, name, desc, false) : null;
  }

  /**
   * The name of the method of {@code standIn} that stands for JDK method {@code name} with
   * stand-in descriptor {@code desc}: its own, else that of its volatile form
   * ({@link #MEMORY_ORDER_VARIANTS}); null if there is none.
   */
  static String standInName(String standIn, String name, String desc) {
    Set<String> entries = ENTRY_POINTS.get(standIn);
    if (entries.contains(name + desc)) {
      return name;
    }
    String volatileForm = MEMORY_ORDER_VARIANTS.get(name);
    return volatileForm != null && entries.contains(volatileForm + desc) ? volatileForm : null;
  }
}
