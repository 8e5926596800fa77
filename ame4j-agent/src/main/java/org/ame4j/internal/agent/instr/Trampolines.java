package org.ame4j.internal.agent.instr;

import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;

/**
 * Method references to untracked code ({@code list::add}, {@code System.out::println}): the
 * lambda's hidden class cannot be transformed (it is spun at run time), and it would call its
 * target directly, with no barrier and no inevitability, whenever a transaction invokes it, even
 * through an interface that gives no hint. So every {@code LambdaMetafactory} call site whose
 * implementation is untracked is pointed at a generated {@code private static synthetic}
 * <em>trampoline</em> {@code lambda$ame$N} in the same class, which makes the same call; the
 * trampoline is then instrumented like any method (prologue and twin), so inside a transaction
 * the call meets the usual policy (allow-list, receiver check or inevitable).
 *
 * <p>Not rewritten, so a twin that creates them goes inevitable: serializable lambdas (their
 * {@code $deserializeLambda$} matches the implementation's name) and {@code super::m} /
 * private-method handles of other classes ({@code H_INVOKESPECIAL}, which need {@code this}).
 */
final class Trampolines {
  private Trampolines() {}

  private static final int FLAG_SERIALIZABLE = 1; // LambdaMetafactory.FLAG_SERIALIZABLE

  /** True if a lambda with this implementation handle runs tracked code without help. */
  static boolean isTrackedAsIs(ClassContext ctx, Handle impl) {
    String owner = impl.getOwner();
    if (ctx.instrumentable().test(owner)) {
      return true; // an original with a prologue
    }
    if (impl.getTag() == Opcodes.H_NEWINVOKESPECIAL) {
      return CallPolicy.isAllowedConstructor(owner, impl.getDesc());
    }
    return CallPolicy.isAllowed(owner, impl.getName(), impl.getDesc());
  }

  /** Adds trampolines to the class and repoints the call sites; returns the new methods. */
  static List<MethodNode> add(ClassContext ctx) {
    List<MethodNode> added = new ArrayList<>();
    for (MethodNode m : ctx.cn().methods) {
      for (AbstractInsnNode n : m.instructions) {
        if (n instanceof InvokeDynamicInsnNode indy
            && indy.bsm.getOwner().equals("java/lang/invoke/LambdaMetafactory")
            && indy.bsmArgs.length > 2 && indy.bsmArgs[1] instanceof Handle impl
            && !isTrackedAsIs(ctx, impl) && impl.getTag() != Opcodes.H_INVOKESPECIAL
            && !isSerializable(indy)) {
          MethodNode t = trampoline(impl, "lambda$ame$" + added.size(), ctx.isInterface());
          added.add(t);
          indy.bsmArgs[1] = new Handle(Opcodes.H_INVOKESTATIC, ctx.cn().name, t.name, t.desc, ctx.isInterface());
        }
      }
    }
    ctx.cn().methods.addAll(added);
    return added;
  }

  private static boolean isSerializable(InvokeDynamicInsnNode indy) {
    return indy.bsm.getName().equals("altMetafactory") && indy.bsmArgs.length > 3
        && indy.bsmArgs[3] instanceof Integer flags && (flags & FLAG_SERIALIZABLE) != 0;
  }

  private static MethodNode trampoline(Handle impl, String name, boolean inInterface) {
    Type implType = Type.getMethodType(impl.getDesc());
    List<Type> params = new ArrayList<>();
    Type ret = implType.getReturnType();
    int tag = impl.getTag();
    boolean hasReceiver = tag == Opcodes.H_INVOKEVIRTUAL || tag == Opcodes.H_INVOKEINTERFACE;
    if (hasReceiver) {
      params.add(Type.getObjectType(impl.getOwner()));
    }
    params.addAll(List.of(implType.getArgumentTypes()));
    if (tag == Opcodes.H_NEWINVOKESPECIAL) {
      ret = Type.getObjectType(impl.getOwner());
    }
    String desc = Type.getMethodDescriptor(ret, params.toArray(new Type[0]));
    MethodNode t = new MethodNode(Opcodes.ASM9,
        Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC, name, desc, null, null);
    InsnList l = t.instructions;
    if (tag == Opcodes.H_NEWINVOKESPECIAL) {
      l.add(new TypeInsnNode(Opcodes.NEW, impl.getOwner()));
      l.add(new InsnNode(Opcodes.DUP));
    }
    int slots = TwinTransformer.loadReceiverAndArguments(l, true, desc);
    int opcode = switch (tag) {
      case Opcodes.H_INVOKESTATIC -> Opcodes.INVOKESTATIC;
      case Opcodes.H_INVOKEVIRTUAL -> Opcodes.INVOKEVIRTUAL;
      case Opcodes.H_INVOKEINTERFACE -> Opcodes.INVOKEINTERFACE;
      case Opcodes.H_NEWINVOKESPECIAL -> Opcodes.INVOKESPECIAL;
      default -> throw new IllegalStateException("method handle kind " + tag);
    };
    l.add(new MethodInsnNode(opcode, impl.getOwner(), impl.getName(), impl.getDesc(), impl.isInterface()));
    l.add(new InsnNode(ret.getOpcode(Opcodes.IRETURN)));
    t.maxLocals = slots; // the prologue and the twin put the transaction in the next slot
    t.maxStack = slots + 2;
    return t;
  }
}
