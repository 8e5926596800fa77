package org.ame4j.internal.agent.instr;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AnnotationNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;

/**
 * Methods marked atomic by annotation ({@code @org.ame4j.Atomic}, Deuce's {@code @org.deuce.Atomic}
 * or any type named by the agent's {@code annotations} option): every call becomes one
 * {@code Ame.atomic} block. For such a method {@code R m(A…)} the rewrite produces
 * <pre>
 *   R m(A…)              { return (R) Atomically.atomic(() -&gt; m$ame$run(this, a…)); }  // body replaced
 *   R m$ame(A…, Txn)     { same: nested calls from twins join as a nested atomic block }
 *   private R m$ame$body(A…, Txn)        the instrumented twin of the original body
 *   private static Object m$ame$run(C, A…) { return box(self.m$ame$body(a…, Txn.active())); }
 * </pre>
 * {@code Atomically.atomic} is {@code Ame.atomic}: a top-level transaction with retries when none
 * runs on the thread, else flat nesting with partial rollback if the block throws. The supplier is
 * a {@code LambdaMetafactory} lambda (a nestmate: it may call the private runner). No branch is
 * added, so no frame is needed.
 */
final class AtomicMethods {
  private AtomicMethods() {}

  /** Recognised by default: ours, and Deuce STM's (by name; no dependency on Deuce). */
  static final Set<String> DEFAULT_ANNOTATIONS = Set.of("org.ame4j.Atomic", "org.deuce.Atomic");

  private static final String ATOMICALLY = RuntimeContract.ATOMICALLY;
  private static final String SUPPLIER = "java/util/function/Supplier";
  private static final Handle METAFACTORY = new Handle(Opcodes.H_INVOKESTATIC,
      "java/lang/invoke/LambdaMetafactory", "metafactory",
      "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;"
          + "Ljava/lang/invoke/MethodType;Ljava/lang/invoke/MethodHandle;Ljava/lang/invoke/MethodType;)"
          + "Ljava/lang/invoke/CallSite;", false);

