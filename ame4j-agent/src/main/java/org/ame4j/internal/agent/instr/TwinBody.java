package org.ame4j.internal.agent.instr;

import static org.ame4j.internal.agent.instr.RuntimeContract.BLIND_ADDS;
import static org.ame4j.internal.agent.instr.RuntimeContract.BORN_ARRAY_WRITES;
import static org.ame4j.internal.agent.instr.RuntimeContract.ELEMENT_SITES;
import static org.ame4j.internal.agent.instr.RuntimeContract.FIELD_BARRIERS;
import static org.ame4j.internal.agent.instr.RuntimeContract.FIELD_WRITES;
import static org.ame4j.internal.agent.instr.RuntimeContract.RECORD_BARRIERS;
import static org.ame4j.internal.agent.instr.RuntimeContract.SITE_BARRIERS;

import java.util.List;
import java.util.Set;
import org.ame4j.internal.agent.elision.BarrierElision;
import org.ame4j.internal.agent.elision.BlindUpdatePatterns;
import org.ame4j.internal.agent.elision.ReadForWrite;
import org.ame4j.internal.agent.elision.SwitchMaps;
import org.ame4j.internal.agent.elision.TwinSite;
import org.ame4j.internal.agent.instr.analysis.Frames;
import org.ame4j.internal.agent.instr.analysis.Hierarchy;
import org.ame4j.internal.diag.Sites;
import org.ame4j.internal.engine.JdkWords;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.MultiANewArrayInsnNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Rewrites the instructions of one twin (a copy of an original body) in place: every shared
 * memory access goes through the engine's barriers, calls go to twins or through
 * {@link TwinCalls}' policy, monitors are elided, and fresh arrays are recorded as captured.
 * Adds no branch, so the original frames stay valid once the {@code Txn} local is appended to
 * each of them (see {@link TwinTransformer}, "Frames").
 *
 * <p>{@link BarrierElision} runs after {@link BlindUpdatePatterns} and before the loop: the
 * accesses it returns stay plain, and it has already replaced repeated reads by temporaries.
 *
 * <p>For a twin constructor, {@code thisAccesses} are the field instructions whose object is the
 * constructor's own {@code this} (fresh, so they need no barrier; before the super call they
 * could not take one), and {@code superInit} is the {@code super(…)}/{@code this(…)} call.
 */
public final class TwinBody implements TwinSite {
  static final String TXN_DESC = TwinTransformer.TXN_DESC;
  static final String VH = "Ljava/lang/invoke/VarHandle;";
  private static final String RECORD_DESC = "Ljava/lang/Object;";
  static final String DIAGNOSTICS = "org/ame4j/internal/engine/Diagnostics";
  /**
   * A hoisted-check element read with its site marker folded in (report on): {@code [array, i,
   * checked, tx, id] -> [checked']}, the site stored only when {@code array != checked}.
   */
  static final String SITED_READ = "beforeReadElementAt";
  static final String SITED_READ_DESC = "(Ljava/lang/Object;ILjava/lang/Object;" + TXN_DESC + "I)Ljava/lang/Object;";
  private static final String LOOKUP = "Ljava/lang/invoke/MethodHandles$Lookup;";
  static final Handle FIELD_VH = new Handle(Opcodes.H_INVOKESTATIC,
      "java/lang/invoke/ConstantBootstraps", "fieldVarHandle",
      "(" + LOOKUP + "Ljava/lang/String;Ljava/lang/Class;Ljava/lang/Class;Ljava/lang/Class;)" + VH, false);
  static final Handle STATIC_FIELD_VH = new Handle(Opcodes.H_INVOKESTATIC,
      "java/lang/invoke/ConstantBootstraps", "staticFieldVarHandle",
      "(" + LOOKUP + "Ljava/lang/String;Ljava/lang/Class;Ljava/lang/Class;Ljava/lang/Class;)" + VH, false);
  private static final Handle PRIMITIVE_CLASS = new Handle(Opcodes.H_INVOKESTATIC,
      "java/lang/invoke/ConstantBootstraps", "primitiveClass",
      "(" + LOOKUP + "Ljava/lang/String;Ljava/lang/Class;)Ljava/lang/Class;", false);
  private static final Handle STATIC_HOLDER = new Handle(Opcodes.H_INVOKESTATIC,
      TwinTransformer.RUNTIME, "staticFieldHolder",
      "(" + LOOKUP + "Ljava/lang/String;Ljava/lang/Class;Ljava/lang/Class;)Ljava/lang/Class;", false);

  public final ClassContext ctx;
  public final MethodNode original;
  public final MethodNode twin;
  /** The slot holding the transaction: the first one the original body never uses. */
  final int tx;
  /**
   * First slot for straight-line temporaries (never live at a frame; from {@code tmp + SCRATCH}
   * up, {@link BarrierElision}'s, which types the ones it keeps across a jump in that jump's
   * target frame).
   */
  public final int tmp;
  /**
   * Slots from {@link #tmp} that one barrier uses and leaves dead: a written value (two for a wide
   * one), or a read's holder and its word (1 + 2).
   */
  public static final int SCRATCH = 3;
  private final Set<AbstractInsnNode> thisAccesses;
  /**
   * Field and array instructions this class emitted between barriers of its own (the per-site
   * blind updates): the main loop leaves them as they are.
   */
  private final Set<AbstractInsnNode> guarded = new java.util.HashSet<>();
  /** The per-site compound adds, for their hoisted born checks. */
  private final HoistedAdds adds = new HoistedAdds();
  private final AbstractInsnNode superInit;
  private final TwinCalls calls;
  /** The reads that open their holder for writing ({@link ReadForWrite}). */
  private Set<AbstractInsnNode> readsForWrite = Set.of();
  int line = -1;

