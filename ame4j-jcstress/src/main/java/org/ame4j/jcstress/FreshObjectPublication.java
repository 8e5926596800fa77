package org.ame4j.jcstress;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.ame4j.Ame;
import org.ame4j.internal.engine.FieldBarriers;
import org.ame4j.internal.engine.Txn;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;

/**
 * A field write racing the publication of a fresh object. One transaction allocates a box (a
 * fresh object: its own writes skip locks and undo), sets its field to 1 and publishes it into a
 * shared field; the other reads the shared field and, if it finds the box, adds 10 to the box's
 * field through the barrier. The second must see the box whole (1, never the default 0) and its
 * write must not be lost: the only outcomes are "not yet published" and "published, then 11".
 */
@JCStressTest
@Outcome(id = "-1, 1", expect = Expect.ACCEPTABLE, desc = "the updater ran first and found no box")
@Outcome(id = "1, 11", expect = Expect.ACCEPTABLE, desc = "the updater saw the published box and updated it")
@Outcome(expect = Expect.FORBIDDEN, desc = "a half-initialised box or a lost update")
@State
public class FreshObjectPublication {
  /** The fresh object. */
  static final class Box {
    long value;
  }

  Box shared;

  static final VarHandle SHARED;
  static final VarHandle VALUE;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      SHARED = l.findVarHandle(FreshObjectPublication.class, "shared", Box.class);
      VALUE = l.findVarHandle(Box.class, "value", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  static final int SHARED_ID = "shared".hashCode();
  static final int VALUE_ID = "value".hashCode();

  @Actor
  public void publisher() {
    Ame.atomic(() -> {
      Txn tx = Txn.current();
      Box b = new Box();
      FieldBarriers.allocated(b, tx);
      FieldBarriers.writeLong(b, VALUE_ID, VALUE, 1, tx);
      FieldBarriers.writeObject(this, SHARED_ID, SHARED, b, tx);
    });
  }

  @Actor
  public void updater(JJ_Result r) {
    r.r1 = Ame.atomic(() -> {
      Txn tx = Txn.current();
      FieldBarriers.beforeRead(this, SHARED_ID, tx);
      Box b = shared;
      FieldBarriers.afterRead(tx);
      if (b == null) {
        return -1L;
      }
      FieldBarriers.beforeRead(b, VALUE_ID, tx);
      long v = b.value;
      FieldBarriers.afterRead(tx);
      FieldBarriers.writeLong(b, VALUE_ID, VALUE, v + 10, tx);
      return v;
    });
  }

  @org.openjdk.jcstress.annotations.Arbiter
  public void result(JJ_Result r) {
    r.r2 = shared.value;
  }
}
