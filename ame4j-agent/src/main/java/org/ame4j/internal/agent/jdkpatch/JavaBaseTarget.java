package org.ame4j.internal.agent.jdkpatch;

import java.util.function.Predicate;
import org.ame4j.internal.agent.instr.ClassContext;
import org.ame4j.internal.agent.instr.RecordFields;
import org.ame4j.internal.agent.instr.Target;
import org.ame4j.internal.agent.instr.TwinTransformer;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;

/**
 * The target of the java.base patch: JDK classes, twins only. Their originals stay byte for byte
 * as they were (JDK code outside transactions never meets a barrier), so calls the originals
 * would dispatch are linked instead; a JDK subclass outside the patch may override a method
 * without a twin; twins cannot name {@code Txn} (java.base does not read the class path), every
 * reference to ame4j is relocated through the bridge ({@link JdkPatchTransform}); a class that
 * cannot be twinned is left out of the patch, never given the fallback.
 */
public final class JavaBaseTarget implements Target {
  public static final JavaBaseTarget INSTANCE = new JavaBaseTarget();

  private JavaBaseTarget() {}

  @Override
  public boolean fallbackOnFailure() {
    return false;
  }

  @Override
  public void checkVersion(int major) {
    if (major < Opcodes.V11) {
      throw new IllegalStateException("JDK class file version " + major + " (the patch needs 55+)");
    }
  }

  @Override
  public boolean namesTxn() {
    return false;
  }

  @Override
  public boolean twinsOnly() {
    return true;
  }

  @Override
  public boolean overridesMayLackTwins() {
    return true;
  }

  @Override
  public void addRecordField(ClassNode cn) {
    if (RecordFields.isRoot(cn.name, cn.superName, cn.access)) {
      RecordFields.inject(cn);
    }
  }

  @Override
  public boolean objectWords() {
    return false;
  }

  @Override
  public boolean redirectsUnsafe() {
    return true;
  }

  @Override
  public Predicate<String> jdkTwinConstructors(Predicate<String> instrumentable, Predicate<String> patchInUse) {
    return instrumentable;
  }

  @Override
  public String twinConstructorDesc(String desc) {
    return TwinTransformer.jdkTwinConstructorDesc(desc);
  }

  @Override
  public boolean rewriteLambda(ClassContext ctx, InvokeDynamicInsnNode indy) {
    JdkLambdas.rewrite(ctx, indy);
    return true;
  }

  @Override
  public void finish(ClassNode cn) {
    JdkPatchTransform.relocate(cn);
  }

  @Override
  public String toString() {
    return "the java.base patch";
  }
}