  TwinBody(ClassContext ctx, MethodNode original, MethodNode twin,
      Set<AbstractInsnNode> thisAccesses, AbstractInsnNode superInit) {
    this.ctx = ctx;
    this.original = original;
    this.twin = twin;
    this.tx = original.maxLocals;
    this.tmp = original.maxLocals + 1;
    this.thisAccesses = thisAccesses;
    this.superInit = superInit;
    this.calls = new TwinCalls(this);
  }

  void rewrite() {
    boolean isStatic = (original.access & Opcodes.ACC_STATIC) != 0;
    int argSlots = (Type.getArgumentsAndReturnSizes(original.desc) >> 2) - (isStatic ? 1 : 0);
    InsnList insns = twin.instructions;
    readsForWrite = readsForWrite(insns);
    Set<AbstractInsnNode> switchMapLoads = switchMapLoads(insns);
    if (ctx.blindUpdates() && !original.name.equals("<init>")) {
      new BlindUpdatePatterns(this).rewrite(insns); // before the loop: it leaves no raw access
    }
    BarrierElision elision = new BarrierElision(this, thisAccesses);
    Set<AbstractInsnNode> plain = elision.apply(insns);
    plain.addAll(switchMapLoads); // javac's switch maps: final values (SwitchMaps)
    int firstHoisted = tmp + SCRATCH + BarrierElision.MAX_TEMP_SLOTS;
    OwnedArraySites owned = OwnedArraySites.plan(this, insns, plain, firstHoisted);
    HoistedChecks hoisted = new HoistedChecks(insns, plain, firstHoisted,
        HoistedChecks.DEFAULT, HoistedChecks.STORES, owned.sites);
    adds.apply(insns, hoisted); // the adds' stores are guarded: their locals are theirs
    for (AbstractInsnNode n : insns.toArray()) {
      if (n instanceof LineNumberNode ln) {
        line = ln.line;
      } else if (n instanceof FrameNode f) {
        f.local = hoisted.withLocals(
            elision.withTemporaries(f, Frames.withLocal(f.local, tx, ctx.txLocalType(), original.name)),
            original.name);
      } else if (n instanceof FieldInsnNode fi) {
        seedOwnedArrays(insns, fi, owned, hoisted);
        if (owned.staleStores.contains(fi)) {
          // A store the nest analysis did not see (a hidden nestmate, bytes changed by another
          // agent): serial, as a reflective write, so no attempt trusts the field (OwnedArrays).
          insns.insertBefore(fi, calls.untracked(fi.owner + "." + fi.name + " (non-fresh store to a fresh-array field)"));
        }
        if (!thisAccesses.contains(fi) && !plain.contains(fi) && !guarded.contains(fi)) {
          field(insns, fi);
        }
      } else if (n instanceof MethodInsnNode mi) {
        if (mi == superInit) {
          superInit(insns, mi);
        } else {
          if (!ctx.instrumentable().test(mi.owner) && !mi.owner.startsWith("org/ame4j/internal/")) {
            // A call into the JDK or ame4j's API: its accesses happen in the callee, named by the call.
            insns.insertBefore(mi, marker(mi, mi.owner.replace('/', '.') + "." + mi.name + "()"));
          }
          calls.call(insns, mi);
        }
      } else if (n instanceof InvokeDynamicInsnNode indy) {
        calls.invokeDynamic(insns, indy);
      } else {
        int op = n.getOpcode();
        if (plain.contains(n) || guarded.contains(n)) {
          continue; // BarrierElision: a location this transaction holds; or our own store
        } else if (op >= Opcodes.IALOAD && op <= Opcodes.SALOAD) {
          arrayLoad(insns, n, hoisted.slotOf(n), arrayType(op - Opcodes.IALOAD));
        } else if (op >= Opcodes.IASTORE && op <= Opcodes.SASTORE) {
          insns.insertBefore(n, marker(n, arrayType(op - Opcodes.IASTORE)));
          arrayStore(insns, n, hoisted.slotOf(n));
        } else if (n instanceof MultiANewArrayInsnNode m && m.dims > 1) {
          insns.insert(n, allocatedArrays(m.dims));
        } else if (op == Opcodes.NEWARRAY || op == Opcodes.ANEWARRAY || op == Opcodes.MULTIANEWARRAY) {
          insns.insert(n, allocated());
        } else if (op == Opcodes.MONITORENTER || op == Opcodes.MONITOREXIT) {
          insns.set(n, new MethodInsnNode(Opcodes.INVOKESTATIC, TwinTransformer.RUNTIME, "monitor",
              "(Ljava/lang/Object;)V", false));
        }
      }
    }
    if (ctx.siteMarkers()) {
      RepeatedMarkers.drop(insns, tx);
    }
    InsnList head = takeTx(argSlots);
    head.add(hoisted.init());
    if ((EntryPrefetch.DEFAULT || EntryPrefetch.GROUPS) && ctx.target().namesTxn()) {
      List<EntryPrefetch.Pair> pairs = EntryPrefetch.pairs(ctx.cn().name, original);
      if (EntryPrefetch.GROUPS) { // first: the entry loads then find the group's words
        head.add(EntryPrefetch.group(ctx.cn().name, pairs, tx));
      }
      if (EntryPrefetch.DEFAULT) {
        head.add(EntryPrefetch.prologue(ctx.cn().name, pairs, tx));
      }
    }
    insns.insert(head);
  }