  /**
   * True if {@code m} carries one of the annotation types (class names with dots) and is not a
   * bridge. javac copies a method's annotations onto the bridges it adds for a generic or
   * covariant override ({@code Object get()} beside {@code String get()}); a bridge only
   * forwards to that method, which is atomic itself, and rewriting it too would give the class
   * two runners {@code get$ame$run} with one descriptor, which the JVM refuses to load.
   */
  static boolean isAtomic(MethodNode m, Set<String> annotations) {
    return (m.access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE | Opcodes.ACC_BRIDGE)) == 0
        && !m.name.startsWith("<")
        && (has(m.visibleAnnotations, annotations) || has(m.invisibleAnnotations, annotations));
  }

  private static boolean has(List<AnnotationNode> list, Set<String> annotations) {
    if (list != null) {
      for (AnnotationNode a : list) {
        if (annotations.contains(Type.getType(a.desc).getClassName())) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Turns {@code m} into the atomic wrapper; {@code twin} is its instrumented twin, which becomes
   * the private body. Returns the methods to add to the class (body, runner, wrapper twin).
   */
  static List<MethodNode> rewrite(ClassContext ctx, MethodNode m, MethodNode twin) {
    String owner = ctx.cn().name;
    boolean itf = ctx.isInterface();
    boolean isStatic = (m.access & Opcodes.ACC_STATIC) != 0;
    twin.name = m.name + TwinTransformer.SUFFIX + "$body";
    twin.access = (twin.access & ~(Opcodes.ACC_PUBLIC | Opcodes.ACC_PROTECTED)) | Opcodes.ACC_PRIVATE;

    List<Type> runnerParams = new ArrayList<>();
    if (!isStatic) {
      runnerParams.add(Type.getObjectType(owner));
    }
    runnerParams.addAll(List.of(Type.getArgumentTypes(m.desc)));
    Type[] params = runnerParams.toArray(new Type[0]);
    Type ret = Type.getReturnType(m.desc);
    MethodNode runner = new MethodNode(Opcodes.ASM9,
        Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC,
        m.name + TwinTransformer.SUFFIX + "$run", Type.getMethodDescriptor(Type.getType(Object.class), params),
        null, null);
    runner.maxLocals = TwinTransformer.loadReceiverAndArguments(runner.instructions, true, runner.desc);
    runner.instructions.add(new MethodInsnNode(Opcodes.INVOKESTATIC, TwinTransformer.TXN, "active",
        "()" + TwinTransformer.TXN_DESC, false));
    runner.instructions.add(new MethodInsnNode(isStatic ? Opcodes.INVOKESTATIC : Opcodes.INVOKESPECIAL,
        owner, twin.name, twin.desc, itf));
    box(runner.instructions, ret);
    runner.instructions.add(new InsnNode(Opcodes.ARETURN));

    Handle impl = new Handle(Opcodes.H_INVOKESTATIC, owner, runner.name, runner.desc, itf);
    MethodNode wrapperTwin = new MethodNode(Opcodes.ASM9,
        (m.access | Opcodes.ACC_SYNTHETIC) & ~(Opcodes.ACC_VARARGS | Opcodes.ACC_SYNCHRONIZED),
        m.name + TwinTransformer.SUFFIX, TwinTransformer.twinDesc(m.name, m.desc), null,
        m.exceptions == null ? null : m.exceptions.toArray(new String[0]));
    wrapperTwin.instructions = wrapperBody(runner.desc, ret, impl);
    m.instructions = wrapperBody(runner.desc, ret, impl);
    m.tryCatchBlocks = new ArrayList<>();
    m.localVariables = null;
    m.visibleLocalVariableAnnotations = null;
    m.invisibleLocalVariableAnnotations = null;
    return List.of(twin, runner, wrapperTwin);
  }

  /**
   * {@code return unbox(Atomically.atomic(indy Supplier(this, args…)))}; the captured values are
   * the runner's parameters ({@code runnerDesc}), which sit in the wrapper's first slots.
   */
  private static InsnList wrapperBody(String runnerDesc, Type ret, Handle impl) {
    InsnList l = new InsnList();
    TwinTransformer.loadReceiverAndArguments(l, true, runnerDesc);
    Type sam = Type.getMethodType(Type.getType(Object.class));
    l.add(new InvokeDynamicInsnNode("get",
        Type.getMethodDescriptor(Type.getObjectType(SUPPLIER), Type.getArgumentTypes(runnerDesc)),
        METAFACTORY, sam, impl, sam));
    l.add(new MethodInsnNode(Opcodes.INVOKESTATIC, ATOMICALLY, "atomic",
        "(L" + SUPPLIER + ";)Ljava/lang/Object;", false));
    unbox(l, ret);
    return l;
  }

  private static void box(InsnList l, Type t) {
    if (t.getSort() == Type.VOID) {
      l.add(new InsnNode(Opcodes.ACONST_NULL));
    } else if (t.getSort() != Type.OBJECT && t.getSort() != Type.ARRAY) {
      Type boxed = boxed(t);
      l.add(new MethodInsnNode(Opcodes.INVOKESTATIC, boxed.getInternalName(), "valueOf",
          Type.getMethodDescriptor(boxed, t), false));
    }
  }

  private static void unbox(InsnList l, Type t) {
    switch (t.getSort()) {
      case Type.VOID -> {
        l.add(new InsnNode(Opcodes.POP));
        l.add(new InsnNode(Opcodes.RETURN));
        return;
      }
      case Type.OBJECT, Type.ARRAY -> l.add(new TypeInsnNode(Opcodes.CHECKCAST, t.getInternalName()));
      default -> {
        Type boxed = boxed(t);
        l.add(new TypeInsnNode(Opcodes.CHECKCAST, boxed.getInternalName()));
        l.add(new MethodInsnNode(Opcodes.INVOKEVIRTUAL, boxed.getInternalName(),
            t.getClassName() + "Value", Type.getMethodDescriptor(t), false));
      }
    }
    l.add(new InsnNode(t.getOpcode(Opcodes.IRETURN)));
  }

  private static Type boxed(Type t) {
    return switch (t.getSort()) {
      case Type.BOOLEAN -> Type.getType(Boolean.class);
      case Type.BYTE -> Type.getType(Byte.class);
      case Type.CHAR -> Type.getType(Character.class);
      case Type.SHORT -> Type.getType(Short.class);
      case Type.INT -> Type.getType(Integer.class);
      case Type.LONG -> Type.getType(Long.class);
      case Type.FLOAT -> Type.getType(Float.class);
      case Type.DOUBLE -> Type.getType(Double.class);
      default -> throw new IllegalArgumentException(t.toString());
    };
  }
}
