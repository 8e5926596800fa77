package org.ame4j.internal.agent.instr;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import org.ame4j.internal.agent.elision.BarrierElision;
import org.ame4j.internal.agent.elision.BlindUpdatePatterns;
import org.ame4j.internal.agent.elision.FreshArrayFields;
import org.ame4j.internal.agent.elision.StableFields;
import org.ame4j.internal.agent.instr.Instrumented.Outcome;
import org.ame4j.internal.agent.instr.analysis.Frames;
import org.ame4j.internal.agent.instr.analysis.Hierarchy;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodTooLargeException;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SourceInterpreter;
import org.objectweb.asm.tree.analysis.SourceValue;

/**
 * Turns a class file into its transactional form: every method {@code m(A…)R} keeps its body
 * and gains a <em>dispatch prologue</em>, and a synthetic <em>twin</em>
 * {@code m$ame(A…, Object tx)R} (the transaction typed {@code Object}, see {@link #twinDesc}; a
 * twin constructor {@code <init>(A…, Txn)}) holds the same body with every shared-memory access
 * routed through the engine's barriers (the owners in {@link RuntimeContract}). A plain library class: bytes in, bytes out,
 * testable without any agent (JaCoCo's {@code Instrumenter} split).
 *
 * <h2>Shapes</h2>
 * <pre>
 *   original m(args):  Txn t = Txn.active(); if (t != null) return this.m$ame(args, t);  // invokespecial/static: exactly this body
 *                      …original body…
 *   twin m$ame(args, Object tx'):  tx = (Txn) tx'  (moved to a fresh slot, see Frames)
 *     getfield C.f   -&gt; per site (TwinBody.siteRead): openRead (or openReadNoRecord, or
 *                    openReadRecord for a class under a java.base record field) returns the word;
 *                    getfield C.f stays at the site; closeRead re-checks and logs
 *     putfield C.f   -&gt; per site (TwinBody.siteWrite): openWrite (NoRecord / Record variants)
 *                    locks once and says whether to log; getfield old value; logX; putfield C.f
 *                    (without site barriers, i.e. java.base twins of classes with no record field
 *                    or -Dame4j.objectWords=false: dup; ldc id; aload tx;
 *                    beforeRead; getfield; aload tx; afterRead, and writeX(holder,id,VH,v,tx))
 *     getstatic      -&gt; ldc C; ldc id; aload tx; beforeReadStatic; getstatic; aload tx; afterRead
 *     putstatic      -&gt; writeStaticX(Class,id,VH,v,tx)
 *     xaload         -&gt; dup2 + beforeReadElement, xaload, afterReadElement (in a loop: dup2;
 *                    aload site; aload tx; beforeReadElementAt; astore site; …, see HoistedChecks)
 *     xastore        -&gt; aload tx; writeElement(array, index, value, tx) (in a loop: aload site;
 *                    aload tx; BornArrayWrites.writeElementAt; astore site, see HoistedChecks)
 *     call to a class with twins            -&gt; aload tx; invoke m$ame
 *     call to the JDK, not allow-listed     -&gt; ldc site; aload tx; AgentRuntime.untracked; the call
 *     invokeinterface, abstract or default target -&gt; as is (the selected method's prologue)
 * </pre>
 * Call targets are resolved from class bytes ({@link Hierarchy}); {@link CallPolicy} holds the
 * include rule and the allow-list, with the reasons for what is left off it.
 * The field id is {@code name.hashCode()} (the barriers' contract, see {@code FieldBarriers}). The {@code VarHandle} is a
 * {@code ConstantDynamic} from {@code ConstantBootstraps.fieldVarHandle}/{@code staticFieldVarHandle},
 * resolved once per call site with the instrumented class's own lookup, so it has exactly the
 * access the original {@code putfield} had (nestmate private fields included, JVMS §5.4.4).
 * Final fields (known from class bytes, see {@link Hierarchy}) are read without barriers, and
 * {@link BarrierElision} leaves some more accesses plain (stable private fields, locations the
 * transaction already holds, repeated reads in a basic block).
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
 * reaches the code inevitable, with the reason in the result (fail loudly).
 *
 * <h2>Constructors and initializers</h2>
 * A constructor {@code <init>(A…)} gets a twin constructor {@code <init>(A…, Txn)} (and the same
 * prologue): accesses to its own {@code this} skip barriers (the object is fresh; before the
 * super call they could not take one), and once the top-most instrumented constructor has run,
 * {@code this} is recorded as allocated by the transaction, so every later access in any twin
 * skips the barriers too (capture analysis). A {@code <clinit>} is not twinned: it runs outside
 * the transaction that triggers it ({@code AgentRuntime.enterInitializer}/{@code exitInitializer}
 * around the body, on every exit), as the JVM runs it once whoever triggers it.
 *
 * <p>The other pieces: {@link TwinBody} (one twin's instructions), {@link TwinCalls} (calls and
 * {@code invokedynamic}), {@link Trampolines} (method references to untracked code),
 * {@link Fallback} (classes that cannot be instrumented). Gaps: {@code ame4j-agent/DESIGN-NOTES.md}.
 */
