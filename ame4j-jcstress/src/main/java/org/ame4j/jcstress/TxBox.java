package org.ame4j.jcstress;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.ame4j.internal.engine.FieldBarriers;
import org.ame4j.internal.engine.SiteBarriers;
import org.ame4j.internal.engine.TxObject;
import org.ame4j.internal.engine.Txn;

/**
 * An object as the agent rewrites a class that extends {@code Object}: it carries its own
 * ownership word ({@link TxObject}), and its one field is read and written with the per-site
 * barriers the agent emits ({@code openRead}, the plain {@code getfield}, {@code closeRead}; {@code
 * openWrite}, the old value logged, the plain {@code putfield}).
 */
public final class TxBox extends TxObject {
  long value;

  static final VarHandle VALUE;

  static {
    try {
      VALUE = MethodHandles.lookup().findVarHandle(TxBox.class, "value", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  static final int VALUE_ID = "value".hashCode();

  /** What a twin's {@code new TxBox()} is: the constructor, then the object reported born. */
  static TxBox allocate(Txn tx) {
    TxBox b = new TxBox();
    FieldBarriers.allocated(b, tx);
    return b;
  }

  long read(Txn tx) {
    long word = SiteBarriers.openRead(this, VALUE_ID, tx);
    long v = value;
    SiteBarriers.closeRead(this, word, tx);
    return v;
  }

  void write(long v, Txn tx) {
    boolean log = SiteBarriers.openWrite(this, VALUE_ID, tx);
    SiteBarriers.logLong(this, log, value, VALUE, tx);
    value = v;
  }

  void add(long delta, Txn tx) {
    write(read(tx) + delta, tx);
  }
}
