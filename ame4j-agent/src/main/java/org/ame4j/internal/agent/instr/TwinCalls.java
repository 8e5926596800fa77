package org.ame4j.internal.agent.instr;

import org.ame4j.internal.agent.instr.analysis.Hierarchy;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * What a twin does at each call and {@code invokedynamic} (the table in DESIGN-NOTES.md):
 * call the callee's twin when it has one, call as is when the callee is tracked anyway (an
 * original with a prologue, an allow-listed pure JDK method, a JDK intrinsic), leave the
 * decision to the twin linker at run time ({@code rt.TwinLinker}) when the target is outside the
 * instrumented set, and otherwise make the transaction inevitable first.
 */
final class TwinCalls {
  private static final String LINKER = RuntimeContract.TWIN_LINKER;
  private static final Handle LINK = new Handle(Opcodes.H_INVOKESTATIC, LINKER, "link",
      "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;"
          + "ILjava/lang/Class;Ljava/lang/String;Ljava/lang/String;)Ljava/lang/invoke/CallSite;", false);

  private final TwinBody body;
  private final ClassContext ctx;

  TwinCalls(TwinBody body) {
    this.body = body;
    this.ctx = body.ctx;
  }

  void call(InsnList insns, MethodInsnNode mi) {
    if (mi.owner.startsWith("[")) {
      if (mi.name.equals("clone")) {
        // A copy read element by element through barriers (as is, it would read the source untracked).
        insns.insertBefore(mi, body.loadTx());
        insns.set(mi, new MethodInsnNode(Opcodes.INVOKESTATIC, Intrinsics.OWNER, "cloneArray",
            "(Ljava/lang/Object;" + TwinTransformer.TXN_DESC + ")Ljava/lang/Object;", false));
      }
      return;
    }
    String unsafe = ctx.target().redirectsUnsafe() ? Intrinsics.findUnsafe(mi) : null;
    if (unsafe != null) {
      insns.insertBefore(mi, body.loadTx());
      insns.set(mi, new MethodInsnNode(Opcodes.INVOKESTATIC, Intrinsics.UNSAFE_OWNER, mi.name, unsafe, false));
      return;
    }
    MethodInsnNode intrinsic = Intrinsics.find(mi);
    if (intrinsic != null) {
      insns.insertBefore(mi, body.loadTx());
      insns.set(mi, intrinsic);
      return;
    }
    if (mi.name.equals("<init>")) {
      constructor(insns, mi);
      return;
    }
    if (mi.owner.equals("java/lang/Object") && monitorMethod(insns, mi)) {
      return;
    }
    if (!ctx.instrumentable().test(mi.owner)) {
      String callback = CallPolicy.callbackOnArgument(mi.owner, mi.name, mi.desc);
      if (callback != null) {
        // String.valueOf(o) and friends: pure, except for the one method they call on o, which
        // runs through its twin when it has one (a patched JDK collection's toString).
        insns.insertBefore(mi, body.loadTx());
        insns.insertBefore(mi, new LdcInsnNode(siteOf(mi.owner + "." + mi.name)));
        insns.set(mi, objectMethodOf(callback));
        return;
      }
      untrackedOwner(insns, mi, mi.owner);
      return;
    }
    if (mi.getOpcode() == Opcodes.INVOKEINTERFACE) {
      if (ctx.target().twinsOnly()) {
        link(insns, mi); // JDK originals have no prologue: the linker finds the receiver's twin
      }
      return; // the implementation's prologue dispatches to its twin
    }
    Hierarchy.Member decl = ctx.hierarchy().resolveMethod(mi.owner, mi.name, mi.desc);
    if (decl == null && mi.getOpcode() == Opcodes.INVOKEVIRTUAL) {
      // Not in a superclass: maybe a default method reached through a class type.
      Hierarchy.Member viaItf = ctx.hierarchy().resolveInterfaceMethod(mi.owner, mi.name, mi.desc);
      if (viaItf != null && ctx.instrumentable().test(viaItf.owner())) {
        if (ctx.target().twinsOnly()) {
          link(insns, mi);
        }
        return; // as with invokeinterface: the selected method's original dispatches
      }
      if (viaItf != null) {
        untrackedOwner(insns, mi, viaItf.owner());
        return;
      }
    }
    if (decl == null) {
      // Unknown, or inherited from a class outside the instrumented set.
      insns.insertBefore(mi, untracked(mi.owner + "." + mi.name));
      return;
    }
    if (!ctx.instrumentable().test(decl.owner())) {
      untrackedOwner(insns, mi, decl.owner());
      return;
    }
    if ((decl.access() & Opcodes.ACC_NATIVE) != 0) {
      insns.insertBefore(mi, untracked(decl.owner() + "." + mi.name + " (native)"));
      return;
    }
    if ((decl.access() & Opcodes.ACC_ABSTRACT) != 0) {
      if (ctx.target().twinsOnly()) {
        link(insns, mi);
      }
      return; // implementations have prologues
    }
    if (ctx.target().overridesMayLackTwins() && mi.getOpcode() == Opcodes.INVOKEVIRTUAL
        && (decl.access() & (Opcodes.ACC_FINAL | Opcodes.ACC_PRIVATE)) == 0) {
      // A JDK subclass outside the patch may override it without a twin, and the twin of the
      // overridden method would then run instead of the override: the linker checks who declares
      // the selected method (same code as a direct twin call once linked, in the common case).
      link(insns, mi);
      return;
    }
    insns.insertBefore(mi, body.loadTx());
    mi.desc = TwinTransformer.twinDesc(mi.name, mi.desc);
    mi.name = mi.name + TwinTransformer.SUFFIX;
  }

