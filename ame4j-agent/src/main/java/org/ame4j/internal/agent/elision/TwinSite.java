package org.ame4j.internal.agent.elision;

import org.ame4j.internal.agent.instr.analysis.Hierarchy;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * The twin being rewritten, as the barrier optimisations see it: its class, its method before
 * and after, the local slots free for temporaries, and the emitters of the barrier calls the
 * optimisations put in place of plain accesses. The twin rewriting ({@code instr.TwinBody})
 * implements it; the emitted names stay the rewrite's (its {@code RuntimeContract}).
 */
public interface TwinSite {
  ClassFacts context();

  /** The method the twin is made from. */
  MethodNode original();

  /** The twin under construction. */
  MethodNode twin();

  /** The first local slot free for the optimisations' temporaries. */
  int firstTemp();

  /** Pushes the transaction. */
  AbstractInsnNode loadTx();

  /**
   * A call to the blind-update barrier {@code name} (the engine's {@code BlindAdds}) taking
   * {@code args}, then the transaction, and returning {@code ret} (descriptors).
   */
  MethodInsnNode blindAddCall(String name, String args, String ret);

  /** The blind addition to static field {@code put} through blind-update barrier {@code method}. */
  InsnList blindStaticAdd(FieldInsnNode put, Hierarchy.Member decl, String method, String valueDesc);

  /**
   * The conflict report's site marker for the access {@code at} (touching {@code what}: a field
   * {@code Owner.name} or an array type {@code int[]}), to put before the access's barrier; empty
   * when the report is off.
   */
  InsnList marker(AbstractInsnNode at, String what);

  /** The blind addition {@code [array, index, delta] -> []} to an element of type {@code t}. */
  InsnList blindElementAdd(Type t);

  /**
   * A load of instance field {@code get} whose value is dropped ({@code [holder] -> [holder]}):
   * the holder's null check where the program has it, in front of an operand that may throw
   * (JLS 15.26.2). Not a data read: no barrier.
   */
  InsnList targetCheck(FieldInsnNode get);

  /** The blind addition to instance field {@code put} through blind-update barrier {@code method}. */
  InsnList blindFieldAdd(FieldInsnNode put, Hierarchy.Member decl, String method, String valueDesc);
}