  /**
   * The twin's reads for write ({@link ReadForWrite}), found in the original (which the analyzer
   * can type: the twin's descriptor has one more parameter) and mapped to the twin's copies,
   * which are still in the original's order here.
   */
  private Set<AbstractInsnNode> readsForWrite(InsnList insns) {
    Set<AbstractInsnNode> found = ReadForWrite.reads(ctx.cn().name, original);
    if (found.isEmpty() || insns.size() != original.instructions.size()) {
      return Set.of();
    }
    Set<AbstractInsnNode> copies = new java.util.HashSet<>();
    for (AbstractInsnNode n : found) {
      copies.add(insns.get(original.instructions.indexOf(n)));
    }
    return copies;
  }

  /**
   * The twin's element loads of javac's enum switch maps ({@link SwitchMaps}), found in the
   * original and mapped to the twin's copies as {@link #readsForWrite} does; application twins only.
   */
  private Set<AbstractInsnNode> switchMapLoads(InsnList insns) {
    if (!SwitchMaps.DEFAULT || !ctx.target().namesTxn() || !SwitchMaps.mentions(original)
        || insns.size() != original.instructions.size()) {
      return Set.of();
    }
    Set<AbstractInsnNode> found = new SwitchMaps(ctx.stable(), ctx.cn().name, ctx.classfile())
        .loads(ctx.cn().name, original, ctx.hierarchy());
    Set<AbstractInsnNode> copies = new java.util.HashSet<>();
    for (AbstractInsnNode n : found) {
      copies.add(insns.get(original.instructions.indexOf(n)));
    }
    return copies;
  }

  /**
   * A {@code getfield} of a fresh-array field whose value reaches element sites with a hoisted
   * check ({@link OwnedArraySites}): hands the array to their locals when its object is born owned.
   * Inserted before the field's own barrier, which then goes between the copy and the hand-over.
   */
  private void seedOwnedArrays(InsnList insns, FieldInsnNode fi, OwnedArraySites owned, HoistedChecks hoisted) {
    java.util.List<AbstractInsnNode> sites = owned.seeds.get(fi);
    if (sites == null) {
      return;
    }
    java.util.List<Integer> slots = new java.util.ArrayList<>();
    for (AbstractInsnNode site : sites) {
      int slot = hoisted.slotOf(site);
      if (slot >= 0 && !slots.contains(slot)) {
        slots.add(slot);
      }
    }
    if (!slots.isEmpty()) {
      OwnedArraySites.seed(insns, fi, slots, loadTx(), RecordFields.rootFor(fi.owner, ctx) != null);
    }
  }

  /**
   * The twin's first instructions: the transaction, passed in slot {@code argSlots}, moves to
   * slot {@link #tx} (typed {@code Txn}: a method twin receives it as {@code Object}, see
   * {@link TwinTransformer#twinDesc}; one {@code checkcast} of a final class per call).
   */
  private InsnList takeTx(int argSlots) {
    InsnList head = new InsnList();
    head.add(new VarInsnNode(Opcodes.ALOAD, argSlots));
    if (!original.name.equals("<init>") && ctx.target().namesTxn()) {
      head.add(new TypeInsnNode(Opcodes.CHECKCAST, TwinTransformer.TXN));
    }
    head.add(new VarInsnNode(Opcodes.ASTORE, tx));
    return head;
  }

  /**
   * The twin of a method whose barriers would take it past the JVM's 64 KB code limit: the
   * original body unchanged (frames get the Txn slot as in {@link #rewrite}), after a call that
   * makes the transaction inevitable. Its calls reach the callees' originals, whose prologues
   * dispatch to their twins; a constructor's object is not recorded as fresh (tracked as shared).
   */
  void rewriteWithoutBarriers() {
    boolean isStatic = (original.access & Opcodes.ACC_STATIC) != 0;
    int argSlots = (Type.getArgumentsAndReturnSizes(original.desc) >> 2) - (isStatic ? 1 : 0);
    InsnList insns = twin.instructions;
    for (AbstractInsnNode n : insns.toArray()) {
      if (n instanceof FrameNode f) {
        f.local = Frames.withLocal(f.local, tx, ctx.txLocalType(), original.name);
      } else if (n instanceof LineNumberNode ln && line < 0) {
        line = ln.line;
      }
    }
    InsnList head = takeTx(argSlots);
    head.add(calls.untracked("itself (twin without barriers: method too large)"));
    insns.insert(head);
  }

  /**
   * The conflict report's site marker for the access or call {@code at} ({@code what} it
   * touches): {@code aload tx; ldc id; invokestatic Diagnostics.at(Txn,int)}, the id naming this
   * class, method and source line in the site table. Empty unless the report is on and the class
   * is instrumented at load time ({@link ClassContext#siteMarkers}): ids are valid in this JVM only.
   */
  @Override
  public InsnList marker(AbstractInsnNode at, String what) {
    InsnList l = new InsnList();
    if (ctx.siteMarkers()) {
      l.add(loadTx());
      l.add(new LdcInsnNode(siteId(at, what)));
      l.add(new MethodInsnNode(Opcodes.INVOKESTATIC, DIAGNOSTICS, "at", "(" + TXN_DESC + "I)V", false));
    }
    return l;
  }

  /** The site table's id of the access or call {@code at} (markers on only: {@link #marker}). */
  private int siteId(AbstractInsnNode at, String what) {
    return Sites.register(ctx.cn().name.replace('/', '.'), original.name, ctx.cn().sourceFile, lineOf(at), what);
  }

  /** The source line of {@code n}: the nearest line-number entry before it, or -1. */
  private static int lineOf(AbstractInsnNode n) {
    for (AbstractInsnNode p = n; p != null; p = p.getPrevious()) {
      if (p instanceof LineNumberNode ln) {
        return ln.line;
      }
    }
    return -1;
  }

