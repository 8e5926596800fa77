package org.ame4j.internal.agent.instr;

import java.util.HashMap;
import java.util.Map;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Keeps the final-field writes of old class files legal after the version is raised to 55.
 *
 * <p>Before class file version 53 (Java 9) a class may write its own final fields from any of its
 * methods; the Clojure compiler does (an AOT namespace's {@code __init} class sets its
 * {@code static final const__N} fields in {@code __init0()}, which {@code <clinit>} calls). From
 * version 53 on, {@code putfield} on a final field must occur in an {@code <init>} of the
 * declaring class and {@code putstatic} in its {@code <clinit>} (JVMS §6.5), else field
 * resolution throws {@code IllegalAccessError} when the instruction first runs: a run-time
 * error, which neither ASM's nor the JVM's verifier reports. The transformer raises every class
 * below 55 to 55 (ConstantDynamic), so such fields lose {@code ACC_FINAL}. Reads of them stay
 * barrier-free (the transformer decides that from the original bytes, where they are final),
 * as the original promised. Interface fields must stay final (JVMS §4.5); an interface never
 * writes them outside {@code <clinit>} in practice, and is left as it is.
 */
final class FinalFieldWrites {
  private FinalFieldWrites() {}

  /** Clears ACC_FINAL of own fields written outside their initializer; returns how many. */
  static int relax(ClassNode cn) {
    if ((cn.version & 0xFFFF) >= Opcodes.V9 || (cn.access & Opcodes.ACC_INTERFACE) != 0) {
      return 0;
    }
    Map<String, FieldNode> finals = new HashMap<>();
    for (FieldNode f : cn.fields) {
      if ((f.access & Opcodes.ACC_FINAL) != 0) {
        finals.put(f.name + ':' + f.desc, f);
      }
    }
    if (finals.isEmpty()) {
      return 0;
    }
    int relaxed = 0;
    for (MethodNode m : cn.methods) {
      for (AbstractInsnNode n : m.instructions) {
        if (!(n instanceof FieldInsnNode fi) || !fi.owner.equals(cn.name)) {
          continue;
        }
        boolean outside = fi.getOpcode() == Opcodes.PUTFIELD ? !m.name.equals("<init>")
            : fi.getOpcode() == Opcodes.PUTSTATIC && !m.name.equals("<clinit>");
        FieldNode f = outside ? finals.remove(fi.name + ':' + fi.desc) : null;
        if (f != null) {
          f.access &= ~Opcodes.ACC_FINAL;
          relaxed++;
        }
      }
    }
    return relaxed;
  }
}
