package org.ame4j.internal.agent.elision;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ame4j.internal.agent.instr.analysis.BasicBlocks;
import org.ame4j.internal.agent.instr.analysis.Frames;
import org.ame4j.internal.agent.instr.analysis.Hierarchy;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SourceInterpreter;
import org.objectweb.asm.tree.analysis.SourceValue;

/**
 * Decides, for one twin, which shared-memory accesses need no barrier, after
 * {@link BlindUpdatePatterns} and before {@code TwinBody}'s rewrite loop; the compiler-side
 * barrier optimisations of Harris, Plesko, Shinnar, Tarditi ("Optimizing memory transactions",
 * PLDI 2006) and Adl-Tabatabai et al. ("Compiler and runtime support for efficient STM", PLDI
 * 2006), restricted to what is sound with encounter-time locking and write-through.
 *
 * <ol>
 *   <li><b>Stable fields</b> ({@link StableFields}): reads of a private field written only at
 *       construction stay plain, like reads of final fields.
 *   <li><b>Locations the transaction holds</b>: after a write barrier on {@code x.f} (or
 *       {@code C.s}, or {@code a[i]}), the record stays locked by this transaction until commit
 *       or abort, so a later read of the same location in the same basic block reads our own
 *       value with a plain {@code getfield}: the read barrier would find its own lock word and
 *       return (FieldBarriers.beforeReadWord). A second write to it is plain too: its undo entry
 *       would restore the value of the first write, which the first write's entry, restored
 *       after it (newest first), overwrites anyway. That holds only within one nesting level:
 *       a nested {@code Ame.atomic} block that fails restores the undo log to its mark and
 *       nothing else, so a plain write inside it after a logged write outside it would survive
 *       the partial rollback. Nesting changes only at a call, and calls end every fact here.
 *   <li><b>Repeated reads</b>: a second read of {@code x.f} ({@code C.s}, {@code a[i]}) in the same
 *       basic block reuses the first read's value, kept in a temporary local. Re-reading memory
 *       plainly would <em>not</em> be safe: with write-through another transaction may lock and
 *       write the location between the two reads. The value read first was validated against
 *       this transaction's snapshot, so reusing it is what a read-set lookup would return.
 * </ol>
 *
 * <p>Facts are per basic block, with one extension: a block entered only by one forward jump
 * (no fall-through, no other edge: the {@code else} of a guard that returns) is dominated by the
 * jump's block and starts with the facts the jump had. Its frame then gets the types of the
 * temporaries live there that are used at all (a temporary is stored on every path that reaches
 * the frame: the only path is the jump's), so a temporary may be live at that one kind of frame.
 *
 * <p>A fact about {@code x.f} requires that {@code x} (and for elements the index, a local or a
 * constant) is the same local, not stored to since it was loaded for the first access (ASM's
 * {@link SourceInterpreter}: the operand's only source is that load), and dies at: a jump or
 * switch target, a handler or a frame (a possible merge point: facts are per basic block; the
 * labels javac puts at every line are not), any call or {@code invokedynamic}
 * (monitors, the blind-update barriers and every barrier the loop adds for calls are calls),
 * a store to a local it mentions, and, for a cached value, any write of a field of the same name
 * (another reference may alias {@code x}) or any array store (arrays may alias). Facts about held
 * locations survive aliasing writes: memory then holds another write of ours. Field facts match
 * by exact owner, name and descriptor (a field hidden in a subclass is another field).
 *
 * <p>Temporaries live from {@link TwinSite#firstTemp} up, above the slots the write barriers and
 * call spills use between two accesses of a fact (spills happen at calls, which end every fact),
 * and never across an entry label except as described above.
 * Constructors are left to the fresh-{@code this} analysis (stable reads only).
 *
 * <p>On unless {@code -Dame4j.barrierElision=false}.
 */
public final class BarrierElision {
  public static final boolean DEFAULT = !"false".equals(System.getProperty("ame4j.barrierElision"));
  public static final int MAX_TEMP_SLOTS = 32;
  /**
   * Barrier sites removed so far in this JVM, by reason: stable reads, reads of held locations,
   * re-writes of held locations, reused reads. Transform-time bookkeeping for measurements
   * ({@code BarrierCount}); the rewritten code never touches it.
   */
  public static final java.util.concurrent.atomic.AtomicLongArray ELIDED = new java.util.concurrent.atomic.AtomicLongArray(4);
  /** Methods this long are not analysed (the analysis is O(size × frame)). */
  private static final int MAX_INSNS = 20_000;

