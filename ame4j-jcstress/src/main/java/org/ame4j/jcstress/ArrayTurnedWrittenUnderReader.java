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
 * An array turning written while a reader reads it ({@code ArrayRecords}). The array starts
 * read-only: the reader reads both elements under the one array word, and logs it. The writer's
 * first write locks that word, allocates the per-element words and turns the array written, then
 * moves 1 from {@code a[1]} to {@code a[0]} (the sum stays 0). The changed array word is all that
 * tells the reader, mid-transaction, that its first element was overwritten: its next read (of a
 * newer element word) extends the snapshot, which validates the array word and aborts. The
 * reader keeps the sum every attempt saw (a zombie leaves its trace) and commits read-only,
 * unvalidated: a missed turn shows as a torn pair.
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
