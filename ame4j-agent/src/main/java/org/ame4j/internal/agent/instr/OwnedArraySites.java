package org.ame4j.internal.agent.instr;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ame4j.internal.agent.elision.FreshArrayFields;
import org.ame4j.internal.agent.instr.analysis.Hierarchy;
import org.ame4j.internal.agent.instr.analysis.ValueOrigins;
import org.ame4j.internal.engine.JdkWords;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * For one twin (an application class's, or the java.base patch's with {@code
 * -Dame4j.jdkOwnedArrays}, whose owners carry the patch's record): which element accesses load
 * their array from a fresh-array field
 * ({@link FreshArrayFields}) and from which {@code getfield}s, so that each such {@code getfield}
 * hands the array to those sites' hoisted checks when its object is born owned at the running
 * level ({@code engine.OwnedArrays.bornIn}); and which {@code putfield}s of a fresh-array field
 * store a value this twin does not show fresh (the safety net: {@code TwinBody} makes them
 * untracked first). Origins follow the value within the method ({@link ValueOrigins}), after
 * {@code BarrierElision} (whose temporaries are followed like any local).
 *
 * <p>Guarantees nothing about speed: a site reached by several arrays keeps whichever the last
 * {@code getfield} found born, and the barrier as before for any other. Sound whatever the data
 * flow, since a site trusts only the very array it was handed (a reference compare).
 */
final class OwnedArraySites {
  /** {@code getfield}s of fresh-array fields, each with the element sites its value reaches. */
  final Map<FieldInsnNode, List<AbstractInsnNode>> seeds = new LinkedHashMap<>();
  /** Element sites reached by a seed's value. */
  final Set<AbstractInsnNode> sites = new HashSet<>();
  /** {@code putfield}s of fresh-array fields whose value this twin does not show fresh. */
  final Set<AbstractInsnNode> staleStores = new HashSet<>();

  private static final OwnedArraySites NONE = new OwnedArraySites();
  private static final int MAX_INSNS = 20_000;

  private OwnedArraySites() {}

  /**
   * The plan for {@code body}'s twin instructions {@code insns} (after elision), leaving the
   * accesses in {@code plain} alone; {@code maxLocals} covers every local the elision uses.
   */
  static OwnedArraySites plan(TwinBody body, InsnList insns, Set<AbstractInsnNode> plain, int maxLocals) {
    ClassContext ctx = body.ctx;
    // Application twins with the per-site barriers; the java.base patch's twins (issue 14,
    // session 14) with its own switch: their owners carry the patch's record (RecordFields).
    boolean on = ctx.target().namesTxn() ? FreshArrayFields.DEFAULT && ctx.siteBarriers() : FreshArrayFields.JDK;
    if (!on || ctx.freshArrays() == null || !mentionsCandidate(ctx, insns)) {
      return NONE;
    }
    MethodNode m = new MethodNode(Opcodes.ASM9, body.twin.access, body.twin.name, body.twin.desc, null, null);
    m.instructions = insns;
    m.tryCatchBlocks = body.twin.tryCatchBlocks;
    m.maxLocals = maxLocals;
    m.maxStack = body.original.maxStack + 16;
    ValueOrigins origins = ValueOrigins.of(ctx.cn().name, m, MAX_INSNS);
    OwnedArraySites plan = new OwnedArraySites();
    for (AbstractInsnNode n : insns.toArray()) {
      int op = n.getOpcode();
      if (op == Opcodes.PUTFIELD && isFreshArrayField(ctx, (FieldInsnNode) n)
          && (origins == null || !FreshArrayFields.storesFresh(origins, n))) {
        plan.staleStores.add(n);
      }
      if (origins == null || plain.contains(n)) {
        continue;
      }
      boolean load = op >= Opcodes.IALOAD && op <= Opcodes.SALOAD;
      boolean store = op >= Opcodes.IASTORE && op <= Opcodes.SASTORE;
      if (!load && !store) {
        continue;
      }
      for (AbstractInsnNode o : origins.of(n, load ? 1 : 2)) {
        if (o instanceof FieldInsnNode fi && fi.getOpcode() == Opcodes.GETFIELD && isFreshArrayField(ctx, fi)) {
          plan.seeds.computeIfAbsent(fi, k -> new ArrayList<>()).add(n);
          plan.sites.add(n);
        }
      }
    }
    return plan;
  }

  private static boolean mentionsCandidate(ClassContext ctx, InsnList insns) {
    for (AbstractInsnNode n : insns) {
      if (n instanceof FieldInsnNode fi && fi.desc.startsWith("[")
          && (fi.getOpcode() == Opcodes.GETFIELD || fi.getOpcode() == Opcodes.PUTFIELD)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isFreshArrayField(ClassContext ctx, FieldInsnNode fi) {
    if (!fi.desc.startsWith("[")) {
      return false;
    }
    Hierarchy.Member decl = ctx.hierarchy().resolveField(fi.owner, fi.name, fi.desc);
    return decl != null && decl.owner().equals(fi.owner)
        && ctx.freshArrays().isFreshOnly(decl.owner(), decl.access(), fi.name, fi.desc, ctx.cn().name, ctx.classfile());
  }

  /**
   * Hands the array {@code getfield} loads to the hoisted-check locals {@code slots} when its object
   * is born owned: {@code [obj]} before the getfield's barrier gets a copy ({@code dup}), and after
   * it {@code [obj, array] -> [array]} through {@code OwnedArrays.bornIn} and one {@code keep} per
   * slot. No branch, so no frame. With {@code record} (the owner's class carries the java.base
   * patch's record field) the record is what {@code bornIn} checks: {@code dup; getfield
   * C.$ame4j$rec; swap} before the getfield.
   */
  static void seed(InsnList insns, FieldInsnNode getfield, List<Integer> slots, AbstractInsnNode tx, boolean record) {
    insns.insertBefore(getfield, new InsnNode(Opcodes.DUP));
    if (record) {
      // The owner carries the java.base patch's record (a TxObject, born owned when a twin
      // constructor made the owner in this attempt): bornIn asks the record instead of the owner.
      // [obj, obj] -> [rec, obj]; the record field is public and resolves in the root.
      insns.insertBefore(getfield, new FieldInsnNode(Opcodes.GETFIELD, getfield.owner, JdkWords.FIELD,
          "Ljava/lang/Object;"));
      insns.insertBefore(getfield, new InsnNode(Opcodes.SWAP));
    }
    InsnList after = new InsnList();
    after.add(new InsnNode(Opcodes.DUP_X1)); // [array, owner-or-record, array]
    after.add(tx);
    after.add(TwinBody.barrier(RuntimeContract.OWNED_ARRAYS, "bornIn",
        "(Ljava/lang/Object;Ljava/lang/Object;" + TwinBody.TXN_DESC + ")Ljava/lang/Object;"));
    for (int slot : slots) { // [array, born]
      after.add(new InsnNode(Opcodes.DUP));
      after.add(new VarInsnNode(Opcodes.ALOAD, slot));
      after.add(new MethodInsnNode(Opcodes.INVOKESTATIC, RuntimeContract.OWNED_ARRAYS, "keep",
          "(Ljava/lang/Object;Ljava/lang/Object;)Ljava/lang/Object;", false));
      after.add(new VarInsnNode(Opcodes.ASTORE, slot));
    }
    after.add(new InsnNode(Opcodes.POP));
    insns.insert(getfield, after);
  }
}
