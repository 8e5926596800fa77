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
 * An array turning written while a reader reads it ({@code ArrayRecords}, {@code ArrayTurns}).
 * The array starts read-only: the reader reads its elements with no check and no log. The
 * writer's first write locks the stripe word, publishes the per-element words and waits until
 * every attempt that was running then has ended (the grace period) before it moves 1 from
 * {@code a[1]} to {@code a[0]} (the sum stays 0). So a reader attempt that read {@code a[0]}
 * unchecked reads {@code a[1]} before the move too (unchecked, or under its element word, still
 * unwritten), or is asked to abort after the bound; a later attempt reads under the element
 * words. The reader keeps the sum every attempt saw (a zombie leaves its trace) and commits
 * read-only, unvalidated: a store before the grace period ended shows as a torn pair.
 */
@JCStressTest
@Outcome(id = "0, 0", expect = Expect.ACCEPTABLE, desc = "read before the write, every attempt consistent")
@Outcome(id = "1, 0", expect = Expect.ACCEPTABLE, desc = "read after the write, every attempt consistent")
@Outcome(expect = Expect.FORBIDDEN, desc = "an attempt saw half of the write")
@State
public class ArrayTurnedWrittenUnderReader extends ArrayPair {
  @Actor
  public void writer() {
    move();
  }

  @Actor
  public void reader(JJ_Result r) {
    long[] worst = {0};
    r.r1 = Ame.atomic(() -> {
      Txn tx = Txn.current();
      long x = read(0, tx);
      long y = read(1, tx);
      if (x + y != 0) {
        worst[0] = x + y;
      }
      return x;
    });
    r.r2 = worst[0];
  }
}
