package org.ame4j.internal.agent.rt;

import org.ame4j.internal.engine.Txn;

/**
 * One virtual or interface call site in a twin whose static target is untracked code (a JDK
 * interface such as {@code Function.apply}, {@code Comparable.compareTo}, {@code Object.equals}):
 * whether the call is safe depends on the receiver's class. If the method the JVM will select
 * for that class is declared by a tracked class ({@link TrackedClasses}: instrumented, or a
 * lambda of an instrumented class), the call runs as it is and the selected original dispatches
 * to its twin; otherwise the transaction becomes inevitable before the call.
 * Twins no longer emit these checks (their calls go through {@link TwinLinker}); the JDK
 * intrinsics use them for the functions and values they call back ({@link Receivers}).
 *
 * <p>A monomorphic inline cache per site keeps the common case to a class comparison; the answer
 * for every class the site has seen is kept in a {@link ClassValue} (computed once per class:
 * the reflective search is slow), so a polymorphic site never repeats it. The inline cache is a
 * benign race: every value ever published is correct for its class, and it is only written
 * when the receiver class changes.
 */
public final class CallTarget {
  private final String name;
  private final String desc;
  private final String site;
  private volatile Cached last = new Cached(null, false);
  /** Inline-cache misses so far (a plain, racy count: it only needs to grow). */
  private int misses;
  private final ClassValue<Boolean> tracked = new ClassValue<>() {
    @Override
    protected Boolean computeValue(Class<?> c) {
      return selectedIsTracked(c);
    }
  };

  private record Cached(Class<?> type, boolean tracked) {}

  /** The target of calls of {@code name desc} made at {@code site} (named in the inevitable reason). */
  CallTarget(String name, String desc, String site) {
    this.name = name;
    this.desc = desc;
    this.site = site;
  }

  /** Before the call: makes {@code tx} inevitable unless {@code receiver}'s method is tracked. */
  public void check(Object receiver, Txn tx) {
    if (!tracks(receiver)) {
      tx.runUntracked(site + " (receiver " + receiver.getClass().getName() + ")");
    }
  }

  /**
   * Whether the method the JVM selects for {@code receiver}'s class is tracked (true for null:
   * the call throws NullPointerException itself). {@link #check} without the consequence, for
   * callers that build their own site (the JDK intrinsics calling a user's function).
   */
  public boolean tracks(Object receiver) {
    if (receiver == null) {
      return true;
    }
    Class<?> c = receiver.getClass();
    Cached k = last;
    if (k.type == c) {
      return k.tracked;
    }
    boolean tracked = this.tracked.get(c);
    if (misses < 64) { // a megamorphic site stops rewriting the shared cache line
      misses++;
      last = new Cached(c, tracked);
    }
    return tracked;
  }

  private boolean selectedIsTracked(Class<?> c) {
    Class<?> d = Dispatch.selected(c, name, desc);
    return d != null && TrackedClasses.isTracked(d);
  }
}