public final class TwinTransformer {
  public static final String SUFFIX = "$ame";
  static final String TXN = RuntimeContract.TXN;
  public static final String TXN_DESC = RuntimeContract.TXN_DESC;
  /** The type of a method twin's transaction parameter (see {@link #twinDesc}). */
  static final String TX_PARAM_DESC = "Ljava/lang/Object;";
  /**
   * The last parameter of a JDK twin constructor {@code <init>(A…, Object tx, AmeBridge)}: JDK
   * classes cannot name {@code Txn}, and a type of our own keeps the descriptor from colliding
   * with a real constructor; callers pass null.
   */
  static final String JDK_CTOR_MARKER = "L" + RuntimeContract.JDK_BRIDGE + ";";
  public static final String RUNTIME = RuntimeContract.AGENT_RUNTIME;

  private final Predicate<String> instrumentable;
  private final Hierarchy hierarchy;
  private final Set<String> atomicAnnotations;
  private boolean blindUpdates = BlindUpdatePatterns.DEFAULT;
  private boolean holdElementAdds = BlindUpdatePatterns.HOLD_ELEMENTS;
  private boolean barrierElision = BarrierElision.DEFAULT;
  private boolean objectWords = ObjectWords.DEFAULT;
  private final StableFields stableFields;
  private final FreshArrayFields freshArrayFields;
  /** What kind of classes are twinned: application classes, or JDK classes for the java.base patch. */
  private Target target = Target.APPLICATION;
  /** JDK classes that have twins in the running JVM (the java.base patch is in use). */
  private Predicate<String> jdkPatched = n -> false;
  private boolean siteMarkers;

  /**
   * @param classBytes original class file bytes by internal name (a resource lookup on the
   *     defining loader), or null when unknown; used to resolve members without loading classes
   */
  public TwinTransformer(Function<String, byte[]> classBytes) {
    this(CallPolicy::isInstrumentable, classBytes);
  }

  public TwinTransformer(Predicate<String> instrumentable, Function<String, byte[]> classBytes) {
    this(instrumentable, classBytes, AtomicMethods.DEFAULT_ANNOTATIONS);
  }

  /**
   * @param atomicAnnotations annotation types (class names, e.g. {@code org.ame4j.Atomic}) whose
   *     methods become atomic blocks ({@link AtomicMethods})
   */
  public TwinTransformer(Predicate<String> instrumentable, Function<String, byte[]> classBytes,
      Set<String> atomicAnnotations) {
    this.instrumentable = instrumentable;
    this.hierarchy = new Hierarchy(classBytes);
    this.stableFields = new StableFields(classBytes == null ? n -> null : classBytes);
    this.freshArrayFields = new FreshArrayFields(stableFields);
    this.atomicAnnotations = Set.copyOf(atomicAnnotations);
  }

  /**
   * Turns the blind-update rewrite ({@code count++} as one read-for-write barrier, {@link
   * BlindUpdatePatterns}) on or off for classes transformed from now on. Default: on unless the
   * system property {@code ame4j.blindUpdates} is {@code false}.
   */
  public TwinTransformer blindUpdates(boolean on) {
    this.blindUpdates = on;
    return this;
  }

