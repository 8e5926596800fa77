package org.ame4j.internal.agent.elision;

import org.ame4j.internal.agent.instr.analysis.Hierarchy;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.LineNumberNode;

/**
 * Finds, in a twin, the updates whose old value the program never observes, in the shapes javac
 * emits for {@code s += d} / {@code s++} on a static, {@code o.f += d} on a field and
 * {@code a[i] += d} on an {@code int[]}, {@code long[]}, {@code float[]} or {@code double[]}
 * element (and {@code -=}), and turns each into one {@code BlindAdds.add…} call: a
 * read-for-write by default (lock, read, store: no read-set entry), or, deferred, a delta the
 * engine applies at commit ({@code BlindUpdates}).
 *
 * <p>Recognised only when nothing but the addition sees the loaded value: the exact sequences
 * <pre>
 *   getstatic F;           operand; xadd|xsub; putstatic F
 *   dup; getfield F;       operand; xadd|xsub; putfield F
 *   dup2; xaload;          operand; xadd|xsub; xastore
 * </pre>
 * where the operand is straight-line code from a small set of instructions (locals, constants,
 * arithmetic, reads of <em>other</em> fields, element reads; no call, no branch target) that
 * pushes exactly one value. A postfix use
 * ({@code x = s++}) has a {@code dup} of the old value and is not matched; neither are narrow
 * types ({@code byte}/{@code short}/{@code char} add an {@code i2b}…), nor a field the method
 * also reads somewhere else (it is observed). Everything else keeps the ordinary read and write
 * barriers.
 *
 * <p><b>Element reads in the operand</b> ({@code sums[c][j] += x[j]}, k-means' accumulation):
 * the operand's own loads keep their read barriers (the main loop instruments them), so an
 * operand that aliases the target ({@code a[i] += a[i]}) is a tracked read of the element
 * followed by the read-for-write of the same element: what the unrewritten code does, in the
 * other order. The read is logged and the lock of a word newer than the snapshot extends it
 * ({@code Txn.acquire}), so the two values are one snapshot's, or the attempt aborts. Without
 * this rule every such add was a logged read of the target and then a lock: two workers adding
 * into one element aborted each other at validation (k-means on two workers, issue 14).
 * An operand that may throw gets the target's checks in front of it, so that a failing target
 * throws first, as in the program: an element's null and index checks
 * ({@code BlindAdds.checkElement}), a field holder's null check ({@link TwinSite#targetCheck},
 * a plain load whose value is dropped). A static target keeps the older order (the operand
 * first): its class is normally initialised already, with the twin's class, which resolves the
 * field's handle then ({@code DynamicConstants}).
 */
public final class BlindUpdatePatterns {
  private static final int MAX_OPERAND = 8;
  /**
   * On unless {@code -Dame4j.blindUpdates=false}. The engine applies the update eagerly as a
   * read-for-write (lock, then read and store: one barrier instead of a read barrier and a write
   * barrier); deferring it to commit ({@code -Dame4j.blindUpdates.defer=true}) cut aborts on the
   * corpus (orchestra ordered on 2 workers: ~100,000 → ~70) but not time (a generic
   * {@code VarHandle} call per update at commit), so it is an experiment.
   */
  public static final boolean DEFAULT = !"false".equals(System.getProperty("ame4j.blindUpdates"));

  /**
   * {@code -Dame4j.blindElements.held=true}: application twins hold blind element adds to commit
   * ({@code BlindAdds.addElementHeld}) instead of locking the element at the add. Off by default:
   * on one worker it costs more than it saves (k-means, issue 14 session 12: 140 against 120 ms
   * of CPU, see the agent's DESIGN-NOTES).
   */
  public static final boolean HOLD_ELEMENTS = Boolean.getBoolean("ame4j.blindElements.held");

  private final TwinSite body;

  public BlindUpdatePatterns(TwinSite body) {
    this.body = body;
  }

  /** Rewrites every match in the twin's instructions; returns how many were rewritten. */
  public int rewrite(InsnList insns) {
    countFieldReads(insns);
    int count = 0;
    for (AbstractInsnNode n : insns.toArray()) {
      if (n.getOpcode() == Opcodes.GETSTATIC && n.getNext() != null) {
        count += staticUpdate(insns, (FieldInsnNode) n) ? 1 : 0;
      } else if (n.getOpcode() == Opcodes.DUP && next(n) instanceof FieldInsnNode g
          && g.getOpcode() == Opcodes.GETFIELD) {
        count += fieldUpdate(insns, n, g) ? 1 : 0;
      } else if (n.getOpcode() == Opcodes.DUP2 && next(n) != null && isArrayLoad(next(n).getOpcode())) {
        count += elementUpdate(insns, n, next(n)) ? 1 : 0;
      }
    }
    return count;
  }

