package org.ame4j.internal.agent.instr;

import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Loads issued at a twin's entry so that the cache misses of its first element accesses overlap
 * (issue 14, session 14): for each array field of {@code this} indexed by an {@code int}
 * parameter the body never assigns ({@code queued[u]}, {@code visits[u]}, {@code label[u]} in a
 * graph walk's task {@code propagate(u)}), at least one of them stored to, the twin's first
 * instructions call
 * {@code ElementSites.prefetch(this.f, u, tx)}, which loads the element and its record word and
 * keeps nothing. The plain program's loads of a task overlap; under the agent each element write
 * is a locked compare-and-set, which x86 orders after every earlier load, so the misses of the
 * accesses that follow a write start only once it is done: one miss after another. Loaded first,
 * they are in flight together and the barriers later find the lines in cache.
 *
 * <p>Guarantees nothing the program sees and needs not to: the loaded values are never used (a
 * field of {@code this} read without a barrier only chooses which line to load; an index out of
 * bounds or a null array loads nothing), and the accesses themselves keep their barriers. Only
 * instance methods of application twins with at least {@link #MIN_SITES} such pairs get it (one
 * miss alone has nothing to overlap with), at most {@link #MAX_SITES}, and only if one of them is
 * a store ({@code a[u] = c} or {@code a[u]++}): reads alone take no lock, so their misses overlap
 * without help (the bank's {@code from[i]}, {@code to[i]}, {@code amount[i]}, read in index order,
 * would only pay the loads). Off with
 * {@code -Dame4j.entryPrefetch=false}.
 */
final class EntryPrefetch {
  /** On unless {@code -Dame4j.entryPrefetch=false}. */
  static final boolean DEFAULT = !"false".equals(System.getProperty("ame4j.entryPrefetch"));

  /**
   * On unless {@code -Dame4j.groupedRecords=false}: the twin's entry also groups the arrays it
   * accesses at one parameter ({@link #group}).
   */
  static final boolean GROUPS = !"false".equals(System.getProperty("ame4j.groupedRecords"));

  static final int MIN_SITES = 2;
  static final int MAX_SITES = 4;

  private EntryPrefetch() {}

  /** The (field, parameter slot) pairs of {@code m}'s body to load at entry, in body order. */
  static List<Pair> pairs(String owner, MethodNode m) {
    List<Pair> found = new ArrayList<>();
    boolean written = false; // a store among them: its lock is what serialises the misses
    if ((m.access & Opcodes.ACC_STATIC) != 0 || m.name.equals("<init>") || m.name.equals("<clinit>")) {
      return found;
    }
    boolean[] intParam = new boolean[m.maxLocals + 1];
    int slot = 1;
    for (Type t : Type.getArgumentTypes(m.desc)) {
      if (t.getSort() == Type.INT && slot < intParam.length) {
        intParam[slot] = true;
      }
      slot += t.getSize();
    }
    for (AbstractInsnNode n = m.instructions.getFirst(); n != null; n = n.getNext()) {
      if (n instanceof VarInsnNode v && v.getOpcode() == Opcodes.ASTORE && v.var == 0) {
        return List.of(); // this reassigned: a later aload_0 is not the receiver
      }
      if (n instanceof VarInsnNode v && v.getOpcode() == Opcodes.ISTORE && v.var < intParam.length) {
        intParam[v.var] = false; // assigned: its value at entry is not the index of every access
      } else if (n instanceof IincInsnNode inc && inc.var < intParam.length) {
        intParam[inc.var] = false;
      }
    }
    for (AbstractInsnNode n = m.instructions.getFirst(); n != null; n = n.getNext()) {
      if (!(n instanceof VarInsnNode self) || self.getOpcode() != Opcodes.ALOAD || self.var != 0) {
        continue;
      }
      AbstractInsnNode f = next(n);
      AbstractInsnNode i = f == null ? null : next(f);
      AbstractInsnNode access = i == null ? null : next(i);
      if (f instanceof FieldInsnNode fi && fi.getOpcode() == Opcodes.GETFIELD && fi.owner.equals(owner)
          && fi.desc.length() == 2 && fi.desc.charAt(0) == '['
          && i instanceof VarInsnNode iv && iv.getOpcode() == Opcodes.ILOAD && iv.var < intParam.length
          && intParam[iv.var] && access != null && isElementAccess(access, iv)) {
        Pair p = new Pair(fi.name, fi.desc, iv.var);
        if (!found.contains(p)) {
          found.add(p);
        }
        written |= isStore(access);
      }
    }
    if (!written || found.size() < MIN_SITES) {
      return List.of();
    }
    return found.subList(0, Math.min(found.size(), MAX_SITES));
  }

  /**
   * True if {@code access}, the instruction after {@code this.f} and the index, starts a store of
   * that element: {@code a[i]++} ({@code dup2}, then load, add, store) or {@code a[i] = c} (a
   * constant or a local, then the store).
   */
  private static boolean isStore(AbstractInsnNode access) {
    int op = access.getOpcode();
    if (op == Opcodes.DUP2) {
      return true;
    }
    AbstractInsnNode after = next(access);
    int st = after == null ? -1 : after.getOpcode();
    return !(op >= Opcodes.IALOAD && op <= Opcodes.SALOAD) && st >= Opcodes.IASTORE && st <= Opcodes.SASTORE;
  }

  /** The element load or store of {@code a[i]} (a store's value computed in between is fine). */
  private static boolean isElementAccess(AbstractInsnNode access, VarInsnNode index) {
    int op = access.getOpcode();
    return (op >= Opcodes.IALOAD && op <= Opcodes.SALOAD) || op == Opcodes.DUP2
        || (op >= Opcodes.ICONST_M1 && op <= Opcodes.SIPUSH) || op == Opcodes.ILOAD
        || op == Opcodes.LDC;
  }

  private static AbstractInsnNode next(AbstractInsnNode n) {
    AbstractInsnNode x = n.getNext();
    while (x != null && x.getOpcode() < 0) {
      x = x.getNext();
    }
    return x;
  }

  /** The entry loads of {@code pairs}: {@code prefetch(this.f, p, tx)} each. */
  static InsnList prologue(String owner, List<Pair> pairs, int txSlot) {
    InsnList l = new InsnList();
    for (Pair p : pairs) {
      l.add(new VarInsnNode(Opcodes.ALOAD, 0));
      l.add(new FieldInsnNode(Opcodes.GETFIELD, owner, p.field, p.desc));
      l.add(new VarInsnNode(Opcodes.ILOAD, p.slot));
      l.add(new VarInsnNode(Opcodes.ALOAD, txSlot));
      l.add(new MethodInsnNode(Opcodes.INVOKESTATIC, RuntimeContract.ELEMENT_SITES, "prefetch",
          "(Ljava/lang/Object;I" + TwinTransformer.TXN_DESC + ")V", false));
    }
    return l;
  }

  /**
   * Index-grouped records (issue 14, session 16): {@code ElementSites.group(this.f1, this.f2,
   * this.f3, this.f4, tx)} for the distinct fields of {@code pairs} indexed by the parameter most
   * of them share (nulls for fewer than four), if there are two or more; else nothing. The engine
   * then gives those arrays one record word per index ({@code ArrayGroups}), so the accesses at
   * {@code u} (and at any other index: {@code label[v]}, {@code queued[v]}) take one word's miss
   * and one lock. Which arrays to group is only a guess of where it pays: any grouping is correct.
   */
  static InsnList group(String owner, List<Pair> pairs, int txSlot) {
    InsnList l = new InsnList();
    int best = -1;
    int most = 0;
    for (Pair p : pairs) {
      int n = fieldsAt(pairs, p.slot).size();
      if (n > most) {
        most = n;
        best = p.slot;
      }
    }
    if (most < MIN_SITES) {
      return l;
    }
    List<Pair> fields = fieldsAt(pairs, best);
    for (int k = 0; k < MAX_SITES; k++) {
      if (k < fields.size()) {
        l.add(new VarInsnNode(Opcodes.ALOAD, 0));
        l.add(new FieldInsnNode(Opcodes.GETFIELD, owner, fields.get(k).field, fields.get(k).desc));
      } else {
        l.add(new InsnNode(Opcodes.ACONST_NULL));
      }
    }
    l.add(new VarInsnNode(Opcodes.ALOAD, txSlot));
    l.add(new MethodInsnNode(Opcodes.INVOKESTATIC, RuntimeContract.ELEMENT_SITES, "group",
        "(Ljava/lang/Object;Ljava/lang/Object;Ljava/lang/Object;Ljava/lang/Object;"
            + TwinTransformer.TXN_DESC + ")V", false));
    return l;
  }

  /** The pairs of {@code pairs} at {@code slot}, one per field. */
  private static List<Pair> fieldsAt(List<Pair> pairs, int slot) {
    List<Pair> at = new ArrayList<>();
    for (Pair p : pairs) {
      if (p.slot == slot && at.stream().noneMatch(q -> q.field.equals(p.field))) {
        at.add(p);
      }
    }
    return at;
  }

  record Pair(String field, String desc, int slot) {}
}
