package org.ame4j.bench.stamp.cells;

import clojure.lang.LockingTransaction;

/**
 * Clojure refs ({@code clojure.lang.Ref}) and {@code LockingTransaction.runInTransaction}, exactly
 * what {@code dosync} calls; values boxed, as Clojure stores them.
 *
 * <p>Every read inside a transaction is an {@code ensure} ({@code Ref.touch()}) followed by the
 * {@code deref}. Clojure's STM gives snapshot isolation: a plain {@code deref} is not protected
 * against a concurrent writer, so two transactions that read each other's cells and write
 * disjoint ones may both commit (write skew). Plain derefs broke the skip list (a key removed
 * twice) and the red-black tree (a missing sibling) on 2 threads; {@code ensure} is Clojure's
 * documented way to prevent write skew, so it is what a correct Clojure program of these
 * algorithms must do. It takes the ref's read lock until commit, which costs throughput.
 */
public final class ClojureStm implements Stm {
  @Override
  @SuppressWarnings("unchecked")
  public <T> T atomic(Body<T> body) {
    try {
      return (T) LockingTransaction.runInTransaction(() -> body.run(null));
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public TInt newInt(int initial) {
    clojure.lang.Ref ref = new clojure.lang.Ref(initial);
    return new TInt() {
      @Override
      public int get(Object txn) {
        ref.touch();
        return (Integer) ref.deref();
      }

      @Override
      public void set(Object txn, int value) {
        ref.set(value);
      }

      @Override
      public int peek() {
        return (Integer) ref.deref();
      }
    };
  }

  @Override
  public TLong newLong(long initial) {
    clojure.lang.Ref ref = new clojure.lang.Ref(initial);
    return new TLong() {
      @Override
      public long get(Object txn) {
        ref.touch();
        return (Long) ref.deref();
      }

      @Override
      public void set(Object txn, long value) {
        ref.set(value);
      }

      @Override
      public long peek() {
        return (Long) ref.deref();
      }
    };
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> TRef<T> newRef(T initial) {
    clojure.lang.Ref ref = new clojure.lang.Ref(initial);
    return new TRef<T>() {
      @Override
      public T get(Object txn) {
        ref.touch();
        return (T) ref.deref();
      }

      @Override
      public void set(Object txn, T value) {
        ref.set(value);
      }

      @Override
      public T peek() {
        return (T) ref.deref();
      }
    };
  }

  @Override
  public String name() {
    return "Clojure refs";
  }
}
