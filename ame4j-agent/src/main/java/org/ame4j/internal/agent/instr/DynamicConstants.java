package org.ame4j.internal.agent.instr;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.ame4j.internal.agent.instr.analysis.Frames;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;

/**
 * Resolves every dynamic constant of an instrumented class when the class is initialized.
 *
 * <p>Why: HotSpot's JIT compilers cannot compile a method that contains an {@code ldc} of a
 * dynamic constant not resolved yet (C1: "could not resolve a constant", C2: "cannot parse
 * method"; seen on JDK 17), and they do not retry later. Twins load their field
 * {@code VarHandle}s, static holders and call-site records as dynamic constants; a write barrier
 * on a path that has not run yet (an error counter, the last iteration's bookkeeping) kept its
 * whole twin interpreted, tens of times slower. So a synthetic {@code $ame$constants()} loads
 * each of them once, and the class initializer calls it first (a class without one gets one).
 *
 * <p>A constant whose resolution fails (a field missing at run time, on a path the program never
 * takes) must not fail class initialization: each load has its own catch-all handler. The JVM
 * records the failure (JVMS §5.4.3), so the {@code ldc} at the real use site throws the same
 * error, where and when the original program would have failed.
 */
public final class DynamicConstants {
  private DynamicConstants() {}

  public static final String METHOD = "$ame$constants";
  /** Keeps the method well below the 64 KB code limit (about 12 bytes per constant). */
  private static final int MAX = 4_000;

  /** Adds the resolver and its call; nothing if the class has no dynamic constant. */
  static void resolveAtInitialization(ClassNode cn, boolean itf) {
    if (addResolver(cn, itf)) {
      callFromInitializer(cn, itf);
    }
  }

  /**
   * Adds the resolver only, for a caller that runs it itself (the java.base patch: its classes
   * initialize while the JVM starts, before the agent that resolves the constants exists).
   * Returns false if the class has no dynamic constant.
   */
  static boolean addResolver(ClassNode cn, boolean itf) {
    Set<ConstantDynamic> constants = new LinkedHashSet<>();
    for (MethodNode m : cn.methods) {
      for (AbstractInsnNode n : m.instructions) {
        if (n instanceof LdcInsnNode ldc && ldc.cst instanceof ConstantDynamic c && constants.size() < MAX) {
          constants.add(c);
        }
      }
    }
    if (constants.isEmpty()) {
      return false;
    }
    MethodNode r = new MethodNode(Opcodes.ASM9,
        Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC, METHOD, "()V", null, null);
    InsnList l = r.instructions;
    for (ConstantDynamic c : constants) {
      LabelNode start = new LabelNode();
      LabelNode end = new LabelNode();
      LabelNode handler = new LabelNode();
      LabelNode next = new LabelNode();
      l.add(start);
      l.add(new LdcInsnNode(c));
      l.add(new InsnNode(c.getSize() == 2 ? Opcodes.POP2 : Opcodes.POP));
      l.add(end);
      l.add(new JumpInsnNode(Opcodes.GOTO, next));
      l.add(handler);
      l.add(Frames.full(List.of(), List.of("java/lang/Throwable")));
      l.add(new InsnNode(Opcodes.POP)); // recorded by the JVM: the use site rethrows it
      l.add(next);
      l.add(Frames.full(List.of(), List.of()));
      r.tryCatchBlocks.add(new TryCatchBlockNode(start, end, handler, "java/lang/Throwable"));
    }
    l.add(new InsnNode(Opcodes.RETURN));
    cn.methods.add(r);
    return true;
  }

  private static void callFromInitializer(ClassNode cn, boolean itf) {
    MethodInsnNode call = new MethodInsnNode(Opcodes.INVOKESTATIC, cn.name, METHOD, "()V", itf);
    for (MethodNode m : cn.methods) {
      if (m.name.equals("<clinit>")) {
        m.instructions.insert(call); // before the body (and before its frames: no locals yet)
        return;
      }
    }
    MethodNode clinit = new MethodNode(Opcodes.ASM9, Opcodes.ACC_STATIC, "<clinit>", "()V", null, null);
    clinit.instructions.add(call);
    clinit.instructions.add(new InsnNode(Opcodes.RETURN));
    cn.methods.add(clinit);
  }
}