  /**
   * How often each field name is read in the method. A field the method reads elsewhere (say,
   * tested before {@code balance -= x}) is observed: deferring the update would only trade the
   * encounter-time lock (others wait) for a commit-time conflict (one of them aborts).
   */
  private final java.util.Map<String, Integer> fieldReads = new java.util.HashMap<>();

  private void countFieldReads(InsnList insns) {
    for (AbstractInsnNode n : insns) {
      if (n instanceof FieldInsnNode f && (f.getOpcode() == Opcodes.GETFIELD || f.getOpcode() == Opcodes.GETSTATIC)) {
        fieldReads.merge(f.name, 1, Integer::sum);
      }
    }
  }

  private boolean observedElsewhere(FieldInsnNode get) {
    return fieldReads.getOrDefault(get.name, 0) > 1;
  }

  private boolean staticUpdate(InsnList insns, FieldInsnNode get) {
    if (observedElsewhere(get)) {
      return false;
    }
    Match m = match(get, get.desc, get.name);
    if (m == null || !(m.store instanceof FieldInsnNode put) || put.getOpcode() != Opcodes.PUTSTATIC
        || !same(get, put)) {
      return false;
    }
    Type t = Type.getType(get.desc);
    Hierarchy.Member decl = body.context().hierarchy().resolveField(put.owner, put.name, put.desc);
    if (decl != null && BarrierElision.isStable(body.context(), decl, put)) {
      return false; // TwinBody's plain write path makes it untracked (StableFields' safety net)
    }
    InsnList call = body.blindStaticAdd(put, decl, "addStatic" + kind(t), t.getDescriptor());
    call.insert(body.marker(put, put.owner.replace('/', '.') + "." + put.name));
    finish(insns, m, call, get);
    return true;
  }

  private boolean fieldUpdate(InsnList insns, AbstractInsnNode dup, FieldInsnNode get) {
    if (observedElsewhere(get)) {
      return false;
    }
    Match m = match(get, get.desc, get.name);
    if (m == null || !(m.store instanceof FieldInsnNode put) || put.getOpcode() != Opcodes.PUTFIELD
        || !same(get, put)) {
      return false;
    }
    Hierarchy.Member decl = body.context().hierarchy().resolveField(put.owner, put.name, put.desc);
    if (decl != null && ((decl.access() & Opcodes.ACC_FINAL) != 0 || BarrierElision.isStable(body.context(), decl, put))) {
      return false;
    }
    Type t = Type.getType(get.desc);
    InsnList call = body.blindFieldAdd(put, decl, "add" + kind(t), t.getDescriptor());
    call.insert(body.marker(put, put.owner.replace('/', '.') + "." + put.name));
    if (mayThrow(get, m.arithmetic)) {
      // JLS 15.26.2: the holder's null check comes before the operand is evaluated.
      insns.insertBefore(dup, body.targetCheck(get));
    }
    insns.remove(dup);
    finish(insns, m, call, get);
    return true;
  }

  private boolean elementUpdate(InsnList insns, AbstractInsnNode dup2, AbstractInsnNode load) {
    Type t = arrayElement(load.getOpcode());
    Match m = match(load, t.getDescriptor(), null);
    if (m == null || m.store.getOpcode() != t.getOpcode(Opcodes.IASTORE)) {
      return false;
    }
    InsnList call = body.blindElementAdd(t);
    call.insert(body.marker(load, t.getClassName() + "[]"));
    if (mayThrow(load, m.arithmetic)) {
      // JLS 15.26.2: the target's null and index checks come before the operand is evaluated.
      InsnList check = new InsnList();
      check.add(body.loadTx());
      check.add(body.blindAddCall("checkElement", "[" + t.getDescriptor() + "I", "V"));
      insns.insert(dup2, check);
    } else {
      insns.remove(dup2);
    }
    finish(insns, m, call, load);
    return true;
  }

  /**
   * Whether the operand between {@code load} and {@code arithmetic} may throw (an element or field
   * read, a class initialised by a static read, an integer division): then the rewrite keeps the
   * target's checks in front of it ({@code BlindAdds.checkElement}, {@link TwinSite#targetCheck}),
   * since the add itself loads the target only after the operand.
   */
  private static boolean mayThrow(AbstractInsnNode load, AbstractInsnNode arithmetic) {
    for (AbstractInsnNode n = load.getNext(); n != arithmetic; n = n.getNext()) {
      int op = n.getOpcode();
      if ((op >= Opcodes.IALOAD && op <= Opcodes.SALOAD) || op == Opcodes.GETFIELD || op == Opcodes.GETSTATIC
          || op == Opcodes.IDIV || op == Opcodes.LDIV || op == Opcodes.IREM || op == Opcodes.LREM) {
        return true;
      }
    }
    return false;
  }

