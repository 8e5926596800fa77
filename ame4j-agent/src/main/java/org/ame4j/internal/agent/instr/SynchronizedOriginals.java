package org.ame4j.internal.agent.instr;

import java.util.List;
import org.ame4j.internal.agent.instr.analysis.Frames;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * A {@code synchronized} method's original takes its monitor <em>after</em> the dispatch
 * prologue, not before it: {@code ACC_SYNCHRONIZED} is dropped and the body is wrapped the way
 * javac compiles a {@code synchronized} block (JLS 8.4.3.6: the two are equivalent), with
 * {@code monitorenter} on {@code this} or the class, {@code monitorexit} before every return and
 * in a catch-all handler appended last (the body's own handlers keep precedence; the handler
 * covers its own {@code monitorexit}, as javac's does, so HotSpot sees balanced monitors).
 *
 * <p><b>Why.</b> With the flag the JVM enters the monitor before the first instruction
 * (JVMS 2.11.10), so a transaction that reaches the original (from code the agent did not
 * instrument, through a method handle or a lambda's {@code obj::syncMethod}) blocked on a real
 * monitor before the prologue could send it to the twin, where monitors are elided. A task of a
 * batch blocked there holds the batch's records where no kill reaches it (queue's
 * {@code TaskEntries}). Now a transaction never enters the monitor of an instrumented method;
 * outside transactions the original takes it exactly as before.
 *
 * <p>Not done: interfaces (no synchronized methods), methods too large for their prologue (they
 * stay as they were and run inevitable), fallback classes. Reflection reports such a method as
 * not synchronized ({@code Modifier.isSynchronized}).
 */
final class SynchronizedOriginals {
  private SynchronizedOriginals() {}

  /** True if {@code m} needs {@link #takeMonitorInBody}. */
  static boolean isSynchronized(MethodNode m) {
    return (m.access & Opcodes.ACC_SYNCHRONIZED) != 0;
  }

  /** Rewrites {@code m} (a synchronized original, before its prologue is added) as above. */
  static void takeMonitorInBody(ClassNode cn, MethodNode m) {
    boolean isStatic = (m.access & Opcodes.ACC_STATIC) != 0;
    int lock = m.maxLocals;
    m.maxLocals = lock + 1;
    InsnList insns = m.instructions;
    Frames.addLocalToAll(insns, lock, "java/lang/Object", m.name);
    for (AbstractInsnNode n : insns.toArray()) {
      int op = n.getOpcode();
      if (op >= Opcodes.IRETURN && op <= Opcodes.RETURN) {
        insns.insertBefore(n, exit(lock));
      }
    }
    LabelNode start = new LabelNode();
    LabelNode end = new LabelNode();
    LabelNode handler = new LabelNode();
    LabelNode handlerEnd = new LabelNode();
    InsnList head = new InsnList();
    head.add(isStatic ? new LdcInsnNode(Type.getObjectType(cn.name)) : new VarInsnNode(Opcodes.ALOAD, 0));
    head.add(new InsnNode(Opcodes.DUP));
    head.add(new VarInsnNode(Opcodes.ASTORE, lock));
    head.add(new InsnNode(Opcodes.MONITORENTER));
    head.add(start);
    insns.insert(head);
    insns.add(end);
    insns.add(handler);
    insns.add(Frames.full(Frames.withLocal(List.of(), lock, "java/lang/Object", m.name),
        List.of("java/lang/Throwable")));
    insns.add(exit(lock));
    insns.add(handlerEnd);
    insns.add(new InsnNode(Opcodes.ATHROW));
    m.tryCatchBlocks.add(new TryCatchBlockNode(start, end, handler, null));
    m.tryCatchBlocks.add(new TryCatchBlockNode(handler, handlerEnd, handler, null));
    m.access &= ~Opcodes.ACC_SYNCHRONIZED;
  }

  private static InsnList exit(int lock) {
    InsnList l = new InsnList();
    l.add(new VarInsnNode(Opcodes.ALOAD, lock));
    l.add(new InsnNode(Opcodes.MONITOREXIT));
    return l;
  }
}