  private final TwinSite body;
  private final Set<AbstractInsnNode> thisAccesses;
  private final Set<AbstractInsnNode> plain = new HashSet<>();

  /** What a block knows about one location. */
  private static final class Fact {
    final boolean held;
    final int slot; // temporary holding the value, when !held
    final Type type;
    final int[] locals; // locals the key mentions
    final Capture capture; // the read that fills the temporary, when !held

    Fact(boolean held, int slot, Type type, int[] locals, Capture capture) {
      this.held = held;
      this.slot = slot;
      this.type = type;
      this.locals = locals;
      this.capture = capture;
    }
  }

  private record Key(String text, int[] locals) {}

  private static final class Capture {
    final AbstractInsnNode read;
    final int slot;
    final Type type;
    boolean used;

    Capture(AbstractInsnNode read, int slot, Type type) {
      this.read = read;
      this.slot = slot;
      this.type = type;
    }
  }

  private record Reuse(AbstractInsnNode read, int slot, Type type) {}

  /** The facts at a jump, for the block it alone enters. */
  private record Snapshot(Map<String, Fact> facts, int nextSlot) {}

  private record FrameTemp(FrameNode frame, Fact fact) {}

  private final List<FrameTemp> frameTemps = new ArrayList<>();

  /** Temporaries to append to frames, by frame: slot, then verification type. */
  private final Map<FrameNode, java.util.TreeMap<Integer, Object>> frameLocals = new HashMap<>();

  /**
   * The frame {@code f} (the Txn local already appended) with the temporaries that are live at
   * it; {@code TwinBody} calls this for every frame of the twin.
   */
  public java.util.List<Object> withTemporaries(FrameNode f, List<Object> locals) {
    java.util.TreeMap<Integer, Object> extra = frameLocals.get(f);
    if (extra == null) {
      return locals;
    }
    List<Object> out = locals;
    for (Map.Entry<Integer, Object> e : extra.entrySet()) {
      out = Frames.withLocal(out, e.getKey(), e.getValue(), body.original().name);
    }
    return out;
  }

  public BarrierElision(TwinSite body, Set<AbstractInsnNode> thisAccesses) {
    this.body = body;
    this.thisAccesses = thisAccesses;
  }

  /**
   * Rewrites repeated reads to reuse temporaries and returns the field and array instructions the
   * rewrite loop must leave as they are (no barrier).
   */
  public Set<AbstractInsnNode> apply(InsnList insns) {
    if (!body.context().elide()) {
      return plain;
    }
    for (AbstractInsnNode n : insns) {
      if (n instanceof FieldInsnNode fi && (fi.getOpcode() == Opcodes.GETFIELD || fi.getOpcode() == Opcodes.GETSTATIC)
          && !thisAccesses.contains(fi) && isStableRead(fi)) {
        plain.add(fi);
        ELIDED.incrementAndGet(0);
      }
    }
    if (!body.original().name.equals("<init>") && insns.size() <= MAX_INSNS && worthAnalysing(insns)) {
      try {
        blocks(insns);
      } catch (AnalyzerException e) {
        // no block facts: every remaining access keeps its barrier
      }
    }
    return plain;
  }

  private boolean isStableRead(FieldInsnNode fi) {
    Hierarchy.Member decl = body.context().hierarchy().resolveField(fi.owner, fi.name, fi.desc);
    return decl != null && isStable(body.context(), decl, fi);
  }

  /** True if the field {@code fi} resolves to ({@code decl}) is stable ({@link StableFields}). */
  public static boolean isStable(ClassFacts ctx, Hierarchy.Member decl, FieldInsnNode fi) {
    return ctx.elide() && StableFields.isCandidate(decl.access())
        && ctx.stable().isStable(decl.owner(), decl.access(), fi.name, fi.desc, ctx.cn().name, ctx.classfile());
  }

  /** Some field name or element kind is accessed twice: else no block fact can ever be used. */
  private static boolean worthAnalysing(InsnList insns) {
    Set<String> seen = new HashSet<>();
    for (AbstractInsnNode n : insns) {
      String k = n instanceof FieldInsnNode fi ? fi.name
          : isArrayLoad(n.getOpcode()) || isArrayStore(n.getOpcode()) ? "[]" : null;
      if (k != null && !seen.add(k)) {
        return true;
      }
    }
    return false;
  }