  /** {@code int[]} for the element type of the {@code xaload}/{@code xastore} at offset {@code k} from IALOAD/IASTORE. */
  public static String arrayType(int k) {
    return new String[] {"int[]", "long[]", "float[]", "double[]", "Object[]", "byte[]", "char[]", "short[]"}[k];
  }

  public AbstractInsnNode loadTx() {
    return new VarInsnNode(Opcodes.ALOAD, tx);
  }

  /** A call to barrier {@code owner.name} (an owner named in {@link RuntimeContract}). */
  static MethodInsnNode barrier(String owner, String name, String desc) {
    return new MethodInsnNode(Opcodes.INVOKESTATIC, owner, name, desc, false);
  }

  /** {@code [o] -> [o]}, recording {@code o} as allocated by this transaction. */
  private InsnList allocated() {
    InsnList l = new InsnList();
    l.add(new InsnNode(Opcodes.DUP));
    l.add(loadTx());
    l.add(barrier(FIELD_BARRIERS, "allocated", "(Ljava/lang/Object;" + TXN_DESC + ")V"));
    return l;
  }

  /**
   * {@code [a] -> [a]}, recording the array a {@code multianewarray} of {@code dims} dimensions
   * made and the arrays it holds down to them (all allocated by the instruction).
   */
  private InsnList allocatedArrays(int dims) {
    InsnList l = new InsnList();
    l.add(new InsnNode(Opcodes.DUP));
    l.add(new LdcInsnNode(dims));
    l.add(loadTx());
    l.add(barrier(FIELD_BARRIERS, "allocatedArrays", "(Ljava/lang/Object;I" + TXN_DESC + ")V"));
    return l;
  }

  /**
   * The constructor's {@code super(…)}/{@code this(…)} call: to the callee's twin constructor
   * when it has one (which records the object as fresh itself), else as is followed by recording
   * {@code this} as fresh: every later access to it, in any twin, skips the barriers.
   */
  private void superInit(InsnList insns, MethodInsnNode mi) {
    if (ctx.hasTwinConstructor(mi.owner, mi.desc)) {
      insns.insertBefore(mi, loadTx());
      mi.desc = TwinTransformer.twinDesc(mi.name, mi.desc);
      return;
    }
    if (ctx.hasJdkTwinConstructor(mi.owner, mi.desc)) {
      jdkConstructor(insns, mi); // the top-most JDK twin constructor records the object as fresh
      return;
    }
    if (!ctx.instrumentable().test(mi.owner) && !CallPolicy.isAllowedConstructor(mi.owner, mi.desc)) {
      insns.insertBefore(mi, calls.untracked(mi.owner + ".<init>"));
    }
    InsnList l = new InsnList();
    l.add(new VarInsnNode(Opcodes.ALOAD, 0));
    l.add(loadTx());
    if (declaresRecordField()) {
      // A root of the java.base patch's record field: the object is born owned through its own
      // record, stored by this constructor (no capture-set entry).
      l.add(barrier(RECORD_BARRIERS, "bornRecord", "(" + TXN_DESC + ")Ljava/lang/Object;"));
      l.add(new FieldInsnNode(Opcodes.PUTFIELD, ctx.cn().name, JdkWords.FIELD, RECORD_DESC));
    } else {
      l.add(barrier(FIELD_BARRIERS, "allocated", "(Ljava/lang/Object;" + TXN_DESC + ")V"));
    }
    insns.insert(mi, l);
  }

  private boolean declaresRecordField() {
    for (org.objectweb.asm.tree.FieldNode f : ctx.cn().fields) {
      if (f.name.equals(JdkWords.FIELD)) {
        return true;
      }
    }
    return false;
  }

  /** {@code [args…] -> [args…, tx, null]} and the call to {@code <init>(A…, Object, AmeBridge)}. */
  void jdkConstructor(InsnList insns, MethodInsnNode mi) {
    insns.insertBefore(mi, loadTx());
    insns.insertBefore(mi, new InsnNode(Opcodes.ACONST_NULL));
    mi.desc = TwinTransformer.jdkTwinConstructorDesc(mi.desc);
  }

  private InsnList afterRead() {
    InsnList l = new InsnList();
    l.add(loadTx());
    l.add(barrier(FIELD_BARRIERS, "afterRead", "(" + TXN_DESC + ")V"));
    return l;
  }

  private void field(InsnList insns, FieldInsnNode fi) {
    Hierarchy.Member decl = ctx.hierarchy().resolveField(fi.owner, fi.name, fi.desc);
    if (decl != null && (decl.access() & Opcodes.ACC_FINAL) != 0) {
      return; // immutable after construction: no barrier, and no marker (nothing to name)
    }
    insns.insertBefore(fi, marker(fi, fi.owner.replace('/', '.') + "." + fi.name));
    if ((fi.getOpcode() == Opcodes.PUTFIELD || fi.getOpcode() == Opcodes.PUTSTATIC) && decl != null
        && BarrierElision.isStable(ctx, decl, fi)) {
      // A write the nest analysis did not see (a hidden nestmate, bytes changed by another agent):
      // serial, as a reflective write, so the barrier-free reads of the field stay sound.
      insns.insertBefore(fi, calls.untracked(decl.owner() + "." + fi.name + " (write to a stable field)"));
    }
    Integer id = fi.name.hashCode();
    Type ft = Type.getType(fi.desc);
    InsnList before = new InsnList();
    switch (fi.getOpcode()) {
      case Opcodes.GETFIELD -> {
        String rec = RecordFields.rootFor(fi.owner, ctx);
        if (rec != null) {
          recordRead(insns, fi, readsForWrite.contains(fi));
          return;
        }
        if (ctx.siteBarriers()) {
          siteRead(insns, fi, id, readsForWrite.contains(fi));
          return;
        }
        before.add(new InsnNode(Opcodes.DUP));
        before.add(new LdcInsnNode(id));
        before.add(loadTx());
        before.add(barrier(FIELD_BARRIERS, "beforeRead", "(Ljava/lang/Object;I" + TXN_DESC + ")V"));
        insns.insertBefore(fi, before);
        insns.insert(fi, afterRead());
      }
      case Opcodes.GETSTATIC -> {
        before.add(staticHolder(fi, decl));
        before.add(new LdcInsnNode(id));
        before.add(loadTx());
        before.add(barrier(FIELD_BARRIERS, "beforeReadStatic", "(Ljava/lang/Class;I" + TXN_DESC + ")V"));
        insns.insertBefore(fi, before);
        insns.insert(fi, afterRead());
      }
      case Opcodes.PUTFIELD -> {
        String rec = RecordFields.rootFor(fi.owner, ctx);
        if (rec != null || ctx.siteBarriers()) {
          siteWrite(insns, fi, rec, ft);
          return;
        }
        insns.insertBefore(fi, storeCall(fi, decl, FIELD_WRITES, "write" + kind(ft), kindDesc(ft)));
        insns.remove(fi);
      }
      case Opcodes.PUTSTATIC -> {
        insns.insertBefore(fi, storeCall(fi, decl, FIELD_WRITES, "writeStatic" + kind(ft), kindDesc(ft)));
        insns.remove(fi);
      }
      default -> throw new IllegalStateException();
    }
  }

