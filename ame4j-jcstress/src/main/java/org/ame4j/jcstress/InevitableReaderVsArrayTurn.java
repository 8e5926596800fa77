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
 * The inevitable reader against a writer turning an array written ({@code ArrayTurns}). The
 * inevitable transaction never aborts and reads a read-only array unchecked, like everybody: the
 * writer's grace period waits for it to end (it is never asked to abort), Dekker between the
 * reader's status store and words load and the writer's words store and status load. Here the
 * inevitable reader reads {@code a[0], a[1]} three times while a writer moves 1 from {@code a[1]}
 * to {@code a[0]}: every pair must be the first one, and the first one whole. A writer that
 * stored before the inevitable transaction ended would change what it reads, and it commits
 * what it saw.
 */
@JCStressTest
@Outcome(id = "0, 0", expect = Expect.ACCEPTABLE, desc = "read before the write, every read the same")
@Outcome(id = "1, 0", expect = Expect.ACCEPTABLE, desc = "read after the write, every read the same")
@Outcome(expect = Expect.FORBIDDEN, desc = "the inevitable transaction's reads changed under it")
@State
public class InevitableReaderVsArrayTurn extends ArrayPair {
  @Actor
  public void writer() {
    move();
  }

  @Actor
  public void inevitableReader(JJ_Result r) {
    long[] out = Ame.atomic(() -> {
      Txn tx = Txn.current();
      tx.becomeInevitable("jcstress");
      long x = read(0, tx);
      long y = read(1, tx);
      long changed = x + y != 0 ? 1 : 0;
      for (int round = 0; round < 2; round++) {
        if (read(0, tx) != x || read(1, tx) != y) {
          changed++;
        }
      }
      return new long[] {x, changed};
    });
    r.r1 = out[0];
    r.r2 = out[1];
  }
}