  /**
   * Whether application twins hold blind element adds to commit ({@code BlindAdds.addElementHeld})
   * instead of locking the element at the add, for classes transformed from now on. Default:
   * the system property {@code ame4j.blindElements.held} (off).
   */
  public TwinTransformer holdElementAdds(boolean on) {
    this.holdElementAdds = on;
    return this;
  }

  /**
   * Turns barrier elision ({@link BarrierElision}: stable private fields, locations already
   * held, repeated reads) on or off for classes transformed from now on. Default: on unless the
   * system property {@code ame4j.barrierElision} is {@code false}.
   */
  public TwinTransformer barrierElision(boolean on) {
    this.barrierElision = on;
    return this;
  }

  /**
   * Turns the objects' own ownership words ({@link ObjectWords}: classes extending Object get the
   * engine's {@code TxObject} as superclass) and the per-site field barriers ({@link TwinBody})
   * on or off for classes transformed from now on. Default: on unless the system property
   * {@code ame4j.objectWords} is {@code false} (then every field uses the striped table).
   */
  public TwinTransformer objectWords(boolean on) {
    this.objectWords = on;
    return this;
  }

  /**
   * Turns the conflict report's site markers ({@link TwinBody#marker}) on or off for classes
   * transformed from now on. Only for classes loaded in this JVM (the ids are this JVM's): the
   * load-time agent turns them on when {@code -Dame4j.report=true}; offline instrumentation and
   * the java.base patch never do. Default: off.
   */
  public TwinTransformer siteMarkers(boolean on) {
    this.siteMarkers = on;
    return this;
  }

  /**
   * Sets the kind of classes twinned from now on ({@link Target}): {@link Target#APPLICATION}
   * (the default), or the java.base patch's target (twins only, no prologues, no initializer
   * wrapping, no trampolines; a class that cannot be twinned is left out of the patch,
   * {@link Outcome#NO_FALLBACK}, never given the fallback).
   */
  public TwinTransformer target(Target target) {
    this.target = Objects.requireNonNull(target, "target");
    return this;
  }

  /**
   * Lets package-private array fields be proven fresh-only over their whole package
   * ({@link FreshArrayFields#packageScope}): {@code classes} lists every class of a package by
   * the package's internal name. Only for packages nothing outside the list can join (java.base's).
   */
  public TwinTransformer packageScope(Function<String, java.util.List<String>> classes) {
    freshArrayFields.packageScope(classes);
    return this;
  }

  /**
   * Tells the transformer which JDK classes have twins (the patch in use, known at load time
   * only): a twin constructs them through their twin constructors. Default: none (offline
   * instrumentation makes no assumption about the JVM that will run the classes).
   */
  public TwinTransformer jdkPatched(Predicate<String> patched) {
    this.jdkPatched = patched;
    return this;
  }

  /** The annotation types recognised by default: {@code org.ame4j.Atomic}, {@code org.deuce.Atomic}. */
  public static Set<String> defaultAtomicAnnotations() {
    return AtomicMethods.DEFAULT_ANNOTATIONS;
  }

  /** True if classes of this internal name are transformed (and calls to them go to twins). */
  public boolean isInstrumentable(String internalName) {
    return instrumentable.test(internalName);
  }

  /** The class file of {@link #instrument}, or null if the class stays as it is. */
  public byte[] transform(byte[] classfile) {
    return instrument(classfile).bytes();
  }

  /**
   * The instrumented class, or why it stays as it is (already instrumented, a module
   * descriptor, or excluded and safe to leave: {@link Outcome#UNCHANGED}). Never throws for a
   * class it can read (a rewrite that fails gives the fallback, with the reason); throws
   * {@link IllegalArgumentException} for bytes it cannot read at all. An excluded class that
   * extends an instrumented one gets the fallback instead: instrumented callers call its
   * superclass's twins, which it must override (see {@link Fallback}).
   */
  public Instrumented instrument(byte[] classfile) {
    ClassReader reader;
    String name;
    try {
      reader = new ClassReader(classfile);
      name = reader.getClassName();
    } catch (RuntimeException e) {
      // Malformed, or newer than this ASM: nothing can be rewritten, not even the fallback.
      // The caller (the agent) reports it by name and leaves it to the JVM; instrumented code
      // that calls into it finds no class bytes and goes inevitable.
      throw new IllegalArgumentException("not a class file this agent can read: " + e, e);
    }
    if ((reader.getAccess() & Opcodes.ACC_MODULE) != 0) {
      return Instrumented.of(Outcome.UNCHANGED);
    }
    try {
      return rewrite(reader, name, classfile);
    } catch (RuntimeException | LinkageError | AnalyzerException e) {
      if (!target.fallbackOnFailure()) {
        return new Instrumented(Outcome.NO_FALLBACK, null, e.toString());
      }
      return fallback(reader, e.toString());
    }
  }

