package org.ame4j.internal.agent.instr;

import java.util.function.Predicate;
import org.ame4j.internal.agent.elision.ClassFacts;
import org.ame4j.internal.agent.elision.FreshArrayFields;
import org.ame4j.internal.agent.elision.StableFields;
import org.ame4j.internal.agent.instr.analysis.Hierarchy;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;

/**
 * What every rewrite of one class needs to know: the class, the include rule, the hierarchy,
 * whether blind updates are rewritten ({@code BlindUpdatePatterns}), the kind of class twinned
 * ({@link Target}: an application class, or a JDK class for the java.base patch), and whether barriers are elided ({@code elide}:
 * {@link BarrierElision}, with the transformer's {@link StableFields} and the class's incoming
 * bytes {@code classfile}), and whether instance fields get the per-site barriers of objects with
 * their own word ({@code siteBarriers}: {@link ObjectWords}, {@link TwinBody}), and whether the
 * conflict report's site markers are emitted ({@code siteMarkers}: load time with the report on
 * only, {@link TwinBody#marker}), and whether blind element adds are held to commit
 * ({@code holdElementAdds}, {@link TwinBody#blindElementAdd}), and the transformer's fresh-array
 * field analysis ({@code freshArrays}, {@link OwnedArraySites}).
 */
public record ClassContext(ClassNode cn, Predicate<String> instrumentable, Hierarchy hierarchy, boolean blindUpdates,
    Target target, Predicate<String> jdkPatched, boolean elide, StableFields stable, byte[] classfile,
    boolean siteBarriers, boolean siteMarkers, boolean holdElementAdds, FreshArrayFields freshArrays)
    implements ClassFacts {
  /** The verification type of a twin's transaction local: {@code Txn}, or {@code Object} in the JDK. */
  String txLocalType() {
    return target.namesTxn() ? TwinTransformer.TXN : "java/lang/Object";
  }

  public boolean isInterface() {
    return (cn.access & Opcodes.ACC_INTERFACE) != 0;
  }

  /** {@code pkg.Class.method(File.java:line)}: how statistics name a place in this class. */
  String site(String method, int line) {
    return cn.name.replace('/', '.') + "." + method
        + "(" + (cn.sourceFile != null ? cn.sourceFile : "?") + ":" + line + ")";
  }

  /** True if {@code owner} has (or will get) a twin constructor {@code <init>(A…, Txn)}. */
  boolean hasTwinConstructor(String owner, String desc) {
    if (!target.namesTxn() || !instrumentable.test(owner)) {
      return false;
    }
    return declaresConstructor(owner, desc);
  }

  /**
   * True if {@code owner} is a JDK class of the java.base patch in use, with a twin constructor
   * {@code <init>(A…, Object, AmeBridge)} for {@code desc}.
   */
  boolean hasJdkTwinConstructor(String owner, String desc) {
    return jdkPatched.test(owner) && declaresConstructor(owner, desc);
  }

  private boolean declaresConstructor(String owner, String desc) {
    Hierarchy.Member m = hierarchy.resolveMethod(owner, "<init>", desc);
    return m != null && m.owner().equals(owner);
  }
}
