package org.ame4j.internal.agent.elision;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.Interpreter;
import org.objectweb.asm.tree.analysis.Value;

/**
 * Finds the read-modify-writes of one method: a {@code putfield x.f} whose stored value is
 * computed from a {@code getfield x.f} of the same local {@code x} (through locals, arithmetic and
 * calls: {@code HashMap.merge}'s {@code old.value = remap.apply(old.value, value)}). That read, and
 * a read of {@code x.f} shortly before it on the way ({@link #leadsTo}), are <em>reads for
 * write</em>: the twin opens the holder for writing at the read
 * ({@code RecordBarriers.openReadForWrite}), so a second transaction doing the same
 * waits for the first to end at its own read, instead of both reading the old value and the
 * loser of the race for the lock aborting at validation, its whole attempt lost. (json's fold
 * loses few tasks to that race: its aborts are mostly waits for a held node that give up; see
 * DESIGN-NOTES, "json's fold on two workers".)
 *
 * <p>Only data dependence counts, not control: {@code computeIfAbsent} reads {@code old.value}
 * and writes it only when it was null, with a value the read did not compute, so its reads stay
 * ordinary (most of its calls find a value and write nothing; a lock there would make every other
 * reader of the node wait). Calls are assumed to compute their result from all their arguments.
 *
 * <p>Guarantees nothing for correctness and needs not to: a read that takes the write lock is
 * always sound (the value under our lock is current and stays ours to the end), only possibly
 * slower for others when no write follows. "The same local" is the local slot, not stored to in
 * between as far as the value's source goes (a slot reused for another object only costs a lock).
 * Returns nothing for a method the analysis cannot type (the reads stay ordinary).
 */
public final class ReadForWrite {
  private ReadForWrite() {}

  /** The {@code getfield}s of {@code m} (of class {@code owner}) to open for writing. */
  public static Set<AbstractInsnNode> reads(String owner, MethodNode m) {
    if (!readsAWrittenField(m.instructions)) {
      return Set.of();
    }
    Frame<Taint>[] frames;
    try {
      frames = new Analyzer<>(new Flow()).analyze(owner, m);
    } catch (AnalyzerException | RuntimeException e) {
      return Set.of(); // unanalysable: ordinary reads
    }
    InsnList insns = m.instructions;
    Map<FieldInsnNode, Integer> holderOf = new HashMap<>(); // getfield -> its holder's local
    Set<FieldInsnNode> sources = new HashSet<>(); // getfields whose value a write of theirs stores
    for (int i = 0; i < insns.size(); i++) {
      AbstractInsnNode n = insns.get(i);
      Frame<Taint> f = frames[i];
      if (f == null || !(n instanceof FieldInsnNode fi)) {
        continue;
      }
      if (fi.getOpcode() == Opcodes.GETFIELD) {
        Taint holder = f.getStack(f.getStackSize() - 1);
        if (holder.slot >= 0) {
          holderOf.put(fi, holder.slot);
        }
      }
    }
    for (int i = 0; i < insns.size(); i++) {
      AbstractInsnNode n = insns.get(i);
      Frame<Taint> f = frames[i];
      if (f == null || n.getOpcode() != Opcodes.PUTFIELD) {
        continue;
      }
      FieldInsnNode put = (FieldInsnNode) n;
      Taint value = f.getStack(f.getStackSize() - 1);
      Taint holder = f.getStack(f.getStackSize() - 2);
      for (FieldInsnNode read : value.reads) {
        if (holder.slot >= 0 && same(read, put) && Objects.equals(holderOf.get(read), holder.slot)) {
          sources.add(read);
        }
      }
    }
    if (sources.isEmpty()) {
      return Set.of();
    }
    Set<AbstractInsnNode> out = new HashSet<>(sources);
    holderOf.forEach((read, slot) -> {
      for (FieldInsnNode source : sources) {
        if (read != source && same(read, source) && slot.equals(holderOf.get(source))
            && leadsTo(insns, read, source, slot)) {
          out.add(read);
        }
      }
    });
    return out;
  }

  /** The longest stretch of code {@link #leadsTo} looks through. */
  private static final int REACH = 48;