  /**
   * A {@code getfield} between the per-site read barriers ({@code SiteBarriers.openRead} and
   * {@code closeRead}; the holder and the word wait in temporaries): {@code [obj] -> [value]}; a
   * read for write ({@link ReadForWrite}) opens with {@code openReadForWrite}.
   */
  private void siteRead(InsnList insns, FieldInsnNode fi, int id, boolean forWrite) {
    InsnList before = new InsnList();
    before.add(new VarInsnNode(Opcodes.ASTORE, tmp));
    before.add(new VarInsnNode(Opcodes.ALOAD, tmp));
    before.add(new LdcInsnNode(id));
    before.add(loadTx());
    before.add(barrier(SITE_BARRIERS,
        forWrite ? "openReadForWrite" : RecordFields.cannotHave(fi.owner, ctx) ? "openReadNoRecord" : "openRead",
        "(Ljava/lang/Object;I" + TXN_DESC + ")J"));
    before.add(new VarInsnNode(Opcodes.LSTORE, tmp + 1));
    before.add(new VarInsnNode(Opcodes.ALOAD, tmp));
    insns.insertBefore(fi, before);
    InsnList after = new InsnList();
    after.add(new VarInsnNode(Opcodes.ALOAD, tmp));
    after.add(new VarInsnNode(Opcodes.LLOAD, tmp + 1));
    after.add(loadTx());
    after.add(barrier(SITE_BARRIERS, "closeRead", "(Ljava/lang/Object;J" + TXN_DESC + ")V"));
    insns.insert(fi, after);
  }

  /**
   * A {@code getfield} of an object whose class carries the java.base patch's record field
   * ({@link RecordFields}): the per-site read with the record loaded at the site (through the
   * field instruction's own owner {@code C}), {@code [obj] -> [value]}:
   * {@code astore o; aload o; aload o; getfield C.rec; ldc id; aload tx; openReadRecord(Object,Object,int,Txn)J;
   * lstore w; aload o; getfield C.f; aload o; getfield C.rec; lload w; aload tx;
   * closeReadRecord(Object,J,Txn)V}. No table hash, no capture-set probe. A read for write
   * ({@link ReadForWrite}) calls {@code openReadForWrite} in the same shape instead.
   */
  private void recordRead(InsnList insns, FieldInsnNode fi, boolean forWrite) {
    InsnList before = new InsnList();
    before.add(new VarInsnNode(Opcodes.ASTORE, tmp));
    before.add(new VarInsnNode(Opcodes.ALOAD, tmp));
    before.add(new VarInsnNode(Opcodes.ALOAD, tmp));
    before.add(new FieldInsnNode(Opcodes.GETFIELD, fi.owner, JdkWords.FIELD, RECORD_DESC));
    before.add(new LdcInsnNode(fi.name.hashCode()));
    before.add(loadTx());
    before.add(barrier(RECORD_BARRIERS, forWrite ? "openReadForWrite" : "openReadRecord",
        "(Ljava/lang/Object;Ljava/lang/Object;I" + TXN_DESC + ")J"));
    before.add(new VarInsnNode(Opcodes.LSTORE, tmp + 1));
    before.add(new VarInsnNode(Opcodes.ALOAD, tmp));
    insns.insertBefore(fi, before);
    InsnList after = new InsnList();
    after.add(new VarInsnNode(Opcodes.ALOAD, tmp));
    after.add(new FieldInsnNode(Opcodes.GETFIELD, fi.owner, JdkWords.FIELD, RECORD_DESC));
    after.add(new VarInsnNode(Opcodes.LLOAD, tmp + 1));
    after.add(loadTx());
    after.add(barrier(RECORD_BARRIERS, "closeReadRecord", "(Ljava/lang/Object;J" + TXN_DESC + ")V"));
    insns.insert(fi, after);
  }

