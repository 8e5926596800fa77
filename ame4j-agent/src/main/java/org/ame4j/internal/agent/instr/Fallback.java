package org.ame4j.internal.agent.instr;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * The form of a class the transformer cannot (or must not) instrument: correct, never silently
 * wrong (fail loudly: docs/semantics.md, "Under the agent"). Every method except {@code <clinit>} starts with a straight-line call to
 * {@code AgentRuntime.uninstrumented(site)}, which makes a transaction that reaches it
 * inevitable; and every method and constructor gets a <em>stub twin</em> that does the same and
 * calls the original. The stubs matter because instrumented callers call twins directly: a
 * subclass that fell back must still override its superclass's twin (virtual dispatch stays
 * right), and a call to a twin of this class must find one (no {@code NoSuchMethodError}).
 *
 * <p>No branch is added anywhere, so no frame is needed: this works for every class file
 * version, including those before 50 that have no frames at all.
 */
final class Fallback {
  private Fallback() {}

  /** The fallback form, or null if the class already has twins. */
  static byte[] apply(ClassReader reader, String reason) {
    ClassNode cn = new ClassNode();
    reader.accept(cn, 0);
    for (MethodNode m : cn.methods) {
      if (m.name.endsWith(TwinTransformer.SUFFIX)) {
        return null; // instrumented already (offline): it has real twins
      }
    }
    String cls = cn.name.replace('/', '.');
    boolean itf = (cn.access & Opcodes.ACC_INTERFACE) != 0;
    int n = cn.methods.size();
    for (int i = 0; i < n; i++) {
      MethodNode m = cn.methods.get(i);
      if (m.name.equals("<clinit>") || (m.access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0) {
        continue;
      }
      String site = cls + "." + m.name + " (not instrumented: " + reason + ")";
      m.instructions.insert(enter(site));
      cn.methods.add(stub(cn.name, itf, m, site));
    }
    ClassWriter cw = new TwinTransformer.NoLoadClassWriter(ClassWriter.COMPUTE_MAXS);
    cn.accept(cw);
    return cw.toByteArray();
  }

  private static InsnList enter(String site) {
    InsnList l = new InsnList();
    l.add(new LdcInsnNode(site));
    l.add(new MethodInsnNode(Opcodes.INVOKESTATIC, TwinTransformer.RUNTIME, "uninstrumented",
        "(Ljava/lang/String;)V", false));
    return l;
  }

  /** {@code m$ame(args…, Txn)} or {@code <init>(args…, Txn)}: go inevitable, call the original. */
  private static MethodNode stub(String owner, boolean itf, MethodNode m, String site) {
    boolean ctor = m.name.equals("<init>");
    boolean isStatic = (m.access & Opcodes.ACC_STATIC) != 0;
    MethodNode s = new MethodNode(Opcodes.ASM9,
        (m.access | Opcodes.ACC_SYNTHETIC) & ~(Opcodes.ACC_VARARGS | Opcodes.ACC_SYNCHRONIZED),
        ctor ? "<init>" : m.name + TwinTransformer.SUFFIX, TwinTransformer.twinDesc(m.name, m.desc), null,
        m.exceptions == null ? null : m.exceptions.toArray(new String[0]));
    InsnList l = s.instructions;
    l.add(enter(site));
    TwinTransformer.loadReceiverAndArguments(l, isStatic, m.desc);
    l.add(new MethodInsnNode(isStatic ? Opcodes.INVOKESTATIC : Opcodes.INVOKESPECIAL,
        owner, m.name, m.desc, itf));
    l.add(new InsnNode(Type.getReturnType(m.desc).getOpcode(Opcodes.IRETURN)));
    return s;
  }
}