  private Instrumented rewrite(ClassReader reader, String name, byte[] classfile) throws AnalyzerException {
    if (!instrumentable.test(name)) {
      String sup = reader.getSuperName();
      if (sup != null && instrumentable.test(sup) && (reader.getAccess() & Opcodes.ACC_INTERFACE) == 0) {
        return fallback(reader, "excluded, but extends the instrumented " + sup.replace('/', '.'));
      }
      return Instrumented.of(Outcome.UNCHANGED);
    }
    ClassNode cn = new ClassNode();
    reader.accept(cn, ClassReader.EXPAND_FRAMES);
    for (MethodNode m : cn.methods) {
      if (m.name.endsWith(SUFFIX) || isTwinConstructor(m)) {
        return Instrumented.of(Outcome.UNCHANGED); // already instrumented (offline, or twice through a chain of agents)
      }
    }
    int major = cn.version & 0xFFFF;
    if (major < Opcodes.V1_7) {
      return fallback(reader, "class file version " + major + " may lack stack map frames");
    }
    target.checkVersion(major);
    hierarchy.add(name, classfile);
    // A method whose rewritten code exceeds the JVM's 64 KB limit (JVMS §4.7.3; huge table
    // initializers, where every xastore becomes a barrier call) is rewritten again without
    // barriers: its twin is the original body after an inevitable call (or, for the original,
    // that call replaces the prologue). Every member the class would have still exists.
    Set<String> tooLarge = new HashSet<>();
    while (true) {
      if (major < Opcodes.V11) {
        FinalFieldWrites.relax(cn); // legal before version 53 only
        cn.version = Opcodes.V11; // for ConstantDynamic (JVMS §4.4.13)
      }
      SerialVersionUids.keep(cn, reader, hierarchy);
      target.addRecordField(cn); // after keep: the stream class identity stays the JDK's
      boolean words = objectWords && target.objectWords();
      if (words) {
        ObjectWords.inject(cn);
      }
      ClassContext ctx = new ClassContext(cn, instrumentable, hierarchy, blindUpdates, target,
          target.jdkTwinConstructors(instrumentable, jdkPatched), barrierElision, stableFields, classfile, words,
          siteMarkers && target.namesTxn(), holdElementAdds, freshArrayFields);
      new ClassRewrite(ctx, atomicAnnotations, tooLarge).run();
      target.finish(cn);
      ClassWriter cw = new NoLoadClassWriter(ClassWriter.COMPUTE_MAXS);
      cn.accept(cw);
      try {
        return new Instrumented(Outcome.INSTRUMENTED, cw.toByteArray(), null);
      } catch (MethodTooLargeException e) {
        if (e.getMethodName().equals("<clinit>") || !tooLarge.add(e.getMethodName() + e.getDescriptor())) {
          throw e;
        }
        cn = new ClassNode();
        reader.accept(cn, ClassReader.EXPAND_FRAMES);
      }
    }
  }

  private static Instrumented fallback(ClassReader reader, String reason) {
    try {
      byte[] out = Fallback.apply(reader, reason);
      return out == null ? Instrumented.of(Outcome.UNCHANGED) : new Instrumented(Outcome.FALLBACK, out, reason);
    } catch (RuntimeException e) {
      return new Instrumented(Outcome.NO_FALLBACK, null, reason + ", nor add the inevitable fallback (" + e + ")");
    }
  }

  private static boolean isTwinConstructor(MethodNode m) {
    return m.name.equals("<init>") && m.desc.contains(TXN_DESC + ")");
  }