  /**
   * {@code [obj, value] -> [obj…, value]}: the value to a temporary, {@code dups} more copies of
   * the holder, the holder opened for writing ({@code openWriteRecord} with the record read at the
   * site when {@code rec} names its declaring class, else {@code openWrite}) and the old value
   * logged; leaves {@code dups - 2} holders and the value (reloaded from the temporary).
   */
  private InsnList openWriteAndLog(FieldInsnNode fi, String rec, Type ft, int dups) {
    InsnList l = new InsnList();
    l.add(new VarInsnNode(ft.getOpcode(Opcodes.ISTORE), tmp));
    for (int i = 0; i < dups; i++) {
      l.add(new InsnNode(Opcodes.DUP));
    }
    if (rec != null) {
      l.add(new InsnNode(Opcodes.DUP));
      l.add(guard(new FieldInsnNode(Opcodes.GETFIELD, fi.owner, JdkWords.FIELD, RECORD_DESC)));
      l.add(new LdcInsnNode(fi.name.hashCode()));
      l.add(loadTx());
      l.add(barrier(RECORD_BARRIERS, "openWriteRecord", "(Ljava/lang/Object;Ljava/lang/Object;I" + TXN_DESC + ")Z"));
    } else {
      l.add(new LdcInsnNode(fi.name.hashCode()));
      l.add(loadTx());
      l.add(barrier(SITE_BARRIERS, RecordFields.cannotHave(fi.owner, ctx) ? "openWriteNoRecord" : "openWrite",
          "(Ljava/lang/Object;I" + TXN_DESC + ")Z"));
    }
    l.add(new InsnNode(Opcodes.SWAP));
    l.add(guard(new FieldInsnNode(Opcodes.GETFIELD, fi.owner, fi.name, fi.desc)));
    l.add(new LdcInsnNode(varHandle(FIELD_VH, fi)));
    l.add(loadTx());
    l.add(barrier(SITE_BARRIERS, "log" + logKind(ft), "(Ljava/lang/Object;Z" + logDesc(ft) + VH + TXN_DESC + ")V"));
    return l;
  }

  /**
   * A {@code putfield} behind the per-site write barriers: {@code openWrite} locks the holder's
   * record, the old value is loaded by a {@code getfield} under that lock and logged
   * ({@code logX}, with the field's {@code VarHandle} for rollback only), then the original
   * {@code putfield} stores: {@code [obj, value] -> []}. No VarHandle is invoked on this path.
   */
  private void siteWrite(InsnList insns, FieldInsnNode fi, String rec, Type ft) {
    InsnList l = openWriteAndLog(fi, rec, ft, 3);
    l.add(new VarInsnNode(ft.getOpcode(Opcodes.ILOAD), tmp));
    insns.insertBefore(fi, l);
  }


  /**
   * What replaces a blind update {@code x.f += d} whose {@code putfield} is {@code put}:
   * {@code [obj, delta] -> []}. With the per-site barriers: {@code openWrite} locks the holder,
   * the old value is loaded under the lock and logged, loaded again, added to and stored, by
   * plain field instructions (no VarHandle invoked, so the barriers inline); else
   * {@code BlindAdds.addX(holder, id, VarHandle, delta, tx)}. A read-for-write either way: no
   * read-set entry.
   */
  @Override
  public InsnList blindStaticAdd(FieldInsnNode put, Hierarchy.Member decl, String method, String valueDesc) {
    return storeCall(put, decl, BLIND_ADDS, method, valueDesc);
  }

  public InsnList blindFieldAdd(FieldInsnNode put, Hierarchy.Member decl, String method, String valueDesc) {
    String rec = RecordFields.rootFor(put.owner, ctx);
    if (!ctx.siteBarriers() && rec == null) {
      return storeCall(put, decl, BLIND_ADDS, method, valueDesc);
    }
    Type ft = Type.getType(put.desc);
    InsnList l = openWriteAndLog(put, rec, ft, 4);
    l.add(guard(new FieldInsnNode(Opcodes.GETFIELD, put.owner, put.name, put.desc)));
    l.add(new VarInsnNode(ft.getOpcode(Opcodes.ILOAD), tmp));
    l.add(new InsnNode(ft.getOpcode(Opcodes.IADD)));
    l.add(guard(new FieldInsnNode(Opcodes.PUTFIELD, put.owner, put.name, put.desc)));
    return l;
  }


  @Override
  public InsnList targetCheck(FieldInsnNode get) {
    InsnList l = new InsnList();
    l.add(new InsnNode(Opcodes.DUP));
    // The plain load is exactly the program's: the same exception, with the same helpful message.
    l.add(guard(new FieldInsnNode(get.getOpcode(), get.owner, get.name, get.desc)));
    l.add(new InsnNode(Type.getType(get.desc).getSize() == 2 ? Opcodes.POP2 : Opcodes.POP));
    return l;
  }

  private FieldInsnNode guard(FieldInsnNode fi) {
    guarded.add(fi);
    return fi;
  }

  /** The {@code SiteBarriers.logX} that logs an old value of type {@code t}: int-like types share logInt. */
  private static String logKind(Type t) {
    String k = kind(t);
    return switch (k) {
      case "Boolean", "Byte", "Char", "Short" -> "Int";
      default -> k;
    };
  }

  /** The type {@code logX} takes the old value as: {@link #kindDesc}, int for the int-like types. */
  private static String logDesc(Type t) {
    return logKind(t).equals("Int") ? "I" : kindDesc(t);
  }

  /**
   * What replaces a {@code putfield}/{@code putstatic} {@code fi}: {@code [holder?, value] -> []}
   * through {@code owner.method(holder, id, VarHandle, value, tx)}, holder being the
   * object on the stack or the static's declaring class. The value goes through a temporary so
   * the id and handle can be pushed under it.
   */
  private InsnList storeCall(FieldInsnNode fi, Hierarchy.Member decl, String owner, String method, String valueDesc) {
    Type ft = Type.getType(fi.desc);
    boolean isStatic = fi.getOpcode() == Opcodes.PUTSTATIC;
    InsnList l = new InsnList();
    l.add(new VarInsnNode(ft.getOpcode(Opcodes.ISTORE), tmp));
    if (isStatic) {
      l.add(staticHolder(fi, decl));
    }
    l.add(new LdcInsnNode(fi.name.hashCode()));
    l.add(new LdcInsnNode(varHandle(isStatic ? STATIC_FIELD_VH : FIELD_VH, fi)));
    l.add(new VarInsnNode(ft.getOpcode(Opcodes.ILOAD), tmp));
    l.add(loadTx());
    l.add(barrier(owner, method, "(" + (isStatic ? "Ljava/lang/Class;" : "Ljava/lang/Object;") + "I" + VH
        + valueDesc + TXN_DESC + ")V"));
    return l;
  }

