package org.ame4j.jcstress;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.ame4j.internal.engine.FieldBarriers;
import org.ame4j.internal.engine.FieldWrites;
import org.ame4j.internal.engine.Txn;

/**
 * The state of the plain-field tests: two plain {@code long} fields, read and written only
 * through the engine's field barriers, in the shape the agent generates (the read brackets the
 * plain access, the write is one call with the field's {@link VarHandle}).
 */
public class PlainFieldPair {
  long x;
  long y;

  static final VarHandle X;
  static final VarHandle Y;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      X = l.findVarHandle(PlainFieldPair.class, "x", long.class);
      Y = l.findVarHandle(PlainFieldPair.class, "y", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  static final int X_ID = "x".hashCode();
  static final int Y_ID = "y".hashCode();

  long read(int id, Txn tx) {
    FieldBarriers.beforeRead(this, id, tx);
    long v = id == X_ID ? x : y;
    FieldBarriers.afterRead(tx);
    return v;
  }

  /** Adds {@code delta} to field {@code id} (read, then write through the barriers). */
  void add(int id, long delta, Txn tx) {
    FieldWrites.writeLong(this, id, id == X_ID ? X : Y, read(id, tx) + delta, tx);
  }
}
