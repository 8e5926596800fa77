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
 * Opacity: a writer keeps {@code x + y == 0}; a reader transaction reads both in both orders,
 * and must never see a sum other than 0 (not even in an attempt that later aborts: the reader
 * records what it saw on every attempt, so a zombie's view would show up).
 */
@JCStressTest
@Outcome(id = "0, 0", expect = Expect.ACCEPTABLE, desc = "every attempt saw a consistent pair")
@Outcome(expect = Expect.FORBIDDEN, desc = "an attempt saw a broken invariant")
@State
public class OpaqueSnapshot {
  final IntRef x = new IntRef(0);
  final IntRef y = new IntRef(0);

  @Actor
  public void writer() {
    Ame.atomic(() -> {
      x.set(x.get() + 1);
      y.set(y.get() - 1);
    });
  }

  @Actor
  public void reader(II_Result r) {
    int[] worst = {0, 0};
    Ame.atomic(() -> {
      int xy = x.get() + y.get();
      int yx = y.get() + x.get();
      if (xy != 0) {
        worst[0] = xy; // a zombie attempt would leave its trace here
      }
      if (yx != 0) {
        worst[1] = yx;
      }
    });
    r.r1 = worst[0];
    r.r2 = worst[1];
  }
}
