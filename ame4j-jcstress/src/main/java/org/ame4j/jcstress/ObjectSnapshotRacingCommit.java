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
 * A read-only transaction's view racing a writing commit, over two objects with their own words
 * ({@code TxObject}, the per-site barriers). The writer moves 1 from {@code y} to {@code x} (two
 * objects, two words, one commit stamp); the reader reads {@code x} then {@code y} and commits
 * read-only, without validation, so its view is consistent only because a read of a word newer
 * than its snapshot extends the snapshot, which re-validates every earlier read (LSA), and a read
 * of a word locked or changed around the load aborts. The reader keeps the sum every attempt saw
 * (zombies included): reading the new {@code y} next to the old {@code x} is the torn snapshot.
 */
@JCStressTest
@Outcome(id = "0, 0", expect = Expect.ACCEPTABLE, desc = "read before the commit, every attempt consistent")
@Outcome(id = "1, 0", expect = Expect.ACCEPTABLE, desc = "read after the commit, every attempt consistent")
@Outcome(expect = Expect.FORBIDDEN, desc = "an attempt saw half of the commit")
@State
public class ObjectSnapshotRacingCommit {
  final TxBox x = new TxBox();
  final TxBox y = new TxBox();

  @Actor
  public void writer() {
    Ame.atomic(() -> {
      Txn tx = Txn.current();
      x.add(1, tx);
      y.add(-1, tx);
    });
  }

  @Actor
  public void reader(JJ_Result r) {
    long[] worst = {0};
    r.r1 = Ame.atomic(() -> {
      Txn tx = Txn.current();
      long a = x.read(tx);
      long b = y.read(tx);
      if (a + b != 0) {
        worst[0] = a + b;
      }
      return a;
    });
    r.r2 = worst[0];
  }
}