  /** Removes the load, turns a subtraction into the addition of the negation, replaces the store. */
  private static void finish(InsnList insns, Match m, InsnList call, AbstractInsnNode load) {
    insns.remove(load);
    int op = m.arithmetic.getOpcode();
    if (op >= Opcodes.ISUB && op <= Opcodes.DSUB) {
      insns.set(m.arithmetic, new InsnNode(Opcodes.INEG + (op - Opcodes.ISUB)));
    } else {
      insns.remove(m.arithmetic);
    }
    insns.insertBefore(m.store, call);
    insns.remove(m.store);
  }

  private record Match(AbstractInsnNode arithmetic, AbstractInsnNode store) {}

  /** After the load: an operand pushing one value, then the matching add/sub, then a store. */
  private Match match(AbstractInsnNode load, String desc, String fieldName) {
    Type t = Type.getType(desc);
    if (kind(t) == null) {
      return null; // boolean, byte, short, char, references: never a plain add
    }
    int add = t.getOpcode(Opcodes.IADD);
    int sub = t.getOpcode(Opcodes.ISUB);
    int depth = 0;
    int length = 0;
    for (AbstractInsnNode n = load.getNext(); n != null; n = n.getNext()) {
      if (n instanceof LineNumberNode) {
        continue;
      }
      int op = n.getOpcode();
      if (depth == 1 && length > 0 && (op == add || op == sub)) {
        AbstractInsnNode store = realNext(n);
        return store == null ? null : new Match(n, store);
      }
      if (op < 0 || ++length > MAX_OPERAND) {
        return null; // a label (branch target), a frame, or too long
      }
      int effect = operandEffect(n, fieldName);
      if (effect == Integer.MIN_VALUE) {
        return null;
      }
      depth += effect;
      if (depth < 0) {
        return null; // would consume the loaded value or what lies below it
      }
    }
    return null;
  }

  /** Stack effect in values of an allowed operand instruction, or MIN_VALUE if not allowed. */
  private static int operandEffect(AbstractInsnNode n, String fieldName) {
    int op = n.getOpcode();
    if ((op >= Opcodes.ACONST_NULL && op <= Opcodes.LDC) || (op >= Opcodes.ILOAD && op <= Opcodes.ALOAD)) {
      return 1;
    }
    if (op >= Opcodes.IALOAD && op <= Opcodes.SALOAD) {
      return -1; // tracked by its own read barrier, also when it aliases the target
    }
    if ((op >= Opcodes.IADD && op <= Opcodes.DREM) || (op >= Opcodes.ISHL && op <= Opcodes.LXOR)) {
      return -1;
    }
    if ((op >= Opcodes.INEG && op <= Opcodes.DNEG) || (op >= Opcodes.I2L && op <= Opcodes.I2S)) {
      return 0;
    }
    if (n instanceof FieldInsnNode f && !f.name.equals(fieldName)) {
      if (op == Opcodes.GETSTATIC) {
        return 1;
      }
      if (op == Opcodes.GETFIELD) {
        return 0;
      }
    }
    return Integer.MIN_VALUE;
  }

  private static AbstractInsnNode realNext(AbstractInsnNode n) {
    AbstractInsnNode x = n.getNext();
    while (x != null && x instanceof LineNumberNode) {
      x = x.getNext();
    }
    return x == null || x.getOpcode() < 0 ? null : x;
  }

  private static AbstractInsnNode next(AbstractInsnNode n) {
    AbstractInsnNode x = n.getNext();
    return x == null || x.getOpcode() < 0 ? null : x;
  }

  private static boolean same(FieldInsnNode a, FieldInsnNode b) {
    return a.owner.equals(b.owner) && a.name.equals(b.name) && a.desc.equals(b.desc);
  }

  private static boolean isArrayLoad(int op) {
    return op == Opcodes.IALOAD || op == Opcodes.LALOAD || op == Opcodes.FALOAD || op == Opcodes.DALOAD;
  }

  private static Type arrayElement(int op) {
    return switch (op) {
      case Opcodes.IALOAD -> Type.INT_TYPE;
      case Opcodes.LALOAD -> Type.LONG_TYPE;
      case Opcodes.FALOAD -> Type.FLOAT_TYPE;
      default -> Type.DOUBLE_TYPE;
    };
  }

  private static String kind(Type t) {
    return switch (t.getSort()) {
      case Type.INT -> "Int";
      case Type.LONG -> "Long";
      case Type.FLOAT -> "Float";
      case Type.DOUBLE -> "Double";
      default -> null;
    };
  }
}
