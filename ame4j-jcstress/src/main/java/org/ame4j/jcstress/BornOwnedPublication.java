package org.ame4j.jcstress;

import org.ame4j.internal.engine.Txn;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;

/**
 * A field write racing the publication of an object born owned ({@link PublicationRace} with a
 * {@link TxBox}). The box starts with the publisher's fresh word (locked for everybody else; the
 * publisher writes it plainly, with no lock and no undo entry); the publisher's commit stamps it
 * unlocked before it releases the shared field's lock ({@code BornObjects}). The updater, through
 * the object's own word, must see the box whole (1, never the default 0) and its write must not be
 * lost: the only outcomes are "not yet published" and "published, then 11". A box left marked as
 * its publisher's after the commit can never be written by anybody else: the updater waits
 * forever (run-ci.sh's watchdog fails the pass), and the publisher's next transactions would
 * write it untracked.
 */
@JCStressTest
@Outcome(id = "-1, 1", expect = Expect.ACCEPTABLE, desc = "the updater ran first and found no box")
@Outcome(id = "1, 11", expect = Expect.ACCEPTABLE, desc = "the updater saw the published box and updated it")
@Outcome(expect = Expect.FORBIDDEN, desc = "a half-initialised box or a lost update")
@State
public class BornOwnedPublication extends PublicationRace {
  @Override
  Object allocate(Txn tx) {
    return TxBox.allocate(tx);
  }

  @Override
  long read(Object box, Txn tx) {
    return ((TxBox) box).read(tx);
  }

  @Override
  void write(Object box, long value, Txn tx) {
    ((TxBox) box).write(value, tx);
  }

  @Override
  long value(Object box) {
    return ((TxBox) box).value;
  }

  @Actor
  public void publisher() {
    publish();
  }

  @Actor
  public void updater(JJ_Result r) {
    r.r1 = update();
  }

  @Arbiter
  public void result(JJ_Result r) {
    r.r2 = published();
  }
}
