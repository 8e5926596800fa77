package org.ame4j.internal.agent.instr;

import org.ame4j.internal.agent.instr.analysis.Hierarchy;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.commons.SerialVersionUIDAdder;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldNode;

/**
 * Keeps a serializable class's stream identity. Without a declared {@code serialVersionUID},
 * Java serialization computes one from the class's members (Java Object Serialization
 * Specification §4.6), and twins are members: an object written by the program without the agent
 * would no longer read with it, and vice versa. So the UID computed from the <em>original</em>
 * bytes is declared explicitly (ASM's {@link SerialVersionUIDAdder} implements §4.6).
 *
 * <p>Left alone: classes that declare one, interfaces, enums and records (their UID is fixed by
 * the specification: 0L, and they ignore the field anyway for matching), and classes known not
 * to be {@code Serializable}.
 */
final class SerialVersionUids {
  private SerialVersionUids() {}

  static void keep(ClassNode cn, ClassReader original, Hierarchy hierarchy) {
    if ((cn.access & (Opcodes.ACC_INTERFACE | Opcodes.ACC_ENUM)) != 0
        || "java/lang/Record".equals(cn.superName) || "java/lang/Enum".equals(cn.superName)) {
      return;
    }
    for (FieldNode f : cn.fields) {
      if (f.name.equals("serialVersionUID")) {
        return;
      }
    }
    if (!hierarchy.maybeSubtypeOf(cn.name, "java/io/Serializable")) {
      return;
    }
    long[] uid = {0};
    boolean[] computed = {false};
    original.accept(new SerialVersionUIDAdder(Opcodes.ASM9, new ClassVisitor(Opcodes.ASM9) {}) {
      @Override
      protected void addSVUID(long svuid) {
        uid[0] = svuid;
        computed[0] = true;
      }
    }, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    if (computed[0]) {
      cn.fields.add(new FieldNode(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC | Opcodes.ACC_FINAL
          | Opcodes.ACC_SYNTHETIC, "serialVersionUID", "J", null, uid[0]));
    }
  }
}
