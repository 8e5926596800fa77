package org.ame4j.jcstress;

import org.ame4j.Ame;
import org.ame4j.IntRef;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Single reads outside transactions are linearizable: a thread that sees the second write of a
 * committed transaction also sees the first (reading in the opposite order to the writes).
 */
@JCStressTest
@Outcome(id = {"0, 0", "0, 1", "1, 1"}, expect = Expect.ACCEPTABLE, desc = "a commit seen whole or not at all")
@Outcome(id = "1, 0", expect = Expect.FORBIDDEN, desc = "saw b's new value but a's old one")
@State
public class CommittedReadsSeeWholeCommits {
  final IntRef a = new IntRef(0);
  final IntRef b = new IntRef(0);

  @Actor
  public void writer() {
    Ame.atomic(() -> {
      a.set(1);
      b.set(1);
    });
  }

  @Actor
  public void reader(II_Result r) {
    r.r1 = b.get();
    r.r2 = a.get();
  }
}
