package org.ame4j.internal.agent;

import java.util.function.Predicate;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;

/**
 * What every rewrite of one class needs to know: the class, the include rule, the hierarchy, and
 * whether blind updates are deferred ({@link BlindUpdatePatterns}).
 */
record ClassContext(ClassNode cn, Predicate<String> instrumentable, Hierarchy hierarchy, boolean blindUpdates) {
  boolean isInterface() {
    return (cn.access & Opcodes.ACC_INTERFACE) != 0;
  }

  /** {@code pkg.Class.method(File.java:line)}: how statistics name a place in this class. */
  String site(String method, int line) {
    return cn.name.replace('/', '.') + "." + method
        + "(" + (cn.sourceFile != null ? cn.sourceFile : "?") + ":" + line + ")";
  }

  /** True if {@code owner} has (or will get) a twin constructor {@code <init>(A…, Txn)}. */
  boolean hasTwinConstructor(String owner, String desc) {
    if (!instrumentable.test(owner)) {
      return false;
    }
    Hierarchy.Member m = hierarchy.resolveMethod(owner, "<init>", desc);
    return m != null && m.owner().equals(owner);
  }
}
