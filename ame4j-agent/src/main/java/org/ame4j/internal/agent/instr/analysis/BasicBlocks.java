package org.ame4j.internal.agent.instr.analysis;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;

/**
 * Where the basic blocks of a method begin, from its instructions alone (no class hierarchy), for
 * {@link BarrierElision}: which labels control reaches other than by falling through, and which
 * of them it reaches from one earlier jump only (so the jump's block dominates theirs). Switch
 * targets and handlers count as many edges: they never inherit facts.
 */
public final class BasicBlocks {
  private BasicBlocks() {}

  /**
   * The labels control can reach other than by falling through: jump and switch targets and
   * handlers. javac puts a label at every line too; those do not end a block.
   */
  public static Set<LabelNode> entries(MethodNode m) {
    Set<LabelNode> out = new HashSet<>();
    for (AbstractInsnNode n : m.instructions) {
      if (n instanceof JumpInsnNode j) {
        out.add(j.label);
      } else if (n instanceof TableSwitchInsnNode t) {
        out.add(t.dflt);
        out.addAll(t.labels);
      } else if (n instanceof LookupSwitchInsnNode t) {
        out.add(t.dflt);
        out.addAll(t.labels);
      }
    }
    for (TryCatchBlockNode b : m.tryCatchBlocks) {
      out.add(b.handler);
    }
    return out;
  }

  /**
   * Labels reached by exactly one edge, a jump that comes before them (so its facts are known
   * when the scan gets there), and not by falling through: the block they start is dominated by
   * the jump's block and may inherit its facts.
   */
  public static Set<LabelNode> onlyForwardJumpedTo(MethodNode m, AbstractInsnNode[] code) {
    Map<LabelNode, Integer> edges = new HashMap<>();
    Set<LabelNode> forward = new HashSet<>();
    Set<LabelNode> seen = new HashSet<>();
    for (AbstractInsnNode n : code) {
      if (n instanceof LabelNode l) {
        seen.add(l);
      } else if (n instanceof JumpInsnNode j) {
        edges.merge(j.label, 1, Integer::sum);
        if (!seen.contains(j.label)) {
          forward.add(j.label);
        }
      } else if (n instanceof TableSwitchInsnNode t) {
        edges.merge(t.dflt, 2, Integer::sum);
        t.labels.forEach(l -> edges.merge(l, 2, Integer::sum));
      } else if (n instanceof LookupSwitchInsnNode t) {
        edges.merge(t.dflt, 2, Integer::sum);
        t.labels.forEach(l -> edges.merge(l, 2, Integer::sum));
      }
    }
    for (TryCatchBlockNode b : m.tryCatchBlocks) {
      edges.merge(b.handler, 2, Integer::sum);
    }
    Set<LabelNode> out = new HashSet<>();
    for (int i = 0; i < code.length; i++) {
      if (code[i] instanceof LabelNode l && edges.getOrDefault(l, 0) == 1 && forward.contains(l)
          && !fallsInto(code, i, edges)) {
        out.add(l);
      }
    }
    return out;
  }

  /**
   * True if control may reach position {@code i} other than through its own label: the
   * instruction before it (debug info skipped) falls through, or another label at the same offset
   * is a target.
   */
  private static boolean fallsInto(AbstractInsnNode[] code, int i, Map<LabelNode, Integer> edges) {
    for (int k = i - 1; k >= 0; k--) {
      int op = code[k].getOpcode();
      if (code[k] instanceof LabelNode l && edges.containsKey(l)) {
        return true;
      }
      if (op < 0) {
        continue;
      }
      return !(op == Opcodes.GOTO || (op >= Opcodes.TABLESWITCH && op <= Opcodes.RETURN) || op == Opcodes.ATHROW);
    }
    return true; // the method's entry
  }
}
