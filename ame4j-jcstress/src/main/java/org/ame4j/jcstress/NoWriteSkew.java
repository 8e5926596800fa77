package org.ame4j.jcstress;

import org.ame4j.Ame;
import org.ame4j.IntRef;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The classic write-skew pair (two doctors on call): each transaction checks that both are on
 * call and takes one off. Snapshot isolation would let both succeed; serializability must not.
 */
@JCStressTest
@Outcome(id = {"0, 1", "1, 0"}, expect = Expect.ACCEPTABLE, desc = "one went off call")
@Outcome(id = "0, 0", expect = Expect.FORBIDDEN, desc = "write skew")
@Outcome(expect = Expect.FORBIDDEN, desc = "impossible")
@State
public class NoWriteSkew {
  final IntRef alice = new IntRef(1);
  final IntRef bob = new IntRef(1);

  @Actor
  public void aliceLeaves() {
    Ame.atomic(() -> {
      if (alice.get() + bob.get() >= 2) {
        alice.set(0);
      }
    });
  }

  @Actor
  public void bobLeaves() {
    Ame.atomic(() -> {
      if (alice.get() + bob.get() >= 2) {
        bob.set(0);
      }
    });
  }

  @Arbiter
  public void result(II_Result r) {
    r.r1 = alice.get();
    r.r2 = bob.get();
  }
}
