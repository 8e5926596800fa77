package org.ame4j.internal.agent.instr.analysis;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SourceInterpreter;
import org.objectweb.asm.tree.analysis.SourceValue;

/**
 * Where a reference on the operand stack may come from within one method: the instructions that
 * <em>produced</em> it, followed back through locals ({@code astore}/{@code aload}),
 * {@code checkcast} and the stack's copies ({@code dup*}, {@code swap}), on ASM's
 * {@link SourceInterpreter} frames (no class hierarchy needed). A value that may come from a
 * parameter or a caught exception has the origin {@link #UNKNOWN}.
 *
 * <p>Conservative by construction: every path the verifier allows is followed, so the answer is a
 * superset of what can reach the instruction. A copy instruction ({@code dup_x2}, {@code swap} …)
 * contributes every value it moves, not just the one that lands at the depth asked about.
 */
public final class ValueOrigins {
  /** The origin of a value the method did not produce itself (a parameter, a caught exception). */
  public static final AbstractInsnNode UNKNOWN = new org.objectweb.asm.tree.InsnNode(Opcodes.NOP);

  private final InsnList insns;
  private final Frame<SourceValue>[] frames;

  private ValueOrigins(InsnList insns, Frame<SourceValue>[] frames) {
    this.insns = insns;
    this.frames = frames;
  }

  /**
   * The origins of {@code m}'s values ({@code owner}: its class), or null when ASM's analysis fails
   * or the method is larger than {@code maxInsns}. {@code m}'s {@code maxLocals}/{@code maxStack}
   * must cover its code.
   */
  public static ValueOrigins of(String owner, MethodNode m, int maxInsns) {
    if (m.instructions.size() == 0 || m.instructions.size() > maxInsns) {
      return null;
    }
    try {
      return new ValueOrigins(m.instructions, new Analyzer<>(new SourceInterpreter()).analyze(owner, m));
    } catch (AnalyzerException | RuntimeException e) {
      return null;
    }
  }

  /** True if {@code at} is reachable (the analysis has a frame for it). */
  public boolean reachable(AbstractInsnNode at) {
    return frames[insns.indexOf(at)] != null;
  }

  /**
   * The producers of the value {@code depth} below the top of the stack (0: the top) just before
   * {@code at} runs; empty if {@code at} is unreachable.
   */
  public Set<AbstractInsnNode> of(AbstractInsnNode at, int depth) {
    Set<AbstractInsnNode> out = new HashSet<>();
    Frame<SourceValue> f = frames[insns.indexOf(at)];
    if (f == null) {
      return out;
    }
    Set<AbstractInsnNode> seen = new HashSet<>();
    ArrayDeque<AbstractInsnNode> work = new ArrayDeque<>();
    push(f.getStack(f.getStackSize() - 1 - depth), work);
    while (!work.isEmpty()) {
      AbstractInsnNode n = work.pop();
      if (n == UNKNOWN) {
        out.add(UNKNOWN);
        continue;
      }
      if (!seen.add(n)) {
        continue;
      }
      Frame<SourceValue> at2 = frames[insns.indexOf(n)];
      int op = n.getOpcode();
      if (at2 == null) {
        out.add(UNKNOWN);
      } else if (op == Opcodes.ALOAD) {
        push(at2.getLocal(((org.objectweb.asm.tree.VarInsnNode) n).var), work);
      } else if (op == Opcodes.ASTORE || op == Opcodes.CHECKCAST) {
        push(at2.getStack(at2.getStackSize() - 1), work);
      } else if (op >= Opcodes.DUP && op <= Opcodes.SWAP) {
        // dup .. dup2_x2, swap: any of the (at most four) values it moves
        for (int i = 0; i < Math.min(4, at2.getStackSize()); i++) {
          push(at2.getStack(at2.getStackSize() - 1 - i), work);
        }
      } else {
        out.add(n);
      }
    }
    return out;
  }

  private static void push(SourceValue v, ArrayDeque<AbstractInsnNode> work) {
    if (v.insns.isEmpty()) {
      work.push(UNKNOWN); // a parameter, or the uninitialized value of a local
    }
    for (AbstractInsnNode n : v.insns) {
      work.push(n);
    }
  }
}