  /** A writer that never loads classes: with COMPUTE_MAXS it is never asked, this is a guard. */
  static final class NoLoadClassWriter extends ClassWriter {
    NoLoadClassWriter(int flags) {
      super(flags);
    }

    @Override
    protected String getCommonSuperClass(String type1, String type2) {
      throw new IllegalStateException("frames must not be computed here: " + type1 + ", " + type2);
    }
  }

  /**
   * Pushes {@code this} (unless static) and every argument of a method of descriptor
   * {@code desc}; returns the number of local slots they occupy (a generated method's
   * {@code maxLocals}, which the rewrite reads before the writer recomputes it).
   */
  public static int loadReceiverAndArguments(InsnList l, boolean isStatic, String desc) {
    int slot = 0;
    if (!isStatic) {
      l.add(new VarInsnNode(Opcodes.ALOAD, 0));
      slot = 1;
    }
    for (Type a : Type.getArgumentTypes(desc)) {
      l.add(new VarInsnNode(a.getOpcode(Opcodes.ILOAD), slot));
      slot += a.getSize();
    }
    return slot;
  }

  /**
   * The descriptor of the twin of method {@code name desc}. A method twin takes the transaction as
   * {@code Object}: the JDK's twins (the java.base patch) cannot name {@code Txn}, an application
   * class, and a twin must keep overriding the twin it overrides across that boundary (a user
   * {@code List} implementation's {@code add$ame} overrides {@code List.add$ame}). A twin
   * <em>constructor</em> keeps {@code Txn}: constructors cannot be renamed, and the distinct type
   * keeps {@code <init>(A…, Txn)} from colliding with a real constructor {@code <init>(A…, Object)}.
   */
  public static String twinDesc(String name, String desc) {
    int close = desc.indexOf(')');
    return desc.substring(0, close) + (name.equals("<init>") ? TXN_DESC : TX_PARAM_DESC)
        + desc.substring(close);
  }

  /** The twin constructor of a patched JDK class: {@code <init>(A…, Object, AmeBridge)}. */
  public static String jdkTwinConstructorDesc(String desc) {
    int close = desc.indexOf(')');
    return desc.substring(0, close) + TX_PARAM_DESC + JDK_CTOR_MARKER + desc.substring(close);
  }

  /** The rewrite of one class: trampolines, then twins (from untouched bodies), then prologues. */
  private static final class ClassRewrite {
    private final ClassContext ctx;
    private final ClassNode cn;
    private final Set<String> atomicAnnotations;
    /** name + descriptor of the methods (originals or twins) found too large when rewritten. */
    private final Set<String> tooLarge;

    ClassRewrite(ClassContext ctx, Set<String> atomicAnnotations, Set<String> tooLarge) {
      this.ctx = ctx;
      this.cn = ctx.cn();
      this.atomicAnnotations = atomicAnnotations;
      this.tooLarge = tooLarge;
    }