  /**
   * A call whose static target is outside the instrumented set: as is if allow-listed; else
   * through the twin linker ({@link #link}), which decides per receiver; a signature-polymorphic
   * {@code MethodHandle}/{@code VarHandle} call, which no linker can target, is untracked.
   */
  private void untrackedOwner(InsnList insns, MethodInsnNode mi, String owner) {
    if (CallPolicy.isAllowed(owner, mi.name, mi.desc)) {
      return;
    }
    if (CallPolicy.isSignaturePolymorphic(mi.owner)) {
      insns.insertBefore(mi, untracked(owner + "." + mi.name));
      return;
    }
    link(insns, mi);
  }

  /**
   * The call becomes an {@code invokedynamic} linked by {@code rt.TwinLinker} when it first runs:
   * to the selected method's twin if it has one (a patched JDK class, an instrumented class),
   * else to the original, as is if tracked, else after making the transaction inevitable. Same
   * stack, plus the transaction on top.
   */
  private void link(InsnList insns, MethodInsnNode mi) {
    int kind = switch (mi.getOpcode()) {
      case Opcodes.INVOKESTATIC -> Opcodes.H_INVOKESTATIC;
      case Opcodes.INVOKESPECIAL -> Opcodes.H_INVOKESPECIAL;
      case Opcodes.INVOKEINTERFACE -> Opcodes.H_INVOKEINTERFACE;
      default -> Opcodes.H_INVOKEVIRTUAL;
    };
    String args = mi.desc.substring(1, mi.desc.indexOf(')'));
    String receiver = mi.getOpcode() == Opcodes.INVOKESTATIC ? "" : "L" + mi.owner + ";";
    String desc = "(" + receiver + args + TwinTransformer.TX_PARAM_DESC + mi.desc.substring(mi.desc.indexOf(')'));
    String site = siteOf(mi.owner + "." + mi.name);
    insns.insertBefore(mi, body.loadTx());
    insns.set(mi, new InvokeDynamicInsnNode(mi.name, desc, LINK, kind, Type.getObjectType(mi.owner), mi.desc, site));
  }

  /** Stores the top {@code args} into temporaries (last argument on top of the stack). */
  private int[] spill(InsnList l, Type[] args) {
    int[] slots = new int[args.length];
    int next = body.tmp;
    for (int i = 0; i < args.length; i++) {
      slots[i] = next;
      next += args[i].getSize();
    }
    for (int i = args.length - 1; i >= 0; i--) {
      l.add(new VarInsnNode(args[i].getOpcode(Opcodes.ISTORE), slots[i]));
    }
    return slots;
  }

  private static void reload(InsnList l, Type[] args, int[] slots) {
    for (int i = 0; i < args.length; i++) {
      l.add(new VarInsnNode(args[i].getOpcode(Opcodes.ILOAD), slots[i]));
    }
  }

