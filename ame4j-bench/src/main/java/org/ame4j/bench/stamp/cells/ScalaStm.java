package org.ame4j.bench.stamp.cells;

import scala.concurrent.stm.Ref;
import scala.concurrent.stm.japi.STM;

/**
 * ScalaSTM through its documented Java API ({@code japi.STM.atomic}, {@code Ref.View}); values
 * boxed, as that API stores them. Scala code with {@code atomic { implicit txn => … }} and
 * {@code Ref} skips a per-access context lookup and is probably faster (see docs/benchmarks.md).
 */
public final class ScalaStm implements Stm {
  @Override
  public <T> T atomic(Body<T> body) {
    return STM.atomic(() -> body.run(null));
  }

  @Override
  public TInt newInt(int initial) {
    Ref.View<Integer> ref = STM.newRef(initial);
    return new TInt() {
      @Override
      public int get(Object txn) {
        return ref.get();
      }

      @Override
      public void set(Object txn, int value) {
        ref.set(value);
      }

      @Override
      public int peek() {
        return ref.get();
      }
    };
  }

  @Override
  public TLong newLong(long initial) {
    Ref.View<Long> ref = STM.newRef(initial);
    return new TLong() {
      @Override
      public long get(Object txn) {
        return ref.get();
      }

      @Override
      public void set(Object txn, long value) {
        ref.set(value);
      }

      @Override
      public long peek() {
        return ref.get();
      }
    };
  }

  @Override
  public <T> TRef<T> newRef(T initial) {
    Ref.View<T> ref = STM.newRef(initial);
    return new TRef<T>() {
      @Override
      public T get(Object txn) {
        return ref.get();
      }

      @Override
      public void set(Object txn, T value) {
        ref.set(value);
      }

      @Override
      public T peek() {
        return ref.get();
      }
    };
  }

  @Override
  public String name() {
    return "ScalaSTM";
  }
}
