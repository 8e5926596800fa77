package org.ame4j.jcstress;

import org.ame4j.Ame;
import org.ame4j.IntRef;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

/** Two concurrent read-modify-write transactions on one cell: both increments survive. */
@JCStressTest
@Outcome(id = "2", expect = Expect.ACCEPTABLE, desc = "both increments committed")
@Outcome(expect = Expect.FORBIDDEN, desc = "lost update")
@State
public class NoLostUpdate {
  final IntRef counter = new IntRef(0);

  @Actor
  public void first() {
    Ame.atomic(() -> counter.set(counter.get() + 1));
  }

  @Actor
  public void second() {
    Ame.atomic(() -> counter.set(counter.get() + 1));
  }

  @Arbiter
  public void result(I_Result r) {
    r.r1 = counter.get();
  }
}