  /** The static field's declaring class: a plain class constant when the reference names it. */
  AbstractInsnNode staticHolder(FieldInsnNode fi, Hierarchy.Member decl) {
    if (decl != null && decl.owner().equals(fi.owner)) {
      return new LdcInsnNode(Type.getObjectType(fi.owner));
    }
    return new LdcInsnNode(new ConstantDynamic(fi.name, "Ljava/lang/Class;", STATIC_HOLDER,
        Type.getObjectType(fi.owner)));
  }

  static ConstantDynamic varHandle(Handle bsm, FieldInsnNode fi) {
    Type ft = Type.getType(fi.desc);
    Object typeArg = ft.getSort() == Type.OBJECT || ft.getSort() == Type.ARRAY
        ? ft
        : new ConstantDynamic(fi.desc, "Ljava/lang/Class;", PRIMITIVE_CLASS);
    return new ConstantDynamic(fi.name, VH, bsm, Type.getObjectType(fi.owner), typeArg);
  }

  /**
   * {@code xaload} between the element read barriers: {@code [array, index] -> [value]}. With a
   * hoisted check ({@link HoistedChecks}: {@code checked} is the site's local, else -1) the
   * barrier takes and returns the array the site last found readable unchecked:
   * {@code dup2; aload checked; aload tx; beforeReadElementAt; astore checked; xaload; …}; with the
   * report's markers on, the site's id goes to {@code Diagnostics.beforeReadElementAt} instead of a
   * marker before ({@link #SITED_READ}: no store when the kept array is loaded again).
   */
  private void arrayLoad(InsnList insns, AbstractInsnNode n, int checked, String what) {
    InsnList before = new InsnList();
    before.add(new InsnNode(Opcodes.DUP2));
    if (checked >= 0 && ctx.siteMarkers()) {
      // The marker folded into the barrier, stored on its slow path only (Diagnostics): a load of
      // the array the site kept is one reference compare with the report on too.
      before.add(new VarInsnNode(Opcodes.ALOAD, checked));
      before.add(loadTx());
      before.add(new LdcInsnNode(siteId(n, what)));
      before.add(new MethodInsnNode(Opcodes.INVOKESTATIC, DIAGNOSTICS, SITED_READ, SITED_READ_DESC, false));
      before.add(new VarInsnNode(Opcodes.ASTORE, checked));
    } else if (checked >= 0) {
      before.add(new VarInsnNode(Opcodes.ALOAD, checked));
      before.add(loadTx());
      before.add(barrier(FIELD_BARRIERS, "beforeReadElementAt", "(Ljava/lang/Object;ILjava/lang/Object;" + TXN_DESC
          + ")Ljava/lang/Object;"));
      before.add(new VarInsnNode(Opcodes.ASTORE, checked));
    } else {
      insns.insertBefore(n, marker(n, what));
      before.add(loadTx());
      before.add(barrier(FIELD_BARRIERS, "beforeReadElement", "(Ljava/lang/Object;I" + TXN_DESC + ")V"));
    }
    insns.insertBefore(n, before);
    InsnList after = new InsnList();
    after.add(loadTx());
    after.add(barrier(FIELD_BARRIERS, "afterReadElement", "(" + TXN_DESC + ")V"));
    insns.insert(n, after);
  }

  /**
   * {@code xastore} as one write barrier: {@code [array, index, value] -> []}. With a hoisted check
   * ({@link HoistedChecks}: {@code born} is the site's local, else -1) the barrier takes and
   * returns the array the site last found born at the running level:
   * {@code aload born; aload tx; writeElementAt; astore born}. Otherwise a primitive store of an
   * application twin opens, logs and stores at the site ({@link #openElementWrite}); the rest is
   * one call. The hoisted check goes first: in a loop that fills an array the attempt allocated,
   * a reference compare beats any open (the site path asks the capture set at every store).
   */
  private void arrayStore(InsnList insns, AbstractInsnNode n, int born) {
    String elem;
    switch (n.getOpcode()) {
      case Opcodes.IASTORE -> elem = "I";
      case Opcodes.LASTORE -> elem = "J";
      case Opcodes.FASTORE -> elem = "F";
      case Opcodes.DASTORE -> elem = "D";
      case Opcodes.AASTORE -> elem = "Ljava/lang/Object;";
      case Opcodes.CASTORE -> elem = "C";
      case Opcodes.SASTORE -> elem = "S";
      default -> elem = null; // BASTORE: byte[] or boolean[]
    }
    if (born >= 0) {
      String array = elem == null ? "Ljava/lang/Object;" : "[" + elem;
      String value = elem == null ? "I" : elem;
      insns.insertBefore(n, new VarInsnNode(Opcodes.ALOAD, born));
      insns.insertBefore(n, loadTx());
      insns.insertBefore(n, barrier(BORN_ARRAY_WRITES, elem == null ? "writeByteOrBooleanAt" : "writeElementAt",
          "(" + array + "I" + value + "Ljava/lang/Object;" + TXN_DESC + ")Ljava/lang/Object;"));
      insns.set(n, new VarInsnNode(Opcodes.ASTORE, born));
      return;
    }
    if (elem != null && elem.length() == 1 && siteElementWrites()) {
      // A plain store: one call that holds it until commit where it may (ElementSites.storeX);
      // the compound a[i] += d (blindElementAdd) still opens and logs at the site.
      insns.insertBefore(n, loadTx());
      insns.set(n, barrier(ELEMENT_SITES, "store" + kind(Type.getType(elem)),
          "([" + elem + "I" + elem + TXN_DESC + ")V"));
      return;
    }
    insns.insertBefore(n, loadTx());
    if (elem == null) {
      insns.set(n, new MethodInsnNode(Opcodes.INVOKESTATIC, TwinTransformer.RUNTIME, "writeByteOrBoolean",
          "(Ljava/lang/Object;II" + TXN_DESC + ")V", false));
    } else {
      insns.set(n, barrier(FIELD_WRITES, "writeElement", "([" + elem + "I" + elem + TXN_DESC + ")V"));
    }
  }