  /** {@code new C(…)} of a fresh object: C's twin constructor, or the policy for JDK classes. */
  private void constructor(InsnList insns, MethodInsnNode mi) {
    if (STRINGS_FROM_CHARS && mi.owner.equals("java/lang/String") && mi.desc.equals("([CII)V")
        && ctx.target().namesTxn()) {
      stringFromChars(insns, mi);
    } else if (ctx.hasTwinConstructor(mi.owner, mi.desc)) {
      insns.insertBefore(mi, body.loadTx());
      mi.desc = TwinTransformer.twinDesc(mi.name, mi.desc);
    } else if (ctx.hasJdkTwinConstructor(mi.owner, mi.desc)) {
      body.jdkConstructor(insns, mi);
    } else if (!ctx.instrumentable().test(mi.owner) && !CallPolicy.isAllowedConstructor(mi.owner, mi.desc)) {
      insns.insertBefore(mi, untracked(mi.owner + ".<init>"));
    }
    // else: an instrumented class whose bytes are unknown here: its original dispatches.
  }

  /**
   * {@code -Dame4j.stringsFromChars=false}: {@code new String(char[], int, int)} in application
   * twins goes through the patch's twin constructor, as before (the A/B switch, issue 14).
   */
  static final boolean STRINGS_FROM_CHARS = !"false".equals(System.getProperty("ame4j.stringsFromChars"));

  /**
   * {@code [s, s, value, offset, count]}: the JDK's constructor as is, on
   * {@code StringFromChars.source(value, offset, count, tx)} at {@code StringFromChars.offset}
   * (straight-line, in the scratch slots: value, offset, count).
   */
  private void stringFromChars(InsnList insns, MethodInsnNode mi) {
    int value = body.tmp;
    int offset = body.tmp + 1;
    int count = body.tmp + 2;
    String owner = RuntimeContract.STRING_FROM_CHARS;
    InsnList l = new InsnList();
    l.add(new VarInsnNode(Opcodes.ISTORE, count));
    l.add(new VarInsnNode(Opcodes.ISTORE, offset));
    l.add(new VarInsnNode(Opcodes.ASTORE, value));
    l.add(new VarInsnNode(Opcodes.ALOAD, value));
    l.add(new VarInsnNode(Opcodes.ILOAD, offset));
    l.add(new VarInsnNode(Opcodes.ILOAD, count));
    l.add(body.loadTx());
    l.add(new MethodInsnNode(Opcodes.INVOKESTATIC, owner, "source", "([CII" + TwinTransformer.TXN_DESC + ")[C", false));
    l.add(new InsnNode(Opcodes.DUP));
    l.add(new VarInsnNode(Opcodes.ALOAD, value));
    l.add(new VarInsnNode(Opcodes.ILOAD, offset));
    l.add(new MethodInsnNode(Opcodes.INVOKESTATIC, owner, "offset", "([C[CI)I", false));
    l.add(new VarInsnNode(Opcodes.ILOAD, count));
    insns.insertBefore(mi, l);
  }

  /** {@code wait}/{@code notify}/{@code notifyAll}: the monitor policy of AgentRuntime. */
  private boolean monitorMethod(InsnList insns, MethodInsnNode mi) {
    switch (mi.name) {
      case "wait" -> {
        Type[] args = Type.getArgumentTypes(mi.desc);
        for (int i = args.length - 1; i >= 0; i--) {
          insns.insertBefore(mi, new InsnNode(args[i].getSize() == 2 ? Opcodes.POP2 : Opcodes.POP));
        }
        insns.insertBefore(mi, body.loadTx());
        insns.set(mi, new MethodInsnNode(Opcodes.INVOKESTATIC, TwinTransformer.RUNTIME,
            "waitInTransaction", "(Ljava/lang/Object;" + TwinTransformer.TXN_DESC + ")V", false));
        return true;
      }
      case "notify", "notifyAll" -> {
        insns.set(mi, new MethodInsnNode(Opcodes.INVOKESTATIC, TwinTransformer.RUNTIME,
            "notifyInTransaction", "(Ljava/lang/Object;)V", false));
        return true;
      }
      default -> {
        return false;
      }
    }
  }