  /**
   * Whether {@code to} follows {@code from} closely: reached forward (no backward jump, so no
   * loop), within {@value #REACH} instructions, without a call (whose length and effects are
   * unknown), a switch, a store to the holder's {@code slot}, or leaving the method. An earlier read
   * of the field on the way to its read-modify-write (merge's {@code old.value != null} just
   * before {@code remap.apply(old.value, value)}) then locks too: else a peer committing between
   * the two reads would make the lock extend past a stale read, and abort.
   */
  private static boolean leadsTo(InsnList insns, AbstractInsnNode from, AbstractInsnNode to, int slot) {
    int start = insns.indexOf(from);
    int end = insns.indexOf(to);
    if (end <= start || end - start > REACH) {
      return false;
    }
    boolean[] seen = new boolean[end - start + 1];
    java.util.ArrayDeque<Integer> work = new java.util.ArrayDeque<>();
    work.add(start);
    while (!work.isEmpty()) {
      int i = work.poll();
      if (i == end) {
        return true;
      }
      if (i < start || i > end || seen[i - start]) {
        continue;
      }
      seen[i - start] = true;
      AbstractInsnNode n = insns.get(i);
      int op = n.getOpcode();
      if (n instanceof org.objectweb.asm.tree.MethodInsnNode
          || n instanceof org.objectweb.asm.tree.InvokeDynamicInsnNode
          || n instanceof org.objectweb.asm.tree.TableSwitchInsnNode
          || n instanceof org.objectweb.asm.tree.LookupSwitchInsnNode
          || (op >= Opcodes.IRETURN && op <= Opcodes.RETURN) || op == Opcodes.ATHROW
          || (n instanceof VarInsnNode v && v.var == slot && op >= Opcodes.ISTORE && op <= Opcodes.ASTORE)) {
        continue;
      }
      if (n instanceof org.objectweb.asm.tree.JumpInsnNode j) {
        int target = insns.indexOf(j.label);
        if (target > i) {
          work.add(target);
        }
        if (op == Opcodes.GOTO) {
          continue;
        }
      }
      work.add(i + 1);
    }
    return false;
  }

  /** Whether some field is both read and written: most methods are neither, and skip the flow. */
  private static boolean readsAWrittenField(InsnList insns) {
    Set<String> written = new HashSet<>();
    for (AbstractInsnNode n = insns.getFirst(); n != null; n = n.getNext()) {
      if (n.getOpcode() == Opcodes.PUTFIELD) {
        written.add(((FieldInsnNode) n).name);
      }
    }
    if (written.isEmpty()) {
      return false;
    }
    for (AbstractInsnNode n = insns.getFirst(); n != null; n = n.getNext()) {
      if (n.getOpcode() == Opcodes.GETFIELD && written.contains(((FieldInsnNode) n).name)) {
        return true;
      }
    }
    return false;
  }

  private static boolean same(FieldInsnNode a, FieldInsnNode b) {
    return a.owner.equals(b.owner) && a.name.equals(b.name) && a.desc.equals(b.desc);
  }

  /**
   * A value: its size, the {@code getfield}s it was computed from, and the local slot it was
   * loaded from ({@code -1}: not a plain load of one slot on every path).
   */
  static final class Taint implements Value {
    final int size;
    final Set<FieldInsnNode> reads;
    final int slot;

    Taint(int size, Set<FieldInsnNode> reads, int slot) {
      this.size = size;
      this.reads = reads;
      this.slot = slot;
    }

    @Override
    public int getSize() {
      return size;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Taint t && t.size == size && t.slot == slot && t.reads.equals(reads);
    }

    @Override
    public int hashCode() {
      return reads.hashCode() * 31 + slot * 3 + size;
    }
  }

  private static final Set<FieldInsnNode> NONE = Set.of();

  /** The data flow: a value derives from the reads its operands derive from. */
  private static final class Flow extends Interpreter<Taint> {
    Flow() {
      super(Opcodes.ASM9);
    }

    private static Taint of(Type t, Set<FieldInsnNode> reads) {
      return new Taint(t == null ? 1 : Math.max(1, t.getSize()), reads, -1);
    }

    private static Set<FieldInsnNode> union(List<? extends Taint> values) {
      Set<FieldInsnNode> s = null;
      for (Taint v : values) {
        if (!v.reads.isEmpty()) {
          if (s == null) {
            s = new HashSet<>();
          }
          s.addAll(v.reads);
        }
      }
      return s == null ? NONE : s;
    }

    @Override
    public Taint newValue(Type type) {
      if (type == Type.VOID_TYPE) {
        return null;
      }
      return new Taint(type == null ? 1 : type.getSize(), NONE, -1);
    }

