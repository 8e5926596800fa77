package org.ame4j.jcstress;

import org.ame4j.Ame;
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
public class AbortRestoresPlainFields extends PlainFieldPair {
  public AbortRestoresPlainFields() {
    x = 10;
    y = 10;
  }

  @Actor
  public void leftToRight() {
    Ame.atomic(() -> {
      Txn tx = Txn.current();
      add(X_ID, -1, tx);
      add(Y_ID, 1, tx);
    });
  }

  @Actor
  public void rightToLeft() {
    Ame.atomic(() -> {
      Txn tx = Txn.current();
      add(Y_ID, -1, tx);
      add(X_ID, 1, tx);
    });
  }

  @Arbiter
  public void result(JJ_Result r) {
    r.r1 = x;
    r.r2 = y;
  }
}
