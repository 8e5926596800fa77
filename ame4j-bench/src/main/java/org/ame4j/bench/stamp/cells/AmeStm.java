package org.ame4j.bench.stamp.cells;

import org.ame4j.Ame;
import org.ame4j.IntRef;
import org.ame4j.LongRef;
import org.ame4j.Ref;

/** ame4j's explicit cells ({@link IntRef}, {@link LongRef}, {@link Ref}) and {@link Ame#atomic}. */
public final class AmeStm implements Stm {
  @Override
  public <T> T atomic(Body<T> body) {
    return Ame.atomic(() -> body.run(null));
  }

  @Override
  public TInt newInt(int initial) {
    return new Int(initial);
  }

  @Override
  public TLong newLong(long initial) {
    return new Long(initial);
  }

  @Override
  public <T> TRef<T> newRef(T initial) {
    return new Obj<>(initial);
  }

  @Override
  public String name() {
    return "ame4j explicit";
  }

  private static final class Int implements TInt {
    private final IntRef ref;

    Int(int v) {
      ref = new IntRef(v);
    }

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
  }

  private static final class Long implements TLong {
    private final LongRef ref;

    Long(long v) {
      ref = new LongRef(v);
    }

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
  }

  private static final class Obj<T> implements TRef<T> {
    private final Ref<T> ref;

    Obj(T v) {
      ref = new Ref<>(v);
    }

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
  }
}
