package org.ame4j.internal.engine;

import java.lang.invoke.VarHandle;

/**
 * The read bracket of the table path and the record of allocation: the barriers that generated
 * code, the agent's runtime and the JDK intrinsics call around a plain load whose site does not
 * use the per-site barriers ({@link SiteBarriers}). Every method takes the running transaction as
 * its last argument, so callers pass the descriptor they already hold and nothing here looks it
 * up. The barriers of the other kinds of access live next to this one: {@link SiteBarriers}
 * (per-site reads and writes of instance fields), {@link RecordBarriers} (the same for the
 * java.base patch's JDK classes), {@link FieldWrites} (one-call writes of fields, statics and
 * elements), {@link BlindAdds} (blind updates {@code x += d}), {@link ElementBarriers} (array
 * elements' records), {@link JdkBarriers} (state behind a JDK object's API).
 *
 * <p><b>Reads</b> bracket the plain access instruction, which generated code keeps:
 *
 * <pre>
 *   [obj]        dup; ldc fieldId; aload tx; invokestatic beforeRead(Object,int,Txn)V
 *   [obj]        getfield C.f                    (the original instruction)
 *   [value]      aload tx; invokestatic afterRead(Txn)V
 * </pre>
 *
 * {@code beforeRead} waits out a lock held by another transaction and remembers the record's
 * word; {@code afterRead} fences and checks the word did not change, else aborts (the value on
 * the stack is then never used). The same shape works for every type, statics
 * ({@code beforeReadStatic(Class,int,Txn)}) and arrays ({@code dup2} then
 * {@code beforeReadElement(Object,int,Txn)}), with no swapping of wide values. Guarantees that a
 * value whose bracket returned normally was current when the read was logged (the read set then
 * keeps it valid to commit); does not guarantee anything about the value on the stack when
 * {@code afterRead} throws.
 *
 * <p><b>Identity of a location</b>: (object identity, field id) for instance fields, (declaring
 * {@code Class}, field id) for statics, (array identity, index) for elements. The field id must
 * be the same for every access to one field from any class: use {@code name.hashCode()}.
 * Two fields that collide just share a record (false conflicts, never lost updates).
 *
 * <p>Objects the running transaction allocated ({@link #allocated}) skip all of this.
 */
public final class FieldBarriers {
  private FieldBarriers() {}

  public static void beforeRead(Object holder, int field, Txn tx) {
    TxObject o = holder instanceof TxObject t ? t : FieldLocks.jdkRecord(holder);
    if (o != null) {
      if (Diagnostics.ON && o instanceof JdkRecord) {
        Diagnostics.field(tx, holder, field);
      }
      beforeReadObject(o, tx);
      return;
    }
    beforeReadShared(holder, field, tx);
  }

  private static void beforeReadObject(TxObject o, Txn tx) {
    long word = o.meta;
    if ((word | Orecs.OWN_BITS) == tx.ownWord) {
      tx.pendingIndex = -1; // born owned or locked by us: our own value
      return;
    }
    if (Orecs.isLocked(word) || tx.inevitable) {
      word = tx.openObject(o);
      if (word == Txn.OWN) {
        tx.pendingIndex = -1;
        return;
      }
    }
    tx.pendingIndex = Txn.PENDING_OBJECT;
    tx.pendingObject = o;
    tx.pendingWord = word;
  }

  /** The read of a holder with no record of its own: the capture set, else the striped table. */
  static void beforeReadShared(Object holder, int field, Txn tx) {
    if (tx.fresh.contains(holder)) {
      tx.pendingIndex = -1;
      return;
    }
    if (Diagnostics.ON) {
      Diagnostics.field(tx, holder, field);
    }
    beforeReadWord(Orecs.Table.index(holder, field), tx);
  }

  public static void beforeReadStatic(Class<?> owner, int field, Txn tx) {
    if (Diagnostics.ON) {
      Diagnostics.field(tx, owner, field);
    }
    beforeReadWord(Orecs.Table.index(owner, field), tx);
  }

  /**
   * Element reads have their own records ({@link ElementBarriers}): generated code brackets
   * {@code xaload} with this and {@link #afterReadElement}, never {@link #afterRead}.
   */
  public static void beforeReadElement(Object array, int index, Txn tx) {
    ElementBarriers.beforeRead(array, index, tx);
  }

