package org.ame4j.jcstress;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.ame4j.Ame;
import org.ame4j.internal.engine.FieldBarriers;
import org.ame4j.internal.engine.Txn;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;

/**
 * Plain fields through the agent's barriers (write-through with undo): two transactions each
 * move 1 from one field to the other, in opposite directions, so they conflict and one of them
 * usually rolls back and re-runs. The sum is conserved and both transfers land.
 */
@JCStressTest
@Outcome(id = "10, 10", expect = Expect.ACCEPTABLE, desc = "both transfers, nothing lost")
@Outcome(expect = Expect.FORBIDDEN, desc = "lost or torn update")
@State
public class AbortRestoresPlainFields {
  long left = 10;
  long right = 10;

  static final VarHandle LEFT;
  static final VarHandle RIGHT;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      LEFT = l.findVarHandle(AbortRestoresPlainFields.class, "left", long.class);
      RIGHT = l.findVarHandle(AbortRestoresPlainFields.class, "right", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  static final int LEFT_ID = "left".hashCode();
  static final int RIGHT_ID = "right".hashCode();

  long read(int id, Txn tx) {
    FieldBarriers.beforeRead(this, id, tx);
    long v = id == LEFT_ID ? left : right;
    FieldBarriers.afterRead(tx);
    return v;
  }

  @Actor
  public void leftToRight() {
    Ame.atomic(() -> {
      Txn tx = Txn.current();
      FieldBarriers.writeLong(this, LEFT_ID, LEFT, read(LEFT_ID, tx) - 1, tx);
      FieldBarriers.writeLong(this, RIGHT_ID, RIGHT, read(RIGHT_ID, tx) + 1, tx);
    });
  }

  @Actor
  public void rightToLeft() {
    Ame.atomic(() -> {
      Txn tx = Txn.current();
      FieldBarriers.writeLong(this, RIGHT_ID, RIGHT, read(RIGHT_ID, tx) - 1, tx);
      FieldBarriers.writeLong(this, LEFT_ID, LEFT, read(LEFT_ID, tx) + 1, tx);
    });
  }

  @Arbiter
  public void result(JJ_Result r) {
    r.r1 = left;
    r.r2 = right;
  }
}