    @Override
    public Taint newOperation(AbstractInsnNode insn) {
      int size = switch (insn.getOpcode()) {
        case Opcodes.LCONST_0, Opcodes.LCONST_1, Opcodes.DCONST_0, Opcodes.DCONST_1 -> 2;
        case Opcodes.LDC -> {
          Object c = ((org.objectweb.asm.tree.LdcInsnNode) insn).cst;
          yield c instanceof Long || c instanceof Double ? 2 : 1;
        }
        case Opcodes.GETSTATIC -> Type.getType(((FieldInsnNode) insn).desc).getSize();
        default -> 1;
      };
      return new Taint(size, NONE, -1);
    }

    @Override
    public Taint copyOperation(AbstractInsnNode insn, Taint value) {
      int op = insn.getOpcode();
      if (op >= Opcodes.ILOAD && op <= Opcodes.ALOAD) {
        return new Taint(value.size, value.reads, ((VarInsnNode) insn).var);
      }
      return value; // a store, a dup or a swap: the same value, from the same load
    }

    @Override
    public Taint unaryOperation(AbstractInsnNode insn, Taint value) {
      return switch (insn.getOpcode()) {
        case Opcodes.GETFIELD -> of(Type.getType(((FieldInsnNode) insn).desc), Set.of((FieldInsnNode) insn));
        case Opcodes.I2L, Opcodes.I2D, Opcodes.L2D, Opcodes.F2L, Opcodes.F2D, Opcodes.D2L,
            Opcodes.LNEG, Opcodes.DNEG -> new Taint(2, value.reads, -1);
        case Opcodes.IFEQ, Opcodes.IFNE, Opcodes.IFLT, Opcodes.IFGE, Opcodes.IFGT, Opcodes.IFLE,
            Opcodes.TABLESWITCH, Opcodes.LOOKUPSWITCH, Opcodes.IRETURN, Opcodes.LRETURN,
            Opcodes.FRETURN, Opcodes.DRETURN, Opcodes.ARETURN, Opcodes.PUTSTATIC, Opcodes.ATHROW,
            Opcodes.MONITORENTER, Opcodes.MONITOREXIT, Opcodes.IFNULL, Opcodes.IFNONNULL -> null;
        default -> new Taint(1, value.reads, -1);
      };
    }

    @Override
    public Taint binaryOperation(AbstractInsnNode insn, Taint v1, Taint v2) {
      int op = insn.getOpcode();
      if (op == Opcodes.PUTFIELD || (op >= Opcodes.IF_ICMPEQ && op <= Opcodes.IF_ACMPNE)) {
        return null;
      }
      int size = switch (op) {
        case Opcodes.LALOAD, Opcodes.DALOAD, Opcodes.LADD, Opcodes.DADD, Opcodes.LSUB, Opcodes.DSUB,
            Opcodes.LMUL, Opcodes.DMUL, Opcodes.LDIV, Opcodes.DDIV, Opcodes.LREM, Opcodes.DREM,
            Opcodes.LSHL, Opcodes.LSHR, Opcodes.LUSHR, Opcodes.LAND, Opcodes.LOR, Opcodes.LXOR -> 2;
        default -> 1;
      };
      return new Taint(size, union(List.of(v1, v2)), -1);
    }

    @Override
    public Taint ternaryOperation(AbstractInsnNode insn, Taint v1, Taint v2, Taint v3) {
      return null; // array stores
    }

    @Override
    public Taint naryOperation(AbstractInsnNode insn, List<? extends Taint> values) {
      Type ret;
      if (insn.getOpcode() == Opcodes.MULTIANEWARRAY) {
        ret = Type.getObjectType("java/lang/Object");
      } else if (insn instanceof org.objectweb.asm.tree.MethodInsnNode mi) {
        ret = Type.getReturnType(mi.desc);
      } else {
        ret = Type.getReturnType(((org.objectweb.asm.tree.InvokeDynamicInsnNode) insn).desc);
      }
      if (ret == Type.VOID_TYPE) {
        return null;
      }
      return new Taint(ret.getSize(), union(values), -1);
    }

    @Override
    public void returnOperation(AbstractInsnNode insn, Taint value, Taint expected) {}

    @Override
    public Taint merge(Taint a, Taint b) {
      if (a.equals(b)) {
        return a;
      }
      Set<FieldInsnNode> reads = a.reads;
      if (!b.reads.isEmpty() && !a.reads.containsAll(b.reads)) {
        reads = new HashSet<>(a.reads);
        reads.addAll(b.reads);
      }
      int slot = a.slot == b.slot ? a.slot : -1;
      int size = Math.min(a.size, b.size);
      if (size == a.size && slot == a.slot && reads == a.reads) {
        return a;
      }
      return new Taint(size, reads, slot);
    }
  }
}
