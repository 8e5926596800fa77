package org.ame4j.internal.agent.instr;

import static org.ame4j.internal.agent.instr.RuntimeContract.ELEMENT_SITES;

import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Hoisted born checks for the per-site compound adds {@code a[i] += d} of one twin (issue 14,
 * session 14): a blind element add inside a loop keeps, in a local of its own, the array it last
 * found born at the attempt's running nesting level, so its next add into that array costs a
 * reference compare instead of the capture set's search ({@code ElementSites.openWriteAt}).
 * Coarse k-means adds each point into a row of the task's own {@code new double[8][4]} four
 * times and into its own {@code int[8]} once: five searches per point before, about one after.
 *
 * <p>The local is the one {@link HoistedChecks} gives the add's own {@code xastore} (a store in a
 * loop), which the twin leaves as it is ({@link TwinBody}'s guarded store) and so never used
 * before. What it rewrites is {@link TwinBody}'s open-and-log sequence, in place, with no branch:
 * <pre>
 *   before: dup2; aload tx; openWrite(Object,I,Txn)Z;   istore log; dup2; iload log; aload tx; logX(X[],I,Z,Txn)X
 *   after:  dup2; aload b; aload tx; openWriteAt(Object,I,Object,Txn)Object; astore b;
 *                                                 dup2; aload b;    aload tx; logXAt(X[],I,Object,Txn)X
 * </pre>
 * So the original frames stay valid (the local is in every frame, typed {@code Object}, null at
 * the twin's start). Guarantees the same lock and log as before for every array the site does not
 * keep; the engine argues why a kept array needs neither ({@code BornArrayWrites}). Does nothing
 * for adds with no local (outside loops unless a fresh-array field's hand-over gave one, or with
 * {@code -Dame4j.hoistedStores=false}) or in the java.base patch's twins (one {@code BlindAdds}
 * call there). With {@code -Dame4j.hoistedAdds=false} an add with a local takes the owned add's
 * compare instead ({@link #OWNED_ADDS}): the same local, read and never written.
 */
final class HoistedAdds {
  /** On unless {@code -Dame4j.hoistedAdds=false}. */
  static final boolean ON = !"false".equals(System.getProperty("ame4j.hoistedAdds"));

  /**
   * {@code ame4j.ownedAdds} (default true), for adds this class does not rewrite (with
   * {@code -Dame4j.hoistedAdds=false}): an add whose store has a hoisted local ({@link
   * HoistedChecks}, seeded by a fresh-array field's hand-over, {@link OwnedArraySites}) passes the
   * local to its lock, {@code ElementSites.openWriteKept}: the handed-over array is opened with a
   * reference compare instead of a capture-set lookup, and the local is never changed. False:
   * {@code openWrite} as before (the A/B switch of issue 14, session 14).
   */
  static final boolean OWNED_ADDS = !"false".equals(System.getProperty("ame4j.ownedAdds"));

  /** One add's open-and-log sequence, by the nodes the rewrite changes. */
  private record Site(AbstractInsnNode store, AbstractInsnNode loadTx, MethodInsnNode open,
      VarInsnNode keepLog, VarInsnNode loadLog, MethodInsnNode log, Type type) {}

  private final List<Site> sites = new ArrayList<>();

  /** Notes an add whose sequence {@link TwinBody#blindElementAdd} emitted (see the class comment). */
  void add(AbstractInsnNode store, AbstractInsnNode loadTx, MethodInsnNode open, VarInsnNode keepLog,
      VarInsnNode loadLog, MethodInsnNode log, Type type) {
    sites.add(new Site(store, loadTx, open, keepLog, loadLog, log, type));
  }

  /**
   * Rewrites every noted add whose store has a local in {@code hoisted}: to {@code openWriteAt}
   * (this class), else to {@code openWriteKept} ({@link #OWNED_ADDS}). Returns how many.
   */
  int apply(InsnList insns, HoistedChecks hoisted) {
    if (!ON && !OWNED_ADDS) {
      return 0;
    }
    int n = 0;
    for (Site s : sites) {
      int born = hoisted.slotOf(s.store);
      if (born < 0) {
        continue;
      }
      insns.insertBefore(s.loadTx, new VarInsnNode(Opcodes.ALOAD, born));
      if (!ON) { // [a, i, kept, tx] openWriteKept: the local is only compared
        s.open.name = "openWriteKept";
        s.open.desc = "(Ljava/lang/Object;ILjava/lang/Object;" + TwinBody.TXN_DESC + ")Z";
        n++;
        continue;
      }
      insns.set(s.open, new MethodInsnNode(Opcodes.INVOKESTATIC, ELEMENT_SITES, "openWriteAt",
          "(Ljava/lang/Object;ILjava/lang/Object;" + TwinBody.TXN_DESC + ")Ljava/lang/Object;", false));
      insns.set(s.keepLog, new VarInsnNode(Opcodes.ASTORE, born));
      insns.set(s.loadLog, new VarInsnNode(Opcodes.ALOAD, born));
      String d = s.type.getDescriptor();
      insns.set(s.log, new MethodInsnNode(Opcodes.INVOKESTATIC, ELEMENT_SITES, s.log.name + "At",
          "([" + d + "ILjava/lang/Object;" + TwinBody.TXN_DESC + ")" + d, false));
      n++;
    }
    return n;
  }
}
