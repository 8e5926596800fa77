package org.ame4j.jcstress;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.ame4j.internal.engine.FieldBarriers;
import org.ame4j.internal.engine.FieldWrites;
import org.ame4j.internal.engine.Txn;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;

/**
 * A field write racing the publication of a fresh plain object ({@link PublicationRace}): the
 * box's class has no word of its own, so the publisher's transaction keeps it in its capture set
 * (its writes to it skip locks and undo) and its field is guarded by the striped table. The
 * updater must see the box whole (1, never the default 0) and its write must not be lost: the
 * only outcomes are "not yet published" and "published, then 11".
 */
@JCStressTest
@Outcome(id = "-1, 1", expect = Expect.ACCEPTABLE, desc = "the updater ran first and found no box")
@Outcome(id = "1, 11", expect = Expect.ACCEPTABLE, desc = "the updater saw the published box and updated it")
@Outcome(expect = Expect.FORBIDDEN, desc = "a half-initialised box or a lost update")
@State
public class FreshObjectPublication extends PublicationRace {
  /** The fresh object. */
  static final class Box {
    long value;
  }

  static final VarHandle VALUE;

  static {
    try {
      VALUE = MethodHandles.lookup().findVarHandle(Box.class, "value", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  static final int VALUE_ID = "value".hashCode();

  @Override
  Object allocate(Txn tx) {
    Box b = new Box();
    FieldBarriers.allocated(b, tx);
    return b;
  }

  @Override
  long read(Object box, Txn tx) {
    FieldBarriers.beforeRead(box, VALUE_ID, tx);
    long v = ((Box) box).value;
    FieldBarriers.afterRead(tx);
    return v;
  }

  @Override
  void write(Object box, long value, Txn tx) {
    FieldWrites.writeLong(box, VALUE_ID, VALUE, value, tx);
  }

  @Override
  long value(Object box) {
    return ((Box) box).value;
  }

  @Actor
  public void publisher() {
    publish();
  }

  @Actor
  public void updater(JJ_Result r) {
    r.r1 = update();
  }

  @Arbiter
  public void result(JJ_Result r) {
    r.r2 = published();
  }
}
