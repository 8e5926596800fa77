package org.ame4j.bench.stamp.cells;

import org.ame4j.bench.stamp.cells.Stm.TInt;
import org.ame4j.bench.stamp.cells.Stm.TRef;
import org.ame4jbench.plain.Intruder.Packet;

/**
 * {@code org.ame4jbench.plain.Intruder}'s reassembly over cells, step for step: the sessions are a
 * {@link TRedBlackTree} keyed by flow id; a flow's fragment slots and its received count are
 * cells. The packets themselves are immutable and shared with the plain variants. Detection is
 * not here: the caller runs it on the returned fragments after the commit (as STAMP does).
 */
public final class TIntruder {
  private static final class Flow {
    final TRef<Packet>[] parts;
    final TInt received;

    @SuppressWarnings("unchecked")
    Flow(Stm stm, int count) {
      parts = new TRef[count];
      for (int i = 0; i < count; i++) {
        parts[i] = stm.newRef(null);
      }
      received = stm.newInt(0);
    }
  }

  private final Stm stm;
  private final TRedBlackTree<Flow> sessions;

  public TIntruder(Stm stm) {
    this.stm = stm;
    sessions = new TRedBlackTree<>(stm);
  }

  /**
   * The transaction: adds the fragment; returns the flow's fragments in order (a fresh array) if
   * it is now complete, else null.
   */
  public Packet[] reassemble(Object txn, Packet p) {
    Flow f = sessions.get(txn, p.flow);
    if (f == null) {
      f = new Flow(stm, p.count);
      sessions.insert(txn, p.flow, f);
    }
    TRef<Packet> slot = f.parts[p.index];
    if (slot.get(txn) != null) {
      return null;
    }
    slot.set(txn, p);
    int received = f.received.get(txn) + 1;
    f.received.set(txn, received);
    if (received < f.parts.length) {
      return null;
    }
    sessions.delete(txn, p.flow);
    Packet[] out = new Packet[f.parts.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = f.parts[i].get(txn);
    }
    return out;
  }

  /** Flows still in the map (quiescent state only). */
  public int pending() {
    return sessions.toArray().length;
  }
}