    void run() throws AnalyzerException {
      if (ctx.target().twinsOnly()) {
        runTwinsOnly();
        return;
      }
      Trampolines.add(ctx);
      List<MethodNode> twins = new ArrayList<>();
      for (MethodNode m : new ArrayList<>(cn.methods)) {
        if ((m.access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0) {
          continue;
        }
        if (m.name.equals("<clinit>")) {
          outsideTransactions(m);
          continue;
        }
        if (AtomicMethods.isAtomic(m, atomicAnnotations)) {
          twins.addAll(AtomicMethods.rewrite(ctx, m, twin(m)));
          continue;
        }
        twins.add(twin(m));
        if (tooLarge.contains(m.name + m.desc)) {
          // No room for the prologue: the original goes inevitable inside a transaction instead.
          InsnList enter = new InsnList();
          enter.add(new LdcInsnNode(ctx.site(m.name, -1) + " (no prologue: method too large)"));
          enter.add(new MethodInsnNode(Opcodes.INVOKESTATIC, RUNTIME, "uninstrumented",
              "(Ljava/lang/String;)V", false));
          m.instructions.insert(enter);
        } else {
          if (SynchronizedOriginals.isSynchronized(m) && !ctx.isInterface()) {
            SynchronizedOriginals.takeMonitorInBody(cn, m); // the prologue dispatches first
          }
          addPrologue(m);
        }
      }
      cn.methods.addAll(twins);
      DynamicConstants.resolveAtInitialization(cn, ctx.isInterface());
    }

    /**
     * A JDK class: a twin for every concrete method and constructor but the initializer, and
     * nothing else (twin constructors: {@link #jdkTwinConstructorDesc}). Its originals stay byte for byte as they were: JDK code outside transactions
     * (the engine's own, class loading, the JVM's startup) never meets a barrier or the engine.
     * The dynamic constants' resolver is added but not called by the initializer (these classes
     * initialize before the agent exists); the agent calls it when it starts.
     */
    private void runTwinsOnly() throws AnalyzerException {
      List<MethodNode> twins = new ArrayList<>();
      for (MethodNode m : new ArrayList<>(cn.methods)) {
        if ((m.access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0 || m.name.equals("<clinit>")) {
          continue;
        }
        twins.add(twin(m));
      }
      cn.methods.addAll(twins);
      DynamicConstants.addResolver(cn, ctx.isInterface());
    }

    // ---- <clinit> ---------------------------------------------------------------------

    /**
     * {@code int s = enterInitializer(); try { body } finally { exitInitializer(s); }}, with
     * the exit before every return and in a catch-all handler appended last (so the body's own
     * handlers keep precedence). The int lives in slot maxLocals, appended to every frame.
     */
    private void outsideTransactions(MethodNode m) {
      int slot = m.maxLocals;
      InsnList insns = m.instructions;
      Frames.addLocalToAll(insns, slot, Opcodes.INTEGER, m.name);
      for (AbstractInsnNode n : insns.toArray()) {
        if (n.getOpcode() == Opcodes.RETURN) {
          insns.insertBefore(n, exitInitializer(slot));
        }
      }
      LabelNode start = new LabelNode();
      LabelNode end = new LabelNode();
      LabelNode handler = new LabelNode();
      InsnList head = new InsnList();
      head.add(new MethodInsnNode(Opcodes.INVOKESTATIC, RUNTIME, "enterInitializer", "()I", false));
      head.add(new VarInsnNode(Opcodes.ISTORE, slot));
      head.add(start);
      insns.insert(head);
      insns.add(end);
      insns.add(handler);
      insns.add(Frames.full(Frames.withLocal(List.of(), slot, Opcodes.INTEGER, m.name),
          List.of("java/lang/Throwable")));
      insns.add(exitInitializer(slot));
      insns.add(new InsnNode(Opcodes.ATHROW));
      m.tryCatchBlocks.add(new TryCatchBlockNode(start, end, handler, null));
    }

    private static InsnList exitInitializer(int slot) {
      InsnList l = new InsnList();
      l.add(new VarInsnNode(Opcodes.ILOAD, slot));
      l.add(new MethodInsnNode(Opcodes.INVOKESTATIC, RUNTIME, "exitInitializer", "(I)V", false));
      return l;
    }

    // ---- the prologue -------------------------------------------------------------------

    /**
     * {@code Txn t = Txn.active(); if (t != null) return this.m$ame(args…, t);} with
     * invokespecial (exactly this body's twin) or invokestatic; for a constructor
     * {@code this.<init>(args…, t); return;}.
     */
    private void addPrologue(MethodNode m) {
      boolean isStatic = (m.access & Opcodes.ACC_STATIC) != 0;
      boolean ctor = m.name.equals("<init>");
      int t = m.maxLocals;
      InsnList p = new InsnList();
      p.add(new MethodInsnNode(Opcodes.INVOKESTATIC, TXN, "active", "()" + TXN_DESC, false));
      p.add(new VarInsnNode(Opcodes.ASTORE, t));
      p.add(new VarInsnNode(Opcodes.ALOAD, t));
      LabelNode body = new LabelNode();
      p.add(new JumpInsnNode(Opcodes.IFNULL, body));
      loadReceiverAndArguments(p, isStatic, m.desc);
      p.add(new VarInsnNode(Opcodes.ALOAD, t));
      p.add(new MethodInsnNode(isStatic ? Opcodes.INVOKESTATIC : Opcodes.INVOKESPECIAL,
          cn.name, ctor ? m.name : m.name + SUFFIX, twinDesc(m.name, m.desc), ctx.isInterface()));
      p.add(new InsnNode(Type.getReturnType(m.desc).getOpcode(Opcodes.IRETURN)));
      p.add(body);
      if (!Frames.startsWithFrame(m.instructions)) {
        p.add(Frames.full(Frames.initialLocals(cn.name, m.access, m.name, m.desc), List.of()));
      }
      m.instructions.insert(p);
    }

    // ---- the twin -----------------------------------------------------------------------

    private MethodNode twin(MethodNode m) throws AnalyzerException {
      boolean ctor = m.name.equals("<init>");
      String[] exceptions = m.exceptions == null ? null : m.exceptions.toArray(new String[0]);
      MethodNode t = new MethodNode(Opcodes.ASM9,
          (m.access | Opcodes.ACC_SYNTHETIC) & ~(Opcodes.ACC_VARARGS | Opcodes.ACC_SYNCHRONIZED),
          ctor ? m.name : m.name + SUFFIX,
          ctor ? ctx.target().twinConstructorDesc(m.desc) : twinDesc(m.name, m.desc), null, exceptions);
      Map<LabelNode, LabelNode> labels = new HashMap<>();
      for (AbstractInsnNode n : m.instructions) {
        if (n instanceof LabelNode l) {
          labels.put(l, new LabelNode());
        }
      }
      AbstractInsnNode[] originals = m.instructions.toArray();
      AbstractInsnNode[] copies = new AbstractInsnNode[originals.length];
      for (int i = 0; i < originals.length; i++) {
        copies[i] = originals[i].clone(labels);
        t.instructions.add(copies[i]);
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
      Set<AbstractInsnNode> thisAccesses = new HashSet<>();
      AbstractInsnNode superInit = null;
      if (ctor) {
        superInit = analyseConstructor(m, originals, copies, thisAccesses);
      }
      if (tooLarge.contains(t.name + t.desc)) {
        new TwinBody(ctx, m, t, Set.of(), null).rewriteWithoutBarriers();
        return t;
      }
      new TwinBody(ctx, m, t, thisAccesses, superInit).rewrite();
      return t;
    }

    /**
     * Finds, in a constructor, the field instructions on its own {@code this} and the
     * {@code super(…)}/{@code this(…)} call (the {@code invokespecial <init>} whose receiver is
     * {@code this}); reported as the corresponding instructions of the twin's copy. Uses ASM's
     * {@link SourceInterpreter}, which needs no class hierarchy. Slot 0 holds {@code this} only
     * if the body never stores into it.
     */
    private AbstractInsnNode analyseConstructor(MethodNode m, AbstractInsnNode[] originals,
        AbstractInsnNode[] copies, Set<AbstractInsnNode> thisAccesses) throws AnalyzerException {
      for (AbstractInsnNode n : originals) {
        if (n instanceof VarInsnNode v && v.var == 0 && v.getOpcode() == Opcodes.ASTORE) {
          throw new IllegalStateException("constructor " + cn.name + m.desc + " reassigns slot 0");
        }
      }
      Frame<SourceValue>[] frames = new Analyzer<>(new SourceInterpreter()).analyze(cn.name, m);
      AbstractInsnNode superInit = null;
      for (int i = 0; i < originals.length; i++) {
        Frame<SourceValue> f = frames[i];
        if (f == null) {
          continue; // unreachable
        }
        AbstractInsnNode n = originals[i];
        if (n instanceof FieldInsnNode fi && (fi.getOpcode() == Opcodes.GETFIELD || fi.getOpcode() == Opcodes.PUTFIELD)) {
          int depth = fi.getOpcode() == Opcodes.GETFIELD ? 1 : 2;
          if (Frames.isThis(f.getStack(f.getStackSize() - depth))) {
            thisAccesses.add(copies[i]);
          }
        } else if (n instanceof MethodInsnNode mi && mi.getOpcode() == Opcodes.INVOKESPECIAL
            && mi.name.equals("<init>") && superInit == null) {
          int args = Type.getArgumentTypes(mi.desc).length;
          if (Frames.isThis(f.getStack(f.getStackSize() - 1 - args))) {
            superInit = copies[i];
          }
        }
      }
      return superInit;
    }

  }
}
