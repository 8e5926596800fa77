package org.ame4j.internal.agent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Turns a class file into its transactional form: every method {@code m(A…)R} keeps its body
 * and gains a <em>dispatch prologue</em>, and a synthetic <em>twin</em>
 * {@code m$ame(A…, Txn)R} holds the same body with every shared-memory access routed through
 * the engine's {@code FieldBarriers} (DESIGN §3.2). A plain library class: bytes in, bytes out,
 * testable without any agent (JaCoCo's {@code Instrumenter} split).
 *
 * <h2>Shapes</h2>
 * <pre>
 *   original m(args):  Txn t = Txn.active(); if (t != null) return this.m$ame(args, t);  // invokespecial/static: exactly this body
 *                      …original body…
 *   twin m$ame(args, Txn tx'):  tx = tx'  (moved to a fresh slot, see Frames)
 *     getfield C.f   -&gt; dup; ldc id; aload tx; beforeRead; getfield C.f; aload tx; afterRead
 *     putfield C.f   -&gt; xstore tmp; ldc id; ldc VH; xload tmp; aload tx; writeX(holder,id,VH,v,tx)
 *     getstatic/putstatic: same with the declaring Class; xaload: dup2 + beforeReadElement;
 *     xastore        -&gt; aload tx; writeElement(array, index, value, tx)
 *     call to a class with twins            -&gt; aload tx; invoke m$ame
 *     call to the JDK, not allow-listed     -&gt; ldc site; aload tx; AgentRuntime.untracked; the call
 *     invokeinterface, abstract or default target -&gt; as is (the selected method's prologue)
 * </pre>
 * Call targets are resolved from class bytes ({@link Hierarchy}); {@link CallPolicy} holds the
 * include rule and the allow-list, with the reasons for what is left off it.
 * The field id is {@code name.hashCode()} (FieldBarriers' contract). The {@code VarHandle} is a
 * {@code ConstantDynamic} from {@code ConstantBootstraps.fieldVarHandle}/{@code staticFieldVarHandle},
 * resolved once per call site with the instrumented class's own lookup, so it has exactly the
 * access the original {@code putfield} had (nestmate private fields included, JVMS §5.4.4).
 * Final fields (known from class bytes, see {@link Hierarchy}) are read without barriers.
 *
 * <h2>Frames (JVMS §4.10.1)</h2>
 * Since version 50 the type checker needs a {@code StackMapTable} frame at every branch target,
 * and computing a frame from scratch needs the class hierarchy (the merge of two reference types
 * is their common superclass), which a transformer must never obtain by loading classes. So we
 * never compute frames: classes are read with {@code EXPAND_FRAMES}, the original frames are kept
 * and edited, and the writer runs with {@code COMPUTE_MAXS} only (its {@code getCommonSuperClass}
 * throws, as a guard). That works because:
 * <ul>
 *   <li>Twin bodies add no branches: barriers are straight-line code. The JVM passes the twin's
 *       {@code Txn} in slot {@code argSlots}, where the body keeps its own locals; the twin's first
 *       two instructions move it to slot {@code maxLocals} (a slot the body never uses), and every
 *       frame of the body gets {@code TOP…, Txn} appended up to that slot. The body's locals keep
 *       their indices, so its frames, local variable table and {@code iinc}s stay valid unchanged.
 *       Slot {@code argSlots} starts as {@code Txn} instead of {@code TOP}: any frame that
 *       mentions it was already reached by a store, so the assignment check still holds.
 *       Temporaries for write barriers live above it and are never live at a frame.</li>
 *   <li>The prologue adds one branch, to the start of the original body, whose frame is the
 *       method's implicit initial frame (written out explicitly; or the body's own frame when
 *       it already has one at offset 0).</li>
 * </ul>
 * {@code ConstantDynamic} needs class file version 55: versions 51–54 (which always carry frames)
 * are raised to 55. Versions below 51 may lack frames: such classes, and any class whose
 * transformation fails, get the <em>fallback</em> instead, a straight-line call to
 * {@code AgentRuntime.uninstrumented} at the top of every method, which makes a transaction that
 * reaches the code inevitable, and a line on the reporter (fail loudly, DESIGN §3.2).
 *
 * <h2>What this does not do yet</h2> See {@code ame4j-agent/DESIGN-NOTES.md}: constructors and
 * {@code <clinit>} are not twinned, interface calls go through the prologue, a virtual call from a
 * twin to an instrumented method reaches the twin of the resolved class's hierarchy (an
 * uninstrumented subclass override would be bypassed), no capture analysis, monitors untouched.
 */
public final class TwinTransformer {
  static final String SUFFIX = "$ame";
  static final String TXN = "org/ame4j/internal/engine/Txn";
  static final String TXN_DESC = "L" + TXN + ";";
  static final String BARRIERS = "org/ame4j/internal/engine/FieldBarriers";
  static final String RUNTIME = "org/ame4j/internal/agent/rt/AgentRuntime";

  private static final String LOOKUP = "Ljava/lang/invoke/MethodHandles$Lookup;";
  private static final String VH = "Ljava/lang/invoke/VarHandle;";
  private static final Handle FIELD_VH = new Handle(Opcodes.H_INVOKESTATIC,
      "java/lang/invoke/ConstantBootstraps", "fieldVarHandle",
      "(" + LOOKUP + "Ljava/lang/String;Ljava/lang/Class;Ljava/lang/Class;Ljava/lang/Class;)" + VH, false);
  private static final Handle STATIC_FIELD_VH = new Handle(Opcodes.H_INVOKESTATIC,
      "java/lang/invoke/ConstantBootstraps", "staticFieldVarHandle",
      "(" + LOOKUP + "Ljava/lang/String;Ljava/lang/Class;Ljava/lang/Class;Ljava/lang/Class;)" + VH, false);
  private static final Handle PRIMITIVE_CLASS = new Handle(Opcodes.H_INVOKESTATIC,
      "java/lang/invoke/ConstantBootstraps", "primitiveClass",
      "(" + LOOKUP + "Ljava/lang/String;Ljava/lang/Class;)Ljava/lang/Class;", false);
  private static final Handle STATIC_HOLDER = new Handle(Opcodes.H_INVOKESTATIC,
      RUNTIME, "staticFieldHolder",
      "(" + LOOKUP + "Ljava/lang/String;Ljava/lang/Class;Ljava/lang/Class;)Ljava/lang/Class;", false);

  private final Predicate<String> instrumentable;
  private final Hierarchy hierarchy;
  private final Consumer<String> reporter;

  /**
   * @param classBytes original class file bytes by internal name (a resource lookup on the
   *     defining loader), or null when unknown; used to resolve members without loading classes
   * @param reporter receives one line per class that could not be instrumented
   */
  public TwinTransformer(Function<String, byte[]> classBytes, Consumer<String> reporter) {
    this(CallPolicy::isInstrumentable, classBytes, reporter);
  }

  public TwinTransformer(
      Predicate<String> instrumentable, Function<String, byte[]> classBytes, Consumer<String> reporter) {
    this.instrumentable = instrumentable;
    this.hierarchy = new Hierarchy(classBytes);
    this.reporter = reporter;
  }

  /** True if classes of this internal name are transformed (and calls to them go to twins). */
  public boolean isInstrumentable(String internalName) {
    return instrumentable.test(internalName);
  }

  /** The instrumented class file, or null if the class is left as it is (excluded, or done). */
  public byte[] transform(byte[] classfile) {
    ClassReader reader = new ClassReader(classfile);
    String name = reader.getClassName();
    if (!instrumentable.test(name) || (reader.getAccess() & Opcodes.ACC_MODULE) != 0) {
      return null;
    }
    ClassNode cn = new ClassNode();
    reader.accept(cn, ClassReader.EXPAND_FRAMES);
    for (MethodNode m : cn.methods) {
      if (m.name.endsWith(SUFFIX)) {
        return null; // already instrumented
      }
    }
    int major = cn.version & 0xFFFF;
    if (major < Opcodes.V1_7) {
      return fallback(reader, "class file version " + major + " may lack stack map frames");
    }
    try {
      hierarchy.add(name, classfile);
      if (major < Opcodes.V11) {
        cn.version = Opcodes.V11; // for ConstantDynamic (JVMS §4.4.13)
      }
      new ClassRewrite(cn).run();
      ClassWriter cw = new NoLoadClassWriter(ClassWriter.COMPUTE_MAXS);
      cn.accept(cw);
      return cw.toByteArray();
    } catch (RuntimeException | LinkageError e) {
      return fallback(reader, e.toString());
    }
  }

  private byte[] fallback(ClassReader reader, String reason) {
    String cls = reader.getClassName().replace('/', '.');
    reporter.accept("ame4j-agent: cannot instrument " + cls + " (" + reason
        + "); transactions that reach its code become inevitable");
    ClassWriter cw = new NoLoadClassWriter(ClassWriter.COMPUTE_MAXS);
    reader.accept(new ClassVisitor(Opcodes.ASM9, cw) {
      @Override
      public MethodVisitor visitMethod(int access, String mname, String desc, String sig, String[] ex) {
        MethodVisitor mv = super.visitMethod(access, mname, desc, sig, ex);
        if (mname.equals("<clinit>")) {
          return mv;
        }
        return new MethodVisitor(Opcodes.ASM9, mv) {
          @Override
          public void visitCode() {
            super.visitCode();
            super.visitLdcInsn(cls + "." + mname + " (not instrumented: " + reason + ")");
            super.visitMethodInsn(Opcodes.INVOKESTATIC, RUNTIME, "uninstrumented", "(Ljava/lang/String;)V", false);
          }
        };
      }
    }, 0);
    return cw.toByteArray();
  }

  /** A writer that never loads classes: with COMPUTE_MAXS it is never asked, this is a guard. */
  private static final class NoLoadClassWriter extends ClassWriter {
    NoLoadClassWriter(int flags) {
      super(flags);
    }

    @Override
    protected String getCommonSuperClass(String type1, String type2) {
      throw new IllegalStateException("frames must not be computed here: " + type1 + ", " + type2);
    }
  }

  static String twinDesc(String desc) {
    int close = desc.indexOf(')');
    return desc.substring(0, close) + TXN_DESC + desc.substring(close);
  }

  static boolean hasTwin(int access, String name) {
    return (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0
        && !name.equals("<init>") && !name.equals("<clinit>");
  }

  /** The rewrite of one class: twins first (from untouched bodies), then prologues. */
  private final class ClassRewrite {
    private final ClassNode cn;
    private final boolean itf;
    private final Map<String, FieldNode> ownFields = new HashMap<>();

    ClassRewrite(ClassNode cn) {
      this.cn = cn;
      this.itf = (cn.access & Opcodes.ACC_INTERFACE) != 0;
      for (FieldNode f : cn.fields) {
        ownFields.put(f.name + ':' + f.desc, f);
      }
    }

    void run() {
      List<MethodNode> twins = new ArrayList<>();
      for (MethodNode m : cn.methods) {
        if (hasTwin(m.access, m.name)) {
          twins.add(twin(m));
          addPrologue(m);
        }
      }
      cn.methods.addAll(twins);
    }

    // ---- the prologue -------------------------------------------------------------------

    private void addPrologue(MethodNode m) {
      boolean isStatic = (m.access & Opcodes.ACC_STATIC) != 0;
      int t = m.maxLocals;
      InsnList p = new InsnList();
      p.add(new MethodInsnNode(Opcodes.INVOKESTATIC, TXN, "active", "()" + TXN_DESC, false));
      p.add(new VarInsnNode(Opcodes.ASTORE, t));
      p.add(new VarInsnNode(Opcodes.ALOAD, t));
      LabelNode body = new LabelNode();
      p.add(new JumpInsnNode(Opcodes.IFNULL, body));
      List<Object> initial = new ArrayList<>();
      int slot = 0;
      if (!isStatic) {
        p.add(new VarInsnNode(Opcodes.ALOAD, 0));
        initial.add(cn.name);
        slot = 1;
      }
      for (Type a : Type.getArgumentTypes(m.desc)) {
        p.add(new VarInsnNode(a.getOpcode(Opcodes.ILOAD), slot));
        slot += a.getSize();
        initial.add(frameType(a));
      }
      p.add(new VarInsnNode(Opcodes.ALOAD, t));
      p.add(new MethodInsnNode(isStatic ? Opcodes.INVOKESTATIC : Opcodes.INVOKESPECIAL,
          cn.name, m.name + SUFFIX, twinDesc(m.desc), itf));
      p.add(new InsnNode(Type.getReturnType(m.desc).getOpcode(Opcodes.IRETURN)));
      p.add(body);
      if (!startsWithFrame(m.instructions)) {
        p.add(new FrameNode(Opcodes.F_NEW, initial.size(), initial.toArray(), 0, new Object[0]));
      }
      m.instructions.insert(p);
    }

    private boolean startsWithFrame(InsnList insns) {
      for (AbstractInsnNode n = insns.getFirst(); n != null && n.getOpcode() < 0; n = n.getNext()) {
        if (n instanceof FrameNode) {
          return true;
        }
      }
      return false;
    }

    private Object frameType(Type a) {
      switch (a.getSort()) {
        case Type.BOOLEAN, Type.BYTE, Type.CHAR, Type.SHORT, Type.INT:
          return Opcodes.INTEGER;
        case Type.FLOAT:
          return Opcodes.FLOAT;
        case Type.LONG:
          return Opcodes.LONG;
        case Type.DOUBLE:
          return Opcodes.DOUBLE;
        default:
          return a.getInternalName(); // arrays: their descriptor, as frames want
      }
    }

    // ---- the twin -----------------------------------------------------------------------

    private MethodNode twin(MethodNode m) {
      String[] exceptions = m.exceptions == null ? null : m.exceptions.toArray(new String[0]);
      MethodNode t = new MethodNode(Opcodes.ASM9,
          (m.access | Opcodes.ACC_SYNTHETIC) & ~Opcodes.ACC_VARARGS,
          m.name + SUFFIX, twinDesc(m.desc), null, exceptions);
      Map<LabelNode, LabelNode> labels = new HashMap<>();
      for (AbstractInsnNode n : m.instructions) {
        if (n instanceof LabelNode l) {
          labels.put(l, new LabelNode());
        }
      }
      for (AbstractInsnNode n : m.instructions) {
        t.instructions.add(n.clone(labels));
      }
      for (TryCatchBlockNode b : m.tryCatchBlocks) {
        t.tryCatchBlocks.add(new TryCatchBlockNode(
            labels.get(b.start), labels.get(b.end), labels.get(b.handler), b.type));
      }
      if (m.localVariables != null) {
        t.localVariables = new ArrayList<>();
        for (LocalVariableNode v : m.localVariables) {
          t.localVariables.add(new LocalVariableNode(
              v.name, v.desc, v.signature, labels.get(v.start), labels.get(v.end), v.index));
        }
      }
      new TwinBody(m, t).rewrite();
      return t;
    }

    /** Rewrites one twin's instructions in place. */
    private final class TwinBody {
      private final MethodNode original;
      private final MethodNode twin;
      private final int tx;
      private final int tmp;
      private int line = -1;

      TwinBody(MethodNode original, MethodNode twin) {
        this.original = original;
        this.twin = twin;
        this.tx = original.maxLocals;
        this.tmp = original.maxLocals + 1;
      }

      void rewrite() {
        boolean isStatic = (original.access & Opcodes.ACC_STATIC) != 0;
        int argSlots = (Type.getArgumentsAndReturnSizes(original.desc) >> 2) - (isStatic ? 1 : 0);
        InsnList insns = twin.instructions;
        for (AbstractInsnNode n : insns.toArray()) {
          if (n instanceof LineNumberNode ln) {
            line = ln.line;
          } else if (n instanceof FrameNode f) {
            f.local = withTxn(f.local);
          } else if (n instanceof FieldInsnNode fi) {
            field(insns, fi);
          } else if (n instanceof MethodInsnNode mi) {
            call(insns, mi);
          } else if (n instanceof InvokeDynamicInsnNode indy) {
            if (!CallPolicy.isAllowedBootstrap(indy.bsm.getOwner())) {
              insns.insertBefore(indy, untracked(indy.bsm.getOwner() + "." + indy.bsm.getName()));
            } else if (indy.bsm.getOwner().equals("java/lang/invoke/LambdaMetafactory")
                && indy.bsmArgs.length > 1 && indy.bsmArgs[1] instanceof Handle impl
                && impl.getTag() != Opcodes.H_NEWINVOKESPECIAL
                && !instrumentable.test(impl.getOwner())
                && !CallPolicy.isAllowed(impl.getOwner(), impl.getName(), impl.getDesc())) {
              // A method reference straight to untracked code (list::add): its hidden class will
              // call it without any barrier, so a transaction that creates it goes inevitable.
              insns.insertBefore(indy, untracked(impl.getOwner() + "::" + impl.getName()));
            }
          } else {
            int op = n.getOpcode();
            if (op >= Opcodes.IALOAD && op <= Opcodes.SALOAD) {
              arrayLoad(insns, n);
            } else if (op >= Opcodes.IASTORE && op <= Opcodes.SASTORE) {
              arrayStore(insns, n);
            }
          }
        }
        InsnList head = new InsnList();
        head.add(new VarInsnNode(Opcodes.ALOAD, argSlots));
        head.add(new VarInsnNode(Opcodes.ASTORE, tx));
        insns.insert(head);
      }

      private List<Object> withTxn(List<Object> locals) {
        List<Object> out = new ArrayList<>(locals == null ? List.of() : locals);
        int slots = 0;
        for (Object o : out) {
          slots += (o == Opcodes.LONG || o == Opcodes.DOUBLE) ? 2 : 1;
        }
        if (slots > tx) {
          throw new IllegalStateException("frame wider than max_locals in " + original.name);
        }
        for (; slots < tx; slots++) {
          out.add(Opcodes.TOP);
        }
        out.add(TXN);
        return out;
      }

      private AbstractInsnNode loadTx() {
        return new VarInsnNode(Opcodes.ALOAD, tx);
      }

      private MethodInsnNode barrier(String name, String desc) {
        return new MethodInsnNode(Opcodes.INVOKESTATIC, BARRIERS, name, desc, false);
      }

      private InsnList afterRead() {
        InsnList l = new InsnList();
        l.add(loadTx());
        l.add(barrier("afterRead", "(" + TXN_DESC + ")V"));
        return l;
      }

      private void field(InsnList insns, FieldInsnNode fi) {
        Hierarchy.Member decl = hierarchy.resolveField(fi.owner, fi.name, fi.desc);
        if (decl != null && (decl.access() & Opcodes.ACC_FINAL) != 0) {
          return; // immutable after construction: no barrier (DESIGN §3.1)
        }
        Integer id = fi.name.hashCode();
        Type ft = Type.getType(fi.desc);
        InsnList before = new InsnList();
        switch (fi.getOpcode()) {
          case Opcodes.GETFIELD -> {
            before.add(new InsnNode(Opcodes.DUP));
            before.add(new LdcInsnNode(id));
            before.add(loadTx());
            before.add(barrier("beforeRead", "(Ljava/lang/Object;I" + TXN_DESC + ")V"));
            insns.insertBefore(fi, before);
            insns.insert(fi, afterRead());
          }
          case Opcodes.GETSTATIC -> {
            before.add(staticHolder(fi, decl));
            before.add(new LdcInsnNode(id));
            before.add(loadTx());
            before.add(barrier("beforeReadStatic", "(Ljava/lang/Class;I" + TXN_DESC + ")V"));
            insns.insertBefore(fi, before);
            insns.insert(fi, afterRead());
          }
          case Opcodes.PUTFIELD -> {
            before.add(new VarInsnNode(ft.getOpcode(Opcodes.ISTORE), tmp));
            before.add(new LdcInsnNode(id));
            before.add(new LdcInsnNode(varHandle(FIELD_VH, fi)));
            before.add(new VarInsnNode(ft.getOpcode(Opcodes.ILOAD), tmp));
            before.add(loadTx());
            before.add(barrier("write" + kind(ft),
                "(Ljava/lang/Object;I" + VH + kindDesc(ft) + TXN_DESC + ")V"));
            insns.insertBefore(fi, before);
            insns.remove(fi);
          }
          case Opcodes.PUTSTATIC -> {
            before.add(new VarInsnNode(ft.getOpcode(Opcodes.ISTORE), tmp));
            before.add(staticHolder(fi, decl));
            before.add(new LdcInsnNode(id));
            before.add(new LdcInsnNode(varHandle(STATIC_FIELD_VH, fi)));
            before.add(new VarInsnNode(ft.getOpcode(Opcodes.ILOAD), tmp));
            before.add(loadTx());
            before.add(barrier("writeStatic" + kind(ft),
                "(Ljava/lang/Class;I" + VH + kindDesc(ft) + TXN_DESC + ")V"));
            insns.insertBefore(fi, before);
            insns.remove(fi);
          }
          default -> throw new IllegalStateException();
        }
      }

      /** The static field's declaring class: a plain class constant when the reference names it. */
      private AbstractInsnNode staticHolder(FieldInsnNode fi, Hierarchy.Member decl) {
        if (decl != null && decl.owner().equals(fi.owner)) {
          return new LdcInsnNode(Type.getObjectType(fi.owner));
        }
        return new LdcInsnNode(new ConstantDynamic(fi.name, "Ljava/lang/Class;", STATIC_HOLDER,
            Type.getObjectType(fi.owner)));
      }

      private ConstantDynamic varHandle(Handle bsm, FieldInsnNode fi) {
        Type ft = Type.getType(fi.desc);
        Object typeArg = ft.getSort() == Type.OBJECT || ft.getSort() == Type.ARRAY
            ? ft
            : new ConstantDynamic(fi.desc, "Ljava/lang/Class;", PRIMITIVE_CLASS);
        return new ConstantDynamic(fi.name, VH, bsm, Type.getObjectType(fi.owner), typeArg);
      }

      private void arrayLoad(InsnList insns, AbstractInsnNode n) {
        InsnList before = new InsnList();
        before.add(new InsnNode(Opcodes.DUP2));
        before.add(loadTx());
        before.add(barrier("beforeReadElement", "(Ljava/lang/Object;I" + TXN_DESC + ")V"));
        insns.insertBefore(n, before);
        insns.insert(n, afterRead());
      }

      private void arrayStore(InsnList insns, AbstractInsnNode n) {
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
        insns.insertBefore(n, loadTx());
        if (elem == null) {
          insns.set(n, new MethodInsnNode(Opcodes.INVOKESTATIC, RUNTIME, "writeByteOrBoolean",
              "(Ljava/lang/Object;II" + TXN_DESC + ")V", false));
        } else {
          insns.set(n, barrier("writeElement", "([" + elem + "I" + elem + TXN_DESC + ")V"));
        }
      }

      private void call(InsnList insns, MethodInsnNode mi) {
        if (mi.name.equals("<init>") || mi.owner.startsWith("[")) {
          return; // constructors run as they are (fresh object); array clone() is fresh
        }
        if (!instrumentable.test(mi.owner)) {
          if (!CallPolicy.isAllowed(mi.owner, mi.name, mi.desc)) {
            insns.insertBefore(mi, untracked(mi.owner + "." + mi.name));
          }
          return;
        }
        if (mi.getOpcode() == Opcodes.INVOKEINTERFACE) {
          return; // the implementation's prologue dispatches to its twin
        }
        Hierarchy.Member decl = hierarchy.resolveMethod(mi.owner, mi.name, mi.desc);
        if (decl == null && mi.getOpcode() == Opcodes.INVOKEVIRTUAL) {
          // Not in a superclass: maybe a default method reached through a class type.
          Hierarchy.Member viaItf = hierarchy.resolveInterfaceMethod(mi.owner, mi.name, mi.desc);
          if (viaItf != null && instrumentable.test(viaItf.owner())) {
            return; // as with invokeinterface: the selected method's original dispatches
          }
          if (viaItf != null) {
            decl = viaItf; // a JDK interface: allow-list or inevitable, below
          }
        }
        if (decl == null) {
          // Unknown, or inherited from a class outside the instrumented set.
          insns.insertBefore(mi, untracked(mi.owner + "." + mi.name));
          return;
        }
        if (!instrumentable.test(decl.owner())) {
          if (!CallPolicy.isAllowed(decl.owner(), mi.name, mi.desc)) {
            insns.insertBefore(mi, untracked(decl.owner() + "." + mi.name));
          }
          return;
        }
        if ((decl.access() & Opcodes.ACC_NATIVE) != 0) {
          insns.insertBefore(mi, untracked(decl.owner() + "." + mi.name + " (native)"));
          return;
        }
        if ((decl.access() & Opcodes.ACC_ABSTRACT) != 0) {
          return; // implementations have prologues
        }
        insns.insertBefore(mi, loadTx());
        mi.name = mi.name + SUFFIX;
        mi.desc = twinDesc(mi.desc);
      }

      private InsnList untracked(String target) {
        InsnList l = new InsnList();
        String where = cn.name.replace('/', '.') + "." + original.name
            + "(" + (cn.sourceFile != null ? cn.sourceFile : "?") + ":" + line + ")";
        l.add(new LdcInsnNode(where + " -> " + target.replace('/', '.')));
        l.add(loadTx());
        l.add(new MethodInsnNode(Opcodes.INVOKESTATIC, RUNTIME, "untracked",
            "(Ljava/lang/String;" + TXN_DESC + ")V", false));
        return l;
      }
    }
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
}
