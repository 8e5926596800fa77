package org.ame4j.bench.stamp.cells;

import clojure.lang.LockingTransaction;

/**
 * Clojure refs ({@code clojure.lang.Ref}) and {@code LockingTransaction.runInTransaction}, exactly
 * what {@code dosync} calls; values boxed, as Clojure stores them.
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
