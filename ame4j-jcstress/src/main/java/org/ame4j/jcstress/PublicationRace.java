package org.ame4j.jcstress;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.ame4j.Ame;
import org.ame4j.internal.engine.FieldBarriers;
import org.ame4j.internal.engine.FieldWrites;
import org.ame4j.internal.engine.Txn;

/**
 * The state and the two transactions of the publication tests: a publisher allocates a box, sets
 * its value to 1 and publishes it into {@link #shared} (a plain field, through the striped table's
 * barriers); an updater follows {@link #shared} and, if it finds the box, adds 10 to its value.
 * Subclasses say what a box is and how its value is read and written.
 */
public abstract class PublicationRace {
  Object shared;

  static final VarHandle SHARED;

  static {
    try {
      SHARED = MethodHandles.lookup().findVarHandle(PublicationRace.class, "shared", Object.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  static final int SHARED_ID = "shared".hashCode();

  /** A new box, reported allocated as a twin's {@code new} reports it. */
  abstract Object allocate(Txn tx);

  abstract long read(Object box, Txn tx);

  abstract void write(Object box, long value, Txn tx);

  /** The box's value read plainly (by the arbiter, after both actors). */
  abstract long value(Object box);

  void publish() {
    Ame.atomic(() -> {
      Txn tx = Txn.current();
      Object b = allocate(tx);
      write(b, 1, tx);
      FieldWrites.writeObject(this, SHARED_ID, SHARED, b, tx);
    });
  }

  /** The value the updater found in the box, or -1 if it found no box. */
  long update() {
    return Ame.atomic(() -> {
      Txn tx = Txn.current();
      FieldBarriers.beforeRead(this, SHARED_ID, tx);
      Object b = shared;
      FieldBarriers.afterRead(tx);
      if (b == null) {
        return -1L;
      }
      long v = read(b, tx);
      write(b, v + 10, tx);
      return v;
    });
  }

  long published() {
    return value(shared);
  }
}
