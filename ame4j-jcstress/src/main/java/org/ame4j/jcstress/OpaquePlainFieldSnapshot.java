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
 * Opacity of a read-only transaction over plain fields (the agent's barriers, called as a twin
 * calls them): a writer keeps {@code x + y == 0}, writing x then y in place under their locks; a
 * reader reads both in one transaction, which commits without validation because it wrote
 * nothing. Each read's record check after the load ({@code FieldBarriers.afterRead}) is all that
 * stops a value the writer has stored but not committed; without it the reader returns
 * {@code (1, 0)}. The reader records what every attempt saw, so a zombie attempt shows up too.
 */
@JCStressTest
@Outcome(id = "0, 0", expect = Expect.ACCEPTABLE, desc = "every attempt saw x + y == 0")
@Outcome(expect = Expect.FORBIDDEN, desc = "an attempt saw a half-done move")
@State
public class OpaquePlainFieldSnapshot extends PlainFieldPair {
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
    long[] worst = {0, 0};
    Ame.atomic(() -> {
      Txn tx = Txn.current();
      long a = read(X_ID, tx);
      long b = read(Y_ID, tx);
      if (a + b != 0) {
        worst[0] = a; // a zombie attempt would leave its trace here
        worst[1] = b;
      }
    });
    r.r1 = worst[0];
    r.r2 = worst[1];
  }
}