  /**
   * {@code ame4j.barriers.siteElementWrites} (default true): primitive element writes and blind
   * element adds of application twins open, log and store at the site ({@code ElementSites});
   * false, or in the java.base patch's twins: one call ({@code writeElement}, {@code addElement}).
   */
  static final boolean SITE_ELEMENT_WRITES =
      Boolean.parseBoolean(System.getProperty("ame4j.barriers.siteElementWrites", "true"));

  private boolean siteElementWrites() {
    return SITE_ELEMENT_WRITES && ctx.target().namesTxn();
  }

  /**
   * {@code [array, index, value] -> [array, index, old]} for element type {@code t} (not boolean
   * or byte): the value to {@link #tmp}, the element locked ({@code ElementSites.openWrite}, its
   * answer to {@code tmp + 2}), the old value loaded under the lock and logged if asked
   * ({@code ElementSites.logX}). No branch, so no frame; the temporaries are dead after it.
   */
  private InsnList openElementWrite(Type t) {
    int log = tmp + 2; // after a wide value's two slots: SCRATCH
    InsnList l = new InsnList();
    l.add(new VarInsnNode(t.getOpcode(Opcodes.ISTORE), tmp));
    l.add(new InsnNode(Opcodes.DUP2));
    l.add(loadTx());
    l.add(barrier(ELEMENT_SITES, "openWrite", "(Ljava/lang/Object;I" + TXN_DESC + ")Z"));
    l.add(new VarInsnNode(Opcodes.ISTORE, log));
    l.add(new InsnNode(Opcodes.DUP2));
    l.add(new VarInsnNode(Opcodes.ILOAD, log));
    l.add(loadTx());
    String d = t.getDescriptor();
    l.add(barrier(ELEMENT_SITES, "log" + kind(t), "([" + d + "IZ" + TXN_DESC + ")" + d));
    return l;
  }

  /**
   * What replaces a blind element update {@code a[i] += d} ({@code BlindUpdatePatterns}):
   * {@code [array, index, delta] -> []}. In application twins per site ({@link #openElementWrite},
   * the add and the store, which the main loop leaves alone), or held to commit with
   * {@code ame4j.blindElements.held=true} ({@code BlindAdds.addElementHeld}, one call: no lock at
   * the site); in the java.base patch's twins {@code BlindAdds.addElement}.
   */
  @Override
  public InsnList blindElementAdd(Type t) {
    InsnList l = new InsnList();
    if (!siteElementWrites() || ctx.holdElementAdds()) {
      l.add(loadTx());
      String name = siteElementWrites() ? "addElementHeld" : "addElement";
      l.add(blindAddCall(name, "[" + t.getDescriptor() + "I" + t.getDescriptor(), "V"));
      return l;
    }
    InsnList open = openElementWrite(t);
    // xstore t; dup2; aload tx; openWrite; istore log; dup2; iload log; aload tx; logX
    AbstractInsnNode[] o = open.toArray();
    l.add(open);
    l.add(new VarInsnNode(t.getOpcode(Opcodes.ILOAD), tmp));
    l.add(new InsnNode(t.getOpcode(Opcodes.IADD)));
    InsnNode store = new InsnNode(t.getOpcode(Opcodes.IASTORE));
    guarded.add(store);
    l.add(store);
    adds.add(store, o[2], (MethodInsnNode) o[3], (VarInsnNode) o[4], (VarInsnNode) o[6],
        (MethodInsnNode) o[8], t); // a hoisted born check if the add is in a loop (HoistedAdds)
    return l;
  }

  private static String kind(Type t) {
    return switch (t.getSort()) {
      case Type.BOOLEAN -> "Boolean";
      case Type.BYTE -> "Byte";
      case Type.CHAR -> "Char";
      case Type.SHORT -> "Short";
      case Type.INT -> "Int";
      case Type.LONG -> "Long";
      case Type.FLOAT -> "Float";
      case Type.DOUBLE -> "Double";
      default -> "Object";
    };
  }

  private static String kindDesc(Type t) {
    return t.getSort() == Type.OBJECT || t.getSort() == Type.ARRAY ? "Ljava/lang/Object;" : t.getDescriptor();
  }

  // ---- what the barrier optimisations see (elision.TwinSite) -----------------------------

  @Override
  public ClassContext context() {
    return ctx;
  }

  @Override
  public MethodNode original() {
    return original;
  }

  @Override
  public MethodNode twin() {
    return twin;
  }

  @Override
  public int firstTemp() {
    return tmp + SCRATCH;
  }

  @Override
  public MethodInsnNode blindAddCall(String name, String args, String ret) {
    return barrier(BLIND_ADDS, name, "(" + args + TXN_DESC + ")" + ret);
  }
}
