package org.ame4j.internal.agent.instr;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Drops a conflict-report site marker ({@link TwinBody#marker}) that repeats the one just before
 * it: the same site id, reached only through the one before (no label between them, so no jump
 * or handler lands in between) with nothing in between but the field and element barriers. The
 * descriptor's site is then already that id, so the marker would store what is there: the report
 * is the same, line for line, and an expression with several accesses on one line of one kind
 * (a stencil's {@code row[c - 1] + row[c] + row[c + 1]}: one site, see {@code Sites.register})
 * pays one marker instead of one per access.
 *
 * <p>Guarantees that every access still runs with its own site in the descriptor: the barriers'
 * owners ({@link RuntimeContract#BARRIER_OWNERS}) never run a marker (they run no code of the
 * program), and any other call (a twin, the JDK, the agent's runtime), an {@code invokedynamic}
 * or a label forgets the last id. A hoisted-check read with its marker folded in
 * ({@link TwinBody#SITED_READ}) stores its id on its slow path only, so after it the descriptor
 * holds that id only if it held it before: the last id is kept when equal, else forgotten. Does
 * not drop markers across a loop's back edge (the loop head is a label): one marker per iteration
 * stays.
 */
final class RepeatedMarkers {
  private RepeatedMarkers() {}

  /** Removes the repeated markers of {@code insns}, a twin whose transaction is in slot {@code tx}. */
  static void drop(InsnList insns, int tx) {
    Object last = null;
    for (AbstractInsnNode n = insns.getFirst(); n != null; n = n.getNext()) {
      if (n instanceof LabelNode || n instanceof InvokeDynamicInsnNode) {
        last = null;
      } else if (n instanceof MethodInsnNode mi) {
        if (isMarker(mi, tx)) {
          Object id = ((LdcInsnNode) mi.getPrevious()).cst;
          if (id.equals(last)) {
            AbstractInsnNode ldc = mi.getPrevious();
            AbstractInsnNode load = ldc.getPrevious();
            n = load.getPrevious(); // not null: the marker before; the loop goes on after this one
            insns.remove(load);
            insns.remove(ldc);
            insns.remove(mi);
          }
          last = id;
        } else if (isSitedRead(mi)) {
          Object id = ((LdcInsnNode) mi.getPrevious()).cst;
          last = id.equals(last) ? last : null; // its id, or the one before: known only if equal
        } else if (!RuntimeContract.BARRIER_OWNERS.contains(mi.owner)) {
          last = null;
        }
      }
    }
  }

  /** {@code …; ldc id; invokestatic Diagnostics.beforeReadElementAt(…, Txn, int)}. */
  private static boolean isSitedRead(MethodInsnNode mi) {
    return mi.getOpcode() == Opcodes.INVOKESTATIC && mi.owner.equals(TwinBody.DIAGNOSTICS)
        && mi.name.equals(TwinBody.SITED_READ) && mi.desc.equals(TwinBody.SITED_READ_DESC)
        && mi.getPrevious() instanceof LdcInsnNode l && l.cst instanceof Integer;
  }

  /** {@code aload tx; ldc id; invokestatic Diagnostics.at(Txn,int)}. */
  private static boolean isMarker(MethodInsnNode mi, int tx) {
    AbstractInsnNode ldc = mi.getPrevious();
    AbstractInsnNode load = ldc == null ? null : ldc.getPrevious();
    return mi.getOpcode() == Opcodes.INVOKESTATIC && mi.owner.equals(TwinBody.DIAGNOSTICS) && mi.name.equals("at")
        && ldc instanceof LdcInsnNode l && l.cst instanceof Integer
        && load != null && load.getOpcode() == Opcodes.ALOAD && ((VarInsnNode) load).var == tx;
  }
}
