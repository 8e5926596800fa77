package org.ame4j.internal.agent.instr;

import java.util.function.Predicate;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;

/**
 * The kind of class being twinned, asked for every decision in which the two kinds differ:
 * application classes ({@link #APPLICATION}: twins, prologues, trampolines, the fallback) and
 * JDK classes twinned for the java.base patch (the patch's own target, in {@code jdkpatch}:
 * twins only, relocated through the bridge). The rewrite itself ({@link TwinTransformer},
 * {@link TwinBody}, {@link TwinCalls}) is the same for both; what differs is named here once.
 *
 * <p>Guarantees nothing about the classes themselves: which classes are transformed is the
 * include rule's ({@link CallPolicy}, or the patch's class list).
 */
public interface Target {
  /** Application classes: loaded by the agent or instrumented offline. */
  Target APPLICATION = new ApplicationTarget();

  /**
   * True if a class whose rewrite fails gets the inevitable fallback ({@link Fallback}); false if
   * it is left out ({@link Instrumented.Outcome#NO_FALLBACK}).
   */
  boolean fallbackOnFailure();

  /** Throws {@link IllegalStateException} if classes of this class file version cannot be twinned. */
  void checkVersion(int major);

  /**
   * True if the twins can name {@code Txn} (its loader sees the engine): the twin's transaction
   * local is typed {@code Txn}, and constructors get twin constructors {@code <init>(A…, Txn)}.
   */
  boolean namesTxn();

  /**
   * True if the originals keep no prologue and nothing but twins is added ({@code <clinit>},
   * trampolines and lambdas untouched): calls that the originals would dispatch (interface,
   * abstract, default methods) must then be linked to the receiver's twin instead.
   */
  boolean twinsOnly();

  /**
   * True if a non-final virtual method may be overridden, in a class outside the instrumented set,
   * without a twin: such calls are linked (the linker checks who declares the selected method).
   */
  boolean overridesMayLackTwins();

  /** True if the objects' own ownership words ({@link ObjectWords}) may be given to these classes. */
  boolean objectWords();

  /**
   * Adds the java.base patch's record field ({@code JdkWords.FIELD} in the engine: the ownership
   * record of its objects and its subclasses') to {@code cn} if this target gives it one.
   */
  void addRecordField(ClassNode cn);

  /** True if {@code Unsafe} array accesses are redirected to their stand-ins ({@link Intrinsics#findUnsafe}). */
  boolean redirectsUnsafe();

  /**
   * The JDK classes whose twin constructors {@code <init>(A…, Object, AmeBridge)} exist: the
   * patch in use for application classes ({@code patchInUse}), the classes being patched for the
   * patch itself ({@code instrumentable}).
   */
  Predicate<String> jdkTwinConstructors(Predicate<String> instrumentable, Predicate<String> patchInUse);

  /** The descriptor of the twin constructor of {@code <init>desc}. */
  String twinConstructorDesc(String desc);

  /**
   * Rewrites a {@code LambdaMetafactory} site in a twin if this target rewrites lambdas there;
   * false if it leaves the site to the calls' rules (untracked where the lambda is called).
   */
  boolean rewriteLambda(ClassContext ctx, InvokeDynamicInsnNode indy);

  /** The last step of a rewritten class, before it is written. */
  void finish(ClassNode cn);
}
