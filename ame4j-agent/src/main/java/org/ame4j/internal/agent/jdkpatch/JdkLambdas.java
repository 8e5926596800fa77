package org.ame4j.internal.agent.jdkpatch;

import java.util.ArrayList;
import java.util.List;
import org.ame4j.internal.agent.instr.ClassContext;
import org.ame4j.internal.agent.instr.TwinTransformer;
import org.ame4j.internal.agent.instr.analysis.Frames;
import org.ame4j.internal.agent.instr.analysis.Hierarchy;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Lambdas and method references that patched JDK code creates inside a twin (JDK 25's
 * {@code DualPivotQuicksort} passes {@code DualPivotQuicksort::partitionDualPivot} around; JDK
 * code builds comparators and consumers): their hidden class calls the original implementation,
 * which in the JDK has no prologue, so calling the lambda inside a transaction would be untracked.
 *
 * <p>So, in a JDK twin, {@code invokedynamic LambdaMetafactory.metafactory} with an implementation
 * in the patched class itself becomes a lambda whose implementation is a synthetic
 * {@code lambda$ame$tx$N(captured…, args…)}, a prologue like an application method's:
 *
 * <pre>
 *   Object t = AgentRuntime.activeTransaction();
 *   if (t != null) return impl$ame(captured…, args…, t);   // inside a transaction: the twin
 *   return impl(captured…, args…);                          // outside: the JDK's own code
 * </pre>
 *
 * and it implements the marker interface {@code java.lang.AmeBridge$TxLambda}
 * ({@code altMetafactory}, {@code FLAG_MARKERS}), by which the twin linker knows that calling it
 * inside a transaction is tracked. The transaction is the one running when the lambda is
 * <em>called</em>, not the one that made it: a comparator made in one task and stored in a
 * {@code TreeMap} stays tracked when a later task calls it.
 *
 * <p>Not rewritten (left as is: inevitable where called): constructor references, serializable
 * lambdas, implementations in other classes, {@code altMetafactory} sites.
 */
public final class JdkLambdas {
  private JdkLambdas() {}

  static final String MARKER = JdkBridge.NAME + "$TxLambda";
  private static final Handle ALT_METAFACTORY = new Handle(Opcodes.H_INVOKESTATIC,
      "java/lang/invoke/LambdaMetafactory", "altMetafactory",
      "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;"
          + "[Ljava/lang/Object;)Ljava/lang/invoke/CallSite;", false);
  private static final int FLAG_MARKERS = 2; // LambdaMetafactory.FLAG_MARKERS

  /** Rewrites {@code indy} (in a twin of a JDK class) if it qualifies. */
  public static void rewrite(ClassContext ctx, InvokeDynamicInsnNode indy) {
    if (!indy.bsm.getName().equals("metafactory") || indy.bsmArgs.length != 3
        || !(indy.bsmArgs[1] instanceof Handle impl) || !impl.getOwner().equals(ctx.cn().name)) {
      return;
    }
    int kind = impl.getTag();
    if (kind != Opcodes.H_INVOKESTATIC && kind != Opcodes.H_INVOKEVIRTUAL
        && kind != Opcodes.H_INVOKEINTERFACE && kind != Opcodes.H_INVOKESPECIAL) {
      return;
    }
    Hierarchy.Member decl = ctx.hierarchy().resolveMethod(impl.getOwner(), impl.getName(), impl.getDesc());
    if (decl == null || !decl.owner().equals(ctx.cn().name)
        || (decl.access() & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0) {
      return; // no twin of it in this class
    }
    List<Type> params = new ArrayList<>();
    if (kind != Opcodes.H_INVOKESTATIC) {
      params.add(Type.getObjectType(impl.getOwner()));
    }
    params.addAll(List.of(Type.getArgumentTypes(impl.getDesc())));
    Type ret = Type.getReturnType(impl.getDesc());

    String name = "lambda$ame$tx$" + countLambdas(ctx);
    String desc = Type.getMethodDescriptor(ret, params.toArray(new Type[0]));
    MethodNode m = new MethodNode(Opcodes.ASM9, Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC,
        name, desc, null, null);
    int txSlot = (Type.getArgumentsAndReturnSizes(desc) >> 2) - 1; // the first slot after the parameters
    InsnList l = m.instructions;
    LabelNode plain = new LabelNode();
    l.add(new MethodInsnNode(Opcodes.INVOKESTATIC, TwinTransformer.RUNTIME, "activeTransaction", "()Ljava/lang/Object;", false));
    l.add(new InsnNode(Opcodes.DUP));
    l.add(new VarInsnNode(Opcodes.ASTORE, txSlot));
    l.add(new JumpInsnNode(Opcodes.IFNULL, plain));
    TwinTransformer.loadReceiverAndArguments(l, true, desc);
    l.add(new VarInsnNode(Opcodes.ALOAD, txSlot));
    l.add(call(impl, true));
    l.add(new InsnNode(ret.getOpcode(Opcodes.IRETURN)));
    l.add(plain);
    l.add(Frames.full(Frames.withLocal(Frames.initialLocals(ctx.cn().name, m.access, name, desc), txSlot,
        "java/lang/Object", name), List.of()));
    TwinTransformer.loadReceiverAndArguments(l, true, desc);
    l.add(call(impl, false));
    l.add(new InsnNode(ret.getOpcode(Opcodes.IRETURN)));
    ctx.cn().methods.add(m);

    Object sam = indy.bsmArgs[0];
    Object instantiated = indy.bsmArgs[2];
    indy.bsm = ALT_METAFACTORY;
    indy.bsmArgs = new Object[] {sam, new Handle(Opcodes.H_INVOKESTATIC, ctx.cn().name, name, desc,
        ctx.isInterface()), instantiated, FLAG_MARKERS, 1, Type.getObjectType(MARKER)};
  }

  /** The implementation (or, with {@code twin}, its twin) called as the handle's kind calls it. */
  private static MethodInsnNode call(Handle impl, boolean twin) {
    int opcode = switch (impl.getTag()) {
      case Opcodes.H_INVOKESTATIC -> Opcodes.INVOKESTATIC;
      case Opcodes.H_INVOKEINTERFACE -> Opcodes.INVOKEINTERFACE;
      case Opcodes.H_INVOKESPECIAL -> Opcodes.INVOKESPECIAL;
      default -> Opcodes.INVOKEVIRTUAL;
    };
    String name = twin ? impl.getName() + TwinTransformer.SUFFIX : impl.getName();
    String desc = twin ? TwinTransformer.twinDesc(impl.getName(), impl.getDesc()) : impl.getDesc();
    return new MethodInsnNode(opcode, impl.getOwner(), name, desc, impl.isInterface());
  }

  private static int countLambdas(ClassContext ctx) {
    int n = 0;
    for (MethodNode m : ctx.cn().methods) {
      if (m.name.startsWith("lambda$ame$tx$")) {
        n++;
      }
    }
    return n;
  }
}
