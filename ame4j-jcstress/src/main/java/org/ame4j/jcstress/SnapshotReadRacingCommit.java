package org.ame4j.jcstress;

import org.ame4j.Ame;
import org.ame4j.internal.engine.Txn;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;

/**
 * A read-only transaction over plain fields racing a commit that changes both. The writer keeps
 * {@code x + y == 0} (x += 1, y -= 1 through the barriers); the reader reads x then y, and keeps
 * the sum every attempt saw (an attempt that aborts later, a zombie, leaves its trace): every
 * sum must be 0, and the x it returns is from before (0) or after (1) the commit.
 */
@JCStressTest
@Outcome(id = "0, 0", expect = Expect.ACCEPTABLE, desc = "read before the commit, every attempt consistent")
@Outcome(id = "1, 0", expect = Expect.ACCEPTABLE, desc = "read after the commit, every attempt consistent")
@Outcome(expect = Expect.FORBIDDEN, desc = "an attempt saw half of the commit")
@State
public class SnapshotReadRacingCommit extends PlainFieldPair {
  @Actor
  public void writer() {
    Ame.atomic(() -> {
      Txn tx = Txn.current();
      add(X_ID, 1, tx);
      add(Y_ID, -1, tx);
    });
  }

  @Actor
  public void reader(JJ_Result r) {
    long[] worst = {0};
    r.r1 = Ame.atomic(() -> {
      Txn tx = Txn.current();
      long a = read(X_ID, tx);
      long b = read(Y_ID, tx);
      if (a + b != 0) {
        worst[0] = a + b;
      }
      return a;
    });
    r.r2 = worst[0];
  }
}
