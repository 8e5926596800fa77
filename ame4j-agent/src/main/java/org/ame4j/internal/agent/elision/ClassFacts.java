package org.ame4j.internal.agent.elision;

import org.ame4j.internal.agent.instr.analysis.Hierarchy;
import org.objectweb.asm.tree.ClassNode;

/**
 * What the barrier optimisations need to know of the class being rewritten; the twin rewriting
 * ({@code instr.ClassContext}) provides it. An interface of this package so that the
 * optimisations depend on the rewrite's analyses only, never on the rewrite itself.
 */
public interface ClassFacts {
  /** The class being rewritten. */
  ClassNode cn();

  /** The class hierarchy, read from class bytes. */
  Hierarchy hierarchy();

  /** True if barriers are elided ({@link BarrierElision}); false keeps every barrier. */
  boolean elide();

  /** The transformer's stable-field analysis. */
  StableFields stable();

  /** The class's incoming bytes (its stable fields are judged on them). */
  byte[] classfile();
}
