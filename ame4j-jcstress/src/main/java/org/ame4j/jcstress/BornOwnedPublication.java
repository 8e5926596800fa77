package org.ame4j.jcstress;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.ame4j.Ame;
import org.ame4j.internal.engine.FieldBarriers;
import org.ame4j.internal.engine.Txn;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;

/**
 * A field write racing the publication of an object born owned ({@code TxObject}). The publisher
 * allocates a box, which starts with the publisher's fresh word (locked for everybody else; the
 * publisher writes it plainly, with no lock and no undo entry), sets its field to 1 and publishes
 * it into a shared field; its commit stamps the box unlocked before it releases the shared
 * field's lock ({@code BornObjects}). The updater follows the shared field and, if it finds the
 * box, adds 10 through the object's own word. It must see the box whole (1, never the default 0)
 * and its write must not be lost: the only outcomes are "not yet published" and "published, then
 * 11". A box left marked as its publisher's after the commit cannot be written by anybody else
 * (the updater never gets through: jcstress reports the test as timed out), and the publisher's
 * next transactions would write it untracked.
 */
@JCStressTest
@Outcome(id = "-1, 1", expect = Expect.ACCEPTABLE, desc = "the updater ran first and found no box")
@Outcome(id = "1, 11", expect = Expect.ACCEPTABLE, desc = "the updater saw the published box and updated it")
@Outcome(expect = Expect.FORBIDDEN, desc = "a half-initialised box or a lost update")
@State
public class BornOwnedPublication {
  TxBox shared;

  static final VarHandle SHARED;

  static {
    try {
      SHARED = MethodHandles.lookup().findVarHandle(BornOwnedPublication.class, "shared", TxBox.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  static final int SHARED_ID = "shared".hashCode();

  @Actor
  public void publisher() {
    Ame.atomic(() -> {
      Txn tx = Txn.current();
      TxBox b = TxBox.allocate(tx);
      b.write(1, tx);
      FieldBarriers.writeObject(this, SHARED_ID, SHARED, b, tx);
    });
  }

  @Actor
  public void updater(JJ_Result r) {
    r.r1 = Ame.atomic(() -> {
      Txn tx = Txn.current();
      FieldBarriers.beforeRead(this, SHARED_ID, tx);
      TxBox b = shared;
      FieldBarriers.afterRead(tx);
      if (b == null) {
        return -1L;
      }
      long v = b.read(tx);
      b.write(v + 10, tx);
      return v;
    });
  }

  @Arbiter
  public void result(JJ_Result r) {
    r.r2 = shared.value;
  }
}