  void invokeDynamic(InsnList insns, InvokeDynamicInsnNode indy) {
    String bsmOwner = indy.bsm.getOwner();
    switch (bsmOwner) {
      case "java/lang/invoke/LambdaMetafactory" -> {
        if (ctx.target().rewriteLambda(ctx, indy)) {
          return; // else untracked where it is called, not here
        }
        // Creating a lambda runs nothing; its implementation was made tracked by the class
        // rewrite (a trampoline), unless the rewrite had to leave it (then: inevitable here).
        if (indy.bsmArgs.length > 1 && indy.bsmArgs[1] instanceof Handle impl
            && !Trampolines.isTrackedAsIs(ctx, impl)) {
          insns.insertBefore(indy, untracked(impl.getOwner() + "::" + impl.getName()));
        }
      }
      case "java/lang/invoke/StringConcatFactory" -> stringConcat(insns, indy);
      case "java/lang/runtime/SwitchBootstraps" -> {
        // typeSwitch/enumSwitch: instanceof tests and enum constants, no state
      }
      case "java/lang/runtime/ObjectMethods" -> {
        if (!recordComponentsTracked(indy)) {
          insns.insertBefore(indy, untracked("record " + indy.name));
        }
      }
      default -> insns.insertBefore(indy, untracked(bsmOwner + "." + indy.bsm.getName()));
    }
  }

  /**
   * String concatenation calls {@code toString()} on its object arguments: checked per argument
   * like a virtual call, unless the static type is a value type or an instrumented class.
   */
  private void stringConcat(InsnList insns, InvokeDynamicInsnNode indy) {
    Type[] args = Type.getArgumentTypes(indy.desc);
    boolean any = false;
    for (Type a : args) {
      any |= needsToStringCheck(a);
    }
    if (!any) {
      return;
    }
    InsnList before = new InsnList();
    int[] slots = spill(before, args);
    String site = siteOf("toString in string concatenation");
    for (int i = 0; i < args.length; i++) {
      if (needsToStringCheck(args[i])) {
        // The concatenation would call String.valueOf on it: done here, through the twin linker,
        // and the concatenation gets the String (same text, same order, same null handling).
        before.add(new VarInsnNode(Opcodes.ALOAD, slots[i]));
        before.add(body.loadTx());
        before.add(new LdcInsnNode(site));
        before.add(objectMethodOf("toString"));
        before.add(new VarInsnNode(Opcodes.ASTORE, slots[i]));
        args[i] = Type.getType(String.class);
      }
    }
    reload(before, args, slots);
    insns.insertBefore(indy, before);
    indy.desc = Type.getMethodDescriptor(Type.getReturnType(indy.desc), args);
  }

  /** {@code [o, tx, site] -> [String|int]}: {@code TwinLinker.stringOf} or {@code hashOf}. */
  private static MethodInsnNode objectMethodOf(String method) {
    return method.equals("hashCode")
        ? new MethodInsnNode(Opcodes.INVOKESTATIC, LINKER, "hashOf", "(Ljava/lang/Object;Ljava/lang/Object;Ljava/lang/String;)I", false)
        : new MethodInsnNode(Opcodes.INVOKESTATIC, LINKER, "stringOf",
            "(Ljava/lang/Object;Ljava/lang/Object;Ljava/lang/String;)Ljava/lang/String;", false);
  }

  private String siteOf(String target) {
    return ctx.site(body.original.name, body.line) + " -> " + target.replace('/', '.');
  }

  private boolean needsToStringCheck(Type t) {
    if (t.getSort() == Type.ARRAY) {
      return false; // Object.toString of an array: type and identity hash
    }
    if (t.getSort() != Type.OBJECT) {
      return false;
    }
    String n = t.getInternalName();
    return !CallPolicy.isValueType(n) && !ctx.instrumentable().test(n);
  }

  /**
   * A record's equals/hashCode/toString read its final fields (no barrier needed) and call the
   * components' own methods: tracked when every component is a primitive, an array (identity
   * semantics), a value type or an instrumented class; anything else (a JDK collection, a
   * component typed {@code Object}) makes the call inevitable.
   */
  private boolean recordComponentsTracked(InvokeDynamicInsnNode indy) {
    for (int i = 2; i < indy.bsmArgs.length; i++) {
      if (!(indy.bsmArgs[i] instanceof Handle getter)) {
        return false;
      }
      Type t = Type.getType(getter.getDesc());
      if (t.getSort() == Type.OBJECT && (t.getInternalName().equals("java/lang/Object") || needsToStringCheck(t))) {
        return false;
      }
    }
    return true;
  }

  InsnList untracked(String target) {
    InsnList l = new InsnList();
    l.add(new LdcInsnNode(siteOf(target)));
    l.add(body.loadTx());
    l.add(new MethodInsnNode(Opcodes.INVOKESTATIC, TwinTransformer.RUNTIME, "untracked",
        "(Ljava/lang/String;" + TwinTransformer.TXN_DESC + ")V", false));
    return l;
  }
}