  private void blocks(InsnList insns) throws AnalyzerException {
    MethodNode twin = body.twin();
    int maxLocals = twin.maxLocals;
    int maxStack = twin.maxStack;
    // The twin's body still uses the original's slots, plus the Txn and write temporaries that
    // BlindUpdatePatterns' barriers load and store; its descriptor has one more parameter.
    twin.maxLocals = body.original().maxLocals + 4;
    twin.maxStack = body.original().maxStack + 8;
    Frame<SourceValue>[] frames;
    try {
      frames = new Analyzer<>(new SourceInterpreter()).analyze(body.context().cn().name, twin);
    } finally {
      twin.maxLocals = maxLocals;
      twin.maxStack = maxStack;
    }
    AbstractInsnNode[] code = insns.toArray();
    Set<LabelNode> entries = BasicBlocks.entries(twin);
    Set<LabelNode> inheriting = BasicBlocks.onlyForwardJumpedTo(twin, code);
    Map<LabelNode, Snapshot> pending = new HashMap<>();
    Snapshot entered = null;
    Map<String, Fact> facts = new HashMap<>();
    List<Capture> captures = new ArrayList<>();
    List<Reuse> reuses = new ArrayList<>();
    Map<Integer, Integer> lastStore = new HashMap<>();
    int blockStart = 0;
    int nextSlot = body.firstTemp();
    for (int i = 0; i < code.length; i++) {
      AbstractInsnNode n = code[i];
      Frame<SourceValue> f = frames[i];
      int op = n.getOpcode();
      if (n instanceof LabelNode l && entries.contains(l)) {
        entered = pending.remove(l); // set only for a label reached by one forward jump alone
        facts = entered != null ? new HashMap<>(entered.facts) : new HashMap<>();
        nextSlot = entered != null ? entered.nextSlot : body.firstTemp();
        blockStart = i + 1;
        continue;
      }
      if (n instanceof FrameNode fn && entered != null) {
        // The frame of a block entered from one jump only: the temporaries live there are typed
        // in it (if their value is used at all, see below), so the verifier lets them through.
        for (Fact k : facts.values()) {
          if (!k.held) {
            frameTemps.add(new FrameTemp(fn, k));
          }
        }
        entered = null;
        continue;
      }
      if (n instanceof FrameNode || f == null) {
        facts.clear();
        entered = null;
        blockStart = i + 1;
        nextSlot = body.firstTemp();
        continue;
      }
      if (op >= 0) {
        entered = null; // the entered block's frame, if any, precedes its first instruction
      }
      if (n instanceof JumpInsnNode j) {
        if (inheriting.contains(j.label)) {
          Map<String, Fact> carried = new HashMap<>(facts);
          // An aaload's value has the array's element type, which only a typed analysis knows:
          // such a temporary cannot be typed in the target's frame, so it stays behind.
          carried.values().removeIf(k -> !k.held && k.capture.read.getOpcode() == Opcodes.AALOAD);
          pending.put(j.label, new Snapshot(carried, nextSlot));
        }
        if (op == Opcodes.GOTO) {
          facts.clear();
        }
        continue;
      }
      if (n instanceof LineNumberNode || n instanceof LabelNode) {
        continue; // a label only fallen through (line numbers, try ranges)
      }
      if (n instanceof VarInsnNode v && op >= Opcodes.ISTORE && op <= Opcodes.ASTORE) {
        int size = op == Opcodes.LSTORE || op == Opcodes.DSTORE ? 2 : 1;
        for (int s = v.var; s < v.var + size; s++) {
          lastStore.put(s, i);
          kill(facts, s);
        }
        continue;
      }
      if (n instanceof IincInsnNode inc) {
        lastStore.put(inc.var, i);
        kill(facts, inc.var);
        continue;
      }
      if (n instanceof LdcInsnNode ldc && ldc.cst instanceof ConstantDynamic) {
        facts.clear(); // its bootstrap method may run here
        continue;
      }
      if (isBarrierFree(op)) {
        continue;
      }
      Key key;
      Type type;
      switch (op) {
        case Opcodes.GETFIELD, Opcodes.PUTFIELD, Opcodes.GETSTATIC, Opcodes.PUTSTATIC -> {
          FieldInsnNode fi = (FieldInsnNode) n;
          if (op == Opcodes.PUTFIELD || op == Opcodes.PUTSTATIC) {
            killCachedNamed(facts, "." + fi.name + ":");
          }
          if (thisAccesses.contains(fi) || plain.contains(fi) || isFinal(fi)) {
            continue; // already barrier-free
          }
          if ((op == Opcodes.PUTFIELD || op == Opcodes.PUTSTATIC) && isStableWrite(fi)) {
            facts.clear(); // TwinBody makes it untracked first (StableFields' safety net)
            continue;
          }
          type = Type.getType(fi.desc);
          String field = fi.owner + "." + fi.name + ":" + fi.desc;
          if (op == Opcodes.GETSTATIC || op == Opcodes.PUTSTATIC) {
            key = new Key("S " + field, new int[0]);
          } else {
            int local = sameLocal(frames, f.getStack(f.getStackSize() - (op == Opcodes.GETFIELD ? 1 : 2)), code, blockStart, lastStore);
            key = local < 0 ? null : new Key("F " + local + " " + field, new int[] {local});
          }
        }
        default -> {
          if (isArrayStore(op)) {
            facts.entrySet().removeIf(e -> !e.getValue().held && e.getKey().startsWith("[ "));
          }
          if (!isArrayLoad(op) && !isArrayStore(op)) {
            facts.clear(); // a call, indy, monitor or anything else we do not model
            continue;
          }
          type = elementType(op);
          int depth = isArrayStore(op) ? 3 : 2;
          int array = sameLocal(frames, f.getStack(f.getStackSize() - depth), code, blockStart, lastStore);
          String index = indexKey(f.getStack(f.getStackSize() - depth + 1), code, blockStart, lastStore);
          key = array < 0 || index == null ? null
              : new Key("[ " + kindOf(op) + " " + array + " " + index, indexLocals(array, index));
        }
      }
      if (key == null) {
        continue;
      }
      Fact known = facts.get(key.text());
      boolean read = op == Opcodes.GETFIELD || op == Opcodes.GETSTATIC || isArrayLoad(op);
      if (read) {
        if (known != null && known.held) {
          plain.add(n); // our own locked value
          ELIDED.incrementAndGet(1);
        } else if (known != null) {
          known.capture.used = true;
          reuses.add(new Reuse(n, known.slot, known.type));
          ELIDED.incrementAndGet(3);
        } else if (nextSlot + type.getSize() <= body.firstTemp() + MAX_TEMP_SLOTS) {
          Capture c = new Capture(n, nextSlot, type);
          captures.add(c);
          facts.put(key.text(), new Fact(false, nextSlot, type, key.locals(), c));
          nextSlot += type.getSize();
        }
      } else {
        if (known != null && known.held) {
          plain.add(n); // same lock, same nesting level: the first write's undo entry suffices
          ELIDED.incrementAndGet(2);
        }
        facts.put(key.text(), new Fact(true, -1, type, key.locals(), null));
      }
    }
    for (FrameTemp t : frameTemps) {
      if (t.fact().capture.used) {
        frameLocals.computeIfAbsent(t.frame(), k -> new java.util.TreeMap<>())
            .put(t.fact().slot, Frames.type(t.fact().type));
      }
    }
    InsnList insnsOut = insns;
    for (Capture c : captures) {
      if (!c.used) {
        continue;
      }
      InsnList l = new InsnList();
      l.add(new InsnNode(c.type.getSize() == 2 ? Opcodes.DUP2 : Opcodes.DUP));
      l.add(new VarInsnNode(c.type.getOpcode(Opcodes.ISTORE), c.slot));
      insnsOut.insert(c.read, l);
    }
    for (Reuse r : reuses) {
      InsnList l = new InsnList();
      int op = r.read().getOpcode();
      if (op == Opcodes.GETFIELD) {
        l.add(new InsnNode(Opcodes.POP));
      } else if (op != Opcodes.GETSTATIC) {
        l.add(new InsnNode(Opcodes.POP2)); // array and index
      }
      l.add(new VarInsnNode(r.type().getOpcode(Opcodes.ILOAD), r.slot()));
      insnsOut.insertBefore(r.read(), l);
      insnsOut.remove(r.read());
    }
  }

