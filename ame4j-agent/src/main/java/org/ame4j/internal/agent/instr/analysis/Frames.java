package org.ame4j.internal.agent.instr.analysis;

import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.SourceInterpreter;
import org.objectweb.asm.tree.analysis.SourceValue;

/**
 * Edits of existing stack map frames (JVMS §4.7.4). The transformer never <em>computes</em> a
 * frame (that needs the class hierarchy, see {@link TwinTransformer}); it only writes frames it
 * knows exactly (a method's initial frame) and appends one known local to frames it was given.
 */
public final class Frames {
  private Frames() {}

  /** The verification type of a value of type {@code t}, as ASM's frame nodes spell it. */
  public static Object type(Type t) {
    switch (t.getSort()) {
      case Type.BOOLEAN, Type.BYTE, Type.CHAR, Type.SHORT, Type.INT:
        return Opcodes.INTEGER;
      case Type.FLOAT:
        return Opcodes.FLOAT;
      case Type.LONG:
        return Opcodes.LONG;
      case Type.DOUBLE:
        return Opcodes.DOUBLE;
      default:
        return t.getInternalName(); // arrays: their descriptor, as frames want
    }
  }

  /**
   * The implicit frame at a method's entry (JVMS §4.10.1.6): {@code this} (uninitialized in a
   * constructor) and the arguments.
   */
  public static List<Object> initialLocals(String owner, int access, String name, String desc) {
    List<Object> locals = new ArrayList<>();
    if ((access & Opcodes.ACC_STATIC) == 0) {
      locals.add(name.equals("<init>") ? Opcodes.UNINITIALIZED_THIS : owner);
    }
    for (Type a : Type.getArgumentTypes(desc)) {
      locals.add(type(a));
    }
    return locals;
  }

  /** {@code locals} (expanded form) padded with TOP up to {@code slot}, then {@code type} there. */
  public static List<Object> withLocal(List<Object> locals, int slot, Object type, String where) {
    List<Object> out = new ArrayList<>(locals == null ? List.of() : locals);
    int slots = 0;
    for (Object o : out) {
      slots += (o == Opcodes.LONG || o == Opcodes.DOUBLE) ? 2 : 1;
    }
    if (slots > slot) {
      throw new IllegalStateException("frame wider than max_locals in " + where);
    }
    for (; slots < slot; slots++) {
      out.add(Opcodes.TOP);
    }
    out.add(type);
    return out;
  }

  /** Appends {@code type} at {@code slot} to every frame of {@code insns}. */
  public static void addLocalToAll(InsnList insns, int slot, Object type, String where) {
    for (AbstractInsnNode n : insns) {
      if (n instanceof FrameNode f) {
        f.local = withLocal(f.local, slot, type, where);
      }
    }
  }

  /** True if a frame precedes the first real instruction (two frames at one offset are illegal). */
  public static boolean startsWithFrame(InsnList insns) {
    for (AbstractInsnNode n = insns.getFirst(); n != null && n.getOpcode() < 0; n = n.getNext()) {
      if (n instanceof FrameNode) {
        return true;
      }
    }
    return false;
  }

  public static FrameNode full(List<Object> locals, List<Object> stack) {
    return new FrameNode(Opcodes.F_NEW, locals.size(), locals.toArray(), stack.size(), stack.toArray());
  }

  /**
   * True if {@code v} (a {@link SourceInterpreter} value) can only be slot 0 loaded as is: a
   * constructor's own {@code this}, when the constructor never stores to slot 0.
   */
  public static boolean isThis(SourceValue v) {
    if (v.insns.isEmpty()) {
      return false;
    }
    for (AbstractInsnNode src : v.insns) {
      if (!(src instanceof VarInsnNode load && load.getOpcode() == Opcodes.ALOAD && load.var == 0)) {
        return false;
      }
    }
    return true;
  }
}
