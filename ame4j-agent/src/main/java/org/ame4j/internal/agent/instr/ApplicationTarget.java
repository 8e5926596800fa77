package org.ame4j.internal.agent.instr;

import java.util.function.Predicate;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;

/**
 * {@link Target#APPLICATION}: classes whose loader sees the engine. Every method gets a twin and
 * a prologue that dispatches to it inside a transaction, so the originals dispatch virtual calls;
 * a class that cannot be rewritten gets the inevitable fallback.
 */
final class ApplicationTarget implements Target {
  @Override
  public boolean fallbackOnFailure() {
    return true;
  }

  @Override
  public void checkVersion(int major) {
    // Any version: older class files are raised to 55 by the rewrite (TwinTransformer).
  }

  @Override
  public boolean namesTxn() {
    return true;
  }

  @Override
  public boolean twinsOnly() {
    return false;
  }

  @Override
  public boolean overridesMayLackTwins() {
    return false; // an excluded subclass of an instrumented class gets the fallback's twins
  }

  @Override
  public void addRecordField(ClassNode cn) {
    // application classes get TxObject as their superclass instead (ObjectWords)
  }

  @Override
  public boolean objectWords() {
    return true;
  }

  @Override
  public boolean redirectsUnsafe() {
    return false;
  }

  @Override
  public Predicate<String> jdkTwinConstructors(Predicate<String> instrumentable, Predicate<String> patchInUse) {
    return patchInUse;
  }

  @Override
  public String twinConstructorDesc(String desc) {
    return TwinTransformer.twinDesc("<init>", desc);
  }

  @Override
  public boolean rewriteLambda(ClassContext ctx, InvokeDynamicInsnNode indy) {
    return false;
  }

  @Override
  public void finish(ClassNode cn) {}

  @Override
  public String toString() {
    return "application classes";
  }
}