  private boolean isFinal(FieldInsnNode fi) {
    Hierarchy.Member decl = body.context().hierarchy().resolveField(fi.owner, fi.name, fi.desc);
    return decl != null && (decl.access() & Opcodes.ACC_FINAL) != 0;
  }

  private boolean isStableWrite(FieldInsnNode fi) {
    Hierarchy.Member decl = body.context().hierarchy().resolveField(fi.owner, fi.name, fi.desc);
    return decl != null && isStable(body.context(), decl, fi);
  }

  /**
   * The local whose load is the only source of {@code v} (through {@code dup}s), if that load is
   * in this block and the local was not stored to since; else -1.
   */
  private static int sameLocal(Frame<SourceValue>[] frames, SourceValue v, AbstractInsnNode[] code,
      int blockStart, Map<Integer, Integer> lastStore) {
    for (int hops = 0; v.insns.size() == 1 && v.insns.iterator().next().getOpcode() == Opcodes.DUP && hops < 4; hops++) {
      int at = indexOf(code, v.insns.iterator().next(), blockStart);
      if (at < 0 || frames[at] == null) {
        return -1;
      }
      v = frames[at].getStack(frames[at].getStackSize() - 1);
    }
    if (v.insns.size() != 1 || !(v.insns.iterator().next() instanceof VarInsnNode load)
        || load.getOpcode() != Opcodes.ALOAD) {
      return -1;
    }
    int at = indexOf(code, load, blockStart);
    if (at < 0 || lastStore.getOrDefault(load.var, -1) > at) {
      return -1;
    }
    return load.var;
  }

