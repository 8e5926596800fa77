package org.ame4j.bench.stamp.cells;

/**
 * The one API style every cell-based variant of a workload is written against: transactional
 * cells ({@link TInt}, {@link TLong}, {@link TRef}) and an atomic block. Each workload's
 * transactional algorithm is written once against this interface and runs unchanged on ame4j's
 * explicit cells, ScalaSTM, Multiverse and Clojure refs: same algorithm, same accesses, only the
 * cells differ.
 *
 * <p>Every access takes the running transaction's handle ({@code txn}), the object the system
 * passed to the block. Multiverse uses it (its fastest documented style passes the {@code Txn}
 * explicitly); ame4j, ScalaSTM's Java API and Clojure find their transaction in a thread-local
 * and ignore it. The suite runs each variant in its own JVM, so every interface call site below
 * sees exactly one implementation and the JIT inlines it: the abstraction costs nothing there.
 *
 * <p>Promises: {@link #atomic} runs the body as one transaction of the underlying system, with
 * that system's retry policy; the body may run more than once, so it must not have effects
 * outside cells (the workloads write per-operation result slots only from the block's return
 * value, after the commit).
 */
public interface Stm {
  /** A transaction body; {@code txn} is the system's transaction handle (null where unused). */
  @FunctionalInterface
  interface Body<T> {
    T run(Object txn);
  }

  /** Runs {@code body} as one transaction and returns its result. */
  <T> T atomic(Body<T> body);

  TInt newInt(int initial);

  TLong newLong(long initial);

  <T> TRef<T> newRef(T initial);

  /** Display name, with the library version where there is one. */
  String name();

  /** A transactional {@code int}. */
  interface TInt {
    int get(Object txn);

    void set(Object txn, int value);

    /**
     * Outside any transaction: the committed value, by the system's own non-transactional read
     * (ame4j and ScalaSTM: a single-read transaction, Multiverse: {@code atomicGet}, Clojure:
     * {@code deref}); never a value of a transaction that has not committed. For setup and
     * validation, and for labyrinth's private copy of the grid, which STAMP also reads outside
     * transactional tracking.
     */
    int peek();
  }

  /** A transactional {@code long}. */
  interface TLong {
    long get(Object txn);

    void set(Object txn, long value);

    long peek();
  }

  /** A transactional reference. */
  interface TRef<T> {
    T get(Object txn);

    void set(Object txn, T value);

    T peek();
  }
}