  /**
   * {@link #beforeReadElement} for a load site with a hoisted check (a local of the twin holding
   * {@code checked}, the array it last found readable without a barrier; the site stores what this
   * returns back into it): {@code ElementBarriers.beforeReadAt}.
   */
  public static Object beforeReadElementAt(Object array, int index, Object checked, Txn tx) {
    return ElementBarriers.beforeReadAt(array, index, checked, tx);
  }

  public static void afterReadElement(Txn tx) {
    ElementBarriers.afterRead(tx);
  }

  private static void beforeReadWord(int index, Txn tx) {
    if (tx.blind.hasPending()) {
      tx.blind.flush(index, tx); // the transaction sees its own pending delta
    }
    for (; ; ) {
      long word = (long) Orecs.TABLE.getAcquire(Orecs.Table.WORDS, index);
      if (word == tx.lockWord) {
        tx.pendingIndex = -1;
        return;
      }
      if (Orecs.isLocked(word) || tx.inevitable) {
        tx.acquireForRead(index, word);
        if (tx.inevitable) {
          tx.pendingIndex = -1;
          return;
        }
        continue;
      }
      tx.pendingIndex = index;
      tx.pendingWord = word;
      return;
    }
  }

  public static void afterRead(Txn tx) {
    int index = tx.pendingIndex;
    if (index < 0) {
      if (index == Txn.PENDING_OBJECT) {
        tx.pendingIndex = -1;
        closeObjectRead(tx.pendingObject, tx.pendingWord, tx);
      }
      return;
    }
    VarHandle.acquireFence(); // the value load above happens before the re-check below
    long word = tx.pendingWord;
    if ((long) Orecs.TABLE.getVolatile(Orecs.Table.WORDS, index) != word) {
      throw tx.abortRead(null, index);
    }
    tx.pendingIndex = -1;
    tx.logWordRead(index, word);
  }

  /**
   * The first half of a read of an object's own word (a {@link TxObject} or a JDK record): the
   * word to check after the load, or {@link Txn#OWN} (odd) when the value is our own.
   */
  static long openObjectRead(TxObject o, Txn tx) {
    long word = o.meta;
    if ((word | Orecs.OWN_BITS) == tx.ownWord) {
      return Txn.OWN;
    }
    if (Orecs.isLocked(word) || tx.inevitable) {
      return tx.openObject(o);
    }
    return word;
  }

  /** The second half of an object read: the word must not have changed since it was opened. */
  static void closeObjectRead(TxObject o, long word, Txn tx) {
    VarHandle.acquireFence(); // the value load happens before the re-check (StampedLock.validate)
    if (o.meta != word) {
      throw tx.abortRead(o, -1);
    }
    tx.logObjectRead(o, word);
  }

  /**
   * Records that {@code o} was allocated by the running transaction (call after the top-most
   * instrumented constructor's {@code super()}): an instrumented object is born owned (its word
   * becomes the attempt's fresh word, see {@link TxObject}); a JDK object with the patch's record
   * field is born owned through it; one no barrier can ask about ({@link ImmutableShapes}: a
   * {@code String}, an object with final fields only) is not recorded; any other goes to the
   * capture set.
   */
  public static void allocated(Object o, Txn tx) {
    if (o instanceof TxObject t) {
      // Not yet reachable by another thread: a plain store (the one RecordStoresTest allows);
      // BornObjects.releaseAll publishes the object with a release store at the end.
      TxCell.META.set(t, tx.freshWord);
      tx.born.add(t);
      return;
    }
    Class<?> c = o.getClass();
    boolean array = c.isArray();
    if (!array && (ImmutableShapes.isImmutable(c) || JdkWords.bornAs(o, tx))) {
      return; // no barrier asks about it; or born owned through the patch's record field
    }
    tx.fresh.add(o, tx.level);
    tx.freshArrays |= array;
  }

  /**
   * Records an array made by {@code multianewarray} with {@code dims} allocated dimensions and
   * every array it holds down to them: the one instruction allocates them all (JVMS §6.5), so
   * nobody else can reach the rows of {@code new double[k][d]} either. Recording only the outer
   * array left a task's own rows to be turned written and locked element by element like shared
   * ones (the agent's DESIGN-NOTES, "Coarse k-means: a task's own rows, and reads before the
   * capture set").
   */
  public static void allocatedArrays(Object array, int dims, Txn tx) {
    allocated(array, tx);
    if (dims > 1) {
      for (Object inner : (Object[]) array) {
        allocatedArrays(inner, dims - 1, tx);
      }
    }
  }
}