  /** {@code "l<slot>"} for an index loaded from an int local, {@code "c<value>"} for a constant. */
  private static String indexKey(SourceValue v, AbstractInsnNode[] code, int blockStart,
      Map<Integer, Integer> lastStore) {
    if (v.insns.size() != 1) {
      return null;
    }
    AbstractInsnNode src = v.insns.iterator().next();
    int op = src.getOpcode();
    if (op >= Opcodes.ICONST_M1 && op <= Opcodes.ICONST_5) {
      return "c" + (op - Opcodes.ICONST_0);
    }
    if (src instanceof IntInsnNode in && (op == Opcodes.BIPUSH || op == Opcodes.SIPUSH)) {
      return "c" + in.operand;
    }
    if (src instanceof LdcInsnNode ldc && ldc.cst instanceof Integer c) {
      return "c" + c;
    }
    if (src instanceof VarInsnNode load && op == Opcodes.ILOAD) {
      int at = indexOf(code, load, blockStart);
      if (at >= 0 && lastStore.getOrDefault(load.var, -1) < at) {
        return "l" + load.var;
      }
    }
    return null;
  }

  private static int[] indexLocals(int array, String index) {
    return index.startsWith("l") ? new int[] {array, Integer.parseInt(index.substring(1))} : new int[] {array};
  }

  /** Position of {@code n} in {@code code} at or after {@code from}, or -1 (not in this block). */
  private static int indexOf(AbstractInsnNode[] code, AbstractInsnNode n, int from) {
    for (int i = code.length - 1; i >= from; i--) {
      if (code[i] == n) {
        return i;
      }
    }
    return -1;
  }

  private static void kill(Map<String, Fact> facts, int local) {
    for (Iterator<Fact> it = facts.values().iterator(); it.hasNext(); ) {
      for (int l : it.next().locals) {
        if (l == local) {
          it.remove();
          break;
        }
      }
    }
  }

  /** Forgets cached (not held) values whose key contains {@code part}. */
  private static void killCachedNamed(Map<String, Fact> facts, String part) {
    facts.entrySet().removeIf(e -> !e.getValue().held && e.getKey().contains(part));
  }

  /** Instructions that touch no shared memory and call nothing (stack, locals, arithmetic…). */
  private static boolean isBarrierFree(int op) {
    return (op >= Opcodes.NOP && op <= Opcodes.ALOAD)
        || (op >= Opcodes.POP && op <= Opcodes.LXOR)
        || (op >= Opcodes.I2L && op <= Opcodes.IF_ACMPNE)
        || op == Opcodes.NEW || op == Opcodes.ARRAYLENGTH || op == Opcodes.CHECKCAST
        || op == Opcodes.INSTANCEOF || op == Opcodes.IFNULL || op == Opcodes.IFNONNULL;
  }

  static boolean isArrayLoad(int op) {
    return op >= Opcodes.IALOAD && op <= Opcodes.SALOAD;
  }

  static boolean isArrayStore(int op) {
    return op >= Opcodes.IASTORE && op <= Opcodes.SASTORE;
  }

  private static int kindOf(int op) {
    return isArrayLoad(op) ? op - Opcodes.IALOAD : op - Opcodes.IASTORE;
  }

  private static Type elementType(int op) {
    return switch (kindOf(op)) {
      case 0 -> Type.INT_TYPE;
      case 1 -> Type.LONG_TYPE;
      case 2 -> Type.FLOAT_TYPE;
      case 3 -> Type.DOUBLE_TYPE;
      case 4 -> Type.getType(Object.class);
      case 5 -> Type.BYTE_TYPE; // byte or boolean: both are int on the stack
      case 6 -> Type.CHAR_TYPE;
      default -> Type.SHORT_TYPE;
    };
  }
}
