package org.ame4j.internal.engine;

import java.lang.invoke.VarHandle;

/**
 * The barriers that instrumented code (the agent's transactional twins) calls for plain fields,
 * static fields and array elements. Every method takes the running transaction as its last
 * argument, so generated code passes the descriptor it already holds and nothing here looks it
 * up.
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
 * {@code beforeReadElement(Object,int,Txn)}), with no swapping of wide values.
 *
 * <p><b>Writes</b> are one call that locks the record, logs the old value and stores: the field's
 * {@link VarHandle} (a constant at the call site, e.g. a {@code ConstantBootstraps.fieldVarHandle}
 * dynamic constant) does the access, so it folds away when the barrier is inlined.
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

  // ---- reads --------------------------------------------------------------------------------

  public static void beforeRead(Object holder, int field, Txn tx) {
    TxObject o = holder instanceof TxObject t ? t : jdkRecord(holder);
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
    if ((word | Orecs.FRESH) == tx.freshWord) {
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
  private static void beforeReadShared(Object holder, int field, Txn tx) {
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

  /** The second half of an object read: the word must not have changed since it was opened. */
  private static void closeObjectRead(TxObject o, long word, Txn tx) {
    VarHandle.acquireFence(); // the value load happens before the re-check (StampedLock.validate)
    if (o.meta != word) {
      throw tx.abortRead(o, -1);
    }
    tx.logObjectRead(o, word);
  }

  /**
   * The record of a JDK object whose class carries the java.base patch's record field
   * ({@link JdkWords}), or null (no such field, or null: the access itself then throws).
   */
  private static TxObject jdkRecord(Object holder) {
    return holder == null ? null : JdkWords.record(holder);
  }

  /**
   * Records that {@code o} was allocated by the running transaction (call after the top-most
   * instrumented constructor's {@code super()}): an instrumented object is born owned (its word
   * becomes the attempt's fresh word, see {@link TxObject}); any other goes to the capture set.
   */
  public static void allocated(Object o, Txn tx) {
    if (o instanceof TxObject t) {
      // Not yet reachable by another thread: a plain store (the one RecordStoresTest allows);
      // BornObjects.releaseAll publishes the object with a release store at the end.
      TxCell.META.set(t, tx.freshWord);
      tx.born.add(t);
      return;
    }
    boolean array = o.getClass().isArray();
    if (!array && JdkWords.bornAs(o, tx)) {
      return; // a JDK object with the patch's record field: born owned through it
    }
    tx.fresh.add(o);
    tx.freshArrays |= array;
  }

  // ---- per-site field barriers: the JIT inlines them, the site does the access --------------
  //
  // A read:   [obj] dup; astore o; ldc id; aload tx; openRead(Object,int,Txn)J; lstore w;
  //                 aload o; getfield C.f; aload o; lload w; aload tx; closeRead(Object,long,Txn)V
  // A write:  [obj, v] xstore t; dup; dup; dup; ldc id; aload tx; openWrite(Object,int,Txn)Z;
  //                 swap; getfield C.f; ldc VH; aload tx; logX(Object,boolean,X,VarHandle,Txn)V;
  //                 xload t; putfield C.f
  // The field access stays a getfield/putfield at the site and the barriers never invoke the
  // VarHandle (the undo log only keeps it for rollback), so each barrier is a few dozen bytes
  // of bytecode that C2 inlines into every site, with the slow paths out of line in Txn. The
  // object's word (TxObject) is read next to its header; other holders use the striped table.

  /** {@link #openRead} result: a table read is pending in the descriptor (see {@link #afterRead}). */
  private static final long TABLE = -3L;

  /**
   * Opens a field of {@code holder} for reading: the word to check after the load, or a marker
   * (odd, so never a real unlocked word) meaning nothing to check, or a table read pending.
   */
  public static long openRead(Object holder, int field, Txn tx) {
    if (holder instanceof TxObject o) {
      return openObjectRead(o, tx);
    }
    beforeRead(holder, field, tx);
    return TABLE;
  }

  /**
   * {@link #openRead} at a site whose field's class is known (at instrumentation time, from its
   * whole superclass chain) not to carry the java.base patch's record field: no {@link JdkWords}
   * probe. Sound because the field is declared only by classes extending {@code Object}
   * directly, so a class has it exactly when the top of its chain does, as all its subclasses.
   */
  public static long openReadNoRecord(Object holder, int field, Txn tx) {
    if (holder instanceof TxObject o) {
      return openObjectRead(o, tx);
    }
    beforeReadShared(holder, field, tx);
    return TABLE;
  }

  private static long openObjectRead(TxObject o, Txn tx) {
    long word = o.meta;
    if ((word | Orecs.FRESH) == tx.freshWord) {
      return Txn.OWN;
    }
    if (Orecs.isLocked(word) || tx.inevitable) {
      return tx.openObject(o);
    }
    return word;
  }

  // ---- per-site barriers of the java.base patch's twins: the record field is read at the site --
  //
  // A read:   [obj] astore o; aload o; aload o; getfield C.$ame4j$rec; ldc id; aload tx;
  //                 openReadRecord(Object,Object,int,Txn)J; lstore w; aload o; getfield C.f;
  //                 aload o; getfield C.$ame4j$rec; lload w; aload tx; closeReadRecord(Object,J,Txn)V
  // A write:  as openWrite's, with "dup; getfield C.$ame4j$rec" before "ldc id".
  // The id only names the field in the conflict report (Diagnostics.ON).
  // The record is a JdkRecord: the same word, read set and lock set as a TxObject's.

  /** {@link #openRead} of a JDK object whose record {@code rec} the site loaded (null: none yet). */
  public static long openReadRecord(Object holder, Object rec, int field, Txn tx) {
    if (Diagnostics.ON) {
      Diagnostics.field(tx, holder, field); // the conflict report names the JDK field, not the record
    }
    return openObjectRead(rec != null ? (TxObject) rec : JdkWords.record(holder), tx);
  }

  /** Closes a read opened by {@link #openReadRecord}; {@code rec} is the record, loaded again. */
  public static void closeReadRecord(Object rec, long word, Txn tx) {
    if ((word & 1L) == 0) {
      closeObjectRead((TxObject) rec, word, tx);
    }
  }

  /** {@link #openWrite} of a JDK object whose record {@code rec} the site loaded (null: none yet). */
  public static boolean openWriteRecord(Object holder, Object rec, int field, Txn tx) {
    if (Diagnostics.ON) {
      Diagnostics.field(tx, holder, field);
    }
    return openObjectWrite(rec != null ? (TxObject) rec : JdkWords.record(holder), tx);
  }

  /**
   * A record born owned by {@code tx}, for the constructor of a root of the patch's record field
   * to store in its object (which no other thread can see yet).
   */
  public static Object bornRecord(Txn tx) {
    return JdkWords.born(tx);
  }

  /** Closes a read opened by {@link #openRead}: aborts if the word changed meanwhile. */
  public static void closeRead(Object holder, long word, Txn tx) {
    if ((word & 1L) == 0) {
      closeObjectRead((TxObject) holder, word, tx);
    } else if (word == TABLE) {
      afterRead(tx);
    }
  }

  /**
   * Opens a field of {@code holder} for writing: locks its record (the object's word, or the
   * table's) unless already ours. Returns whether the old value must be logged: false for an
   * object this attempt allocated.
   */
  public static boolean openWrite(Object holder, int field, Txn tx) {
    if (holder instanceof TxObject o) {
      return openObjectWrite(o, tx);
    }
    return lockField(holder, field, tx);
  }

  /** {@link #openWrite} at a site known not to see the patch's record field ({@link #openReadNoRecord}). */
  public static boolean openWriteNoRecord(Object holder, int field, Txn tx) {
    if (holder instanceof TxObject o) {
      return openObjectWrite(o, tx);
    }
    return lockShared(holder, field, tx);
  }

  /**
   * Opens an object for writing: false if it was born owned by this attempt (no lock, no undo
   * entry needed), else true once it is locked by this transaction (taken now, or held already).
   * Every write path of an object or a JDK record (per-site and generic) comes here.
   */
  private static boolean openObjectWrite(TxObject o, Txn tx) {
    // The two answers a write to an object we already hold gets, decided at the site: C2
    // compiles lockField (which inlines the lock acquisition) into a big method of its own and
    // then refuses to inline it ("already compiled into a big method"), so a call per write.
    long word = o.meta; // only this thread stores our own two words: no race on those
    if (word == tx.freshWord) {
      return false; // born owned: no lock, no undo entry
    }
    if (word != tx.lockWord) {
      tx.acquire(o, -1, true); // the one call a first write makes, as lockField's path did
    }
    return true;
  }

  /** Logs the old value of an int-like field (boolean, byte, char, short, int) opened for writing. */
  public static void logInt(Object holder, boolean log, int old, VarHandle vh, Txn tx) {
    if (log) {
      tx.undo.add(UndoLog.FIELD, holder, vh, null, old, -1);
    }
  }

  public static void logLong(Object holder, boolean log, long old, VarHandle vh, Txn tx) {
    if (log) {
      tx.undo.add(UndoLog.FIELD, holder, vh, null, old, -1);
    }
  }

  public static void logFloat(Object holder, boolean log, float old, VarHandle vh, Txn tx) {
    if (log) {
      tx.undo.add(UndoLog.FIELD, holder, vh, null, Float.floatToRawIntBits(old), -1);
    }
  }

  public static void logDouble(Object holder, boolean log, double old, VarHandle vh, Txn tx) {
    if (log) {
      tx.undo.add(UndoLog.FIELD, holder, vh, null, Double.doubleToRawLongBits(old), -1);
    }
  }

  public static void logObject(Object holder, boolean log, Object old, VarHandle vh, Txn tx) {
    if (log) {
      tx.undo.add(UndoLog.FIELD, holder, vh, old, 0, -1);
    }
  }

  // ---- writes -------------------------------------------------------------------------------

  private static boolean lockField(Object holder, int field, Txn tx) {
    TxObject o = holder instanceof TxObject t ? t : jdkRecord(holder);
    if (o != null) {
      if (Diagnostics.ON && o instanceof JdkRecord) {
        Diagnostics.field(tx, holder, field);
      }
      return openObjectWrite(o, tx);
    }
    return lockShared(holder, field, tx);
  }

  /** The write lock of a holder with no record of its own: none if fresh, else the table's. */
  private static boolean lockShared(Object holder, int field, Txn tx) {
    if (tx.fresh.contains(holder)) {
      return false;
    }
    if (Diagnostics.ON) {
      Diagnostics.field(tx, holder, field);
    }
    tx.acquire(null, Orecs.Table.index(holder, field), true);
    return true;
  }

  private static void lockStatic(Class<?> owner, int field, Txn tx) {
    if (Diagnostics.ON) {
      Diagnostics.field(tx, owner, field);
    }
    tx.acquire(null, Orecs.Table.index(owner, field), true);
  }

  public static void writeInt(Object holder, int field, VarHandle vh, int value, Txn tx) {
    if (lockField(holder, field, tx)) {
      tx.undo.add(UndoLog.FIELD, holder, vh, null, (long) (int) vh.get(holder), -1);
    }
    vh.set(holder, value);
  }

  public static void writeStaticInt(Class<?> owner, int field, VarHandle vh, int value, Txn tx) {
    lockStatic(owner, field, tx);
    tx.undo.add(UndoLog.STATIC, owner, vh, null, (long) (int) vh.get(), -1);
    vh.set(value);
  }

  public static void writeElement(int[] array, int index, int value, Txn tx) {
    if (ElementBarriers.lock(array, index, tx)) {
      tx.undo.add(UndoLog.ARRAY, array, null, null, (long) array[index], index);
    }
    array[index] = value;
  }

  public static void writeLong(Object holder, int field, VarHandle vh, long value, Txn tx) {
    if (lockField(holder, field, tx)) {
      tx.undo.add(UndoLog.FIELD, holder, vh, null, (long) vh.get(holder), -1);
    }
    vh.set(holder, value);
  }

  public static void writeStaticLong(Class<?> owner, int field, VarHandle vh, long value, Txn tx) {
    lockStatic(owner, field, tx);
    tx.undo.add(UndoLog.STATIC, owner, vh, null, (long) vh.get(), -1);
    vh.set(value);
  }

  public static void writeElement(long[] array, int index, long value, Txn tx) {
    if (ElementBarriers.lock(array, index, tx)) {
      tx.undo.add(UndoLog.ARRAY, array, null, null, array[index], index);
    }
    array[index] = value;
  }

  public static void writeFloat(Object holder, int field, VarHandle vh, float value, Txn tx) {
    if (lockField(holder, field, tx)) {
      tx.undo.add(UndoLog.FIELD, holder, vh, null, (long) Float.floatToRawIntBits((float) vh.get(holder)), -1);
    }
    vh.set(holder, value);
  }

  public static void writeStaticFloat(Class<?> owner, int field, VarHandle vh, float value, Txn tx) {
    lockStatic(owner, field, tx);
    tx.undo.add(UndoLog.STATIC, owner, vh, null, (long) Float.floatToRawIntBits((float) vh.get()), -1);
    vh.set(value);
  }

  public static void writeElement(float[] array, int index, float value, Txn tx) {
    if (ElementBarriers.lock(array, index, tx)) {
      tx.undo.add(UndoLog.ARRAY, array, null, null, (long) Float.floatToRawIntBits(array[index]), index);
    }
    array[index] = value;
  }

  public static void writeDouble(Object holder, int field, VarHandle vh, double value, Txn tx) {
    if (lockField(holder, field, tx)) {
      tx.undo.add(UndoLog.FIELD, holder, vh, null, Double.doubleToRawLongBits((double) vh.get(holder)), -1);
    }
    vh.set(holder, value);
  }

  public static void writeStaticDouble(Class<?> owner, int field, VarHandle vh, double value, Txn tx) {
    lockStatic(owner, field, tx);
    tx.undo.add(UndoLog.STATIC, owner, vh, null, Double.doubleToRawLongBits((double) vh.get()), -1);
    vh.set(value);
  }

  public static void writeElement(double[] array, int index, double value, Txn tx) {
    if (ElementBarriers.lock(array, index, tx)) {
      tx.undo.add(UndoLog.ARRAY, array, null, null, Double.doubleToRawLongBits(array[index]), index);
    }
    array[index] = value;
  }

  public static void writeBoolean(Object holder, int field, VarHandle vh, boolean value, Txn tx) {
    if (lockField(holder, field, tx)) {
      tx.undo.add(UndoLog.FIELD, holder, vh, null, ((boolean) vh.get(holder) ? 1L : 0L), -1);
    }
    vh.set(holder, value);
  }

  public static void writeStaticBoolean(Class<?> owner, int field, VarHandle vh, boolean value, Txn tx) {
    lockStatic(owner, field, tx);
    tx.undo.add(UndoLog.STATIC, owner, vh, null, ((boolean) vh.get() ? 1L : 0L), -1);
    vh.set(value);
  }

  public static void writeElement(boolean[] array, int index, boolean value, Txn tx) {
    if (ElementBarriers.lock(array, index, tx)) {
      tx.undo.add(UndoLog.ARRAY, array, null, null, (array[index] ? 1L : 0L), index);
    }
    array[index] = value;
  }

  public static void writeByte(Object holder, int field, VarHandle vh, byte value, Txn tx) {
    if (lockField(holder, field, tx)) {
      tx.undo.add(UndoLog.FIELD, holder, vh, null, (long) (byte) vh.get(holder), -1);
    }
    vh.set(holder, value);
  }

  public static void writeStaticByte(Class<?> owner, int field, VarHandle vh, byte value, Txn tx) {
    lockStatic(owner, field, tx);
    tx.undo.add(UndoLog.STATIC, owner, vh, null, (long) (byte) vh.get(), -1);
    vh.set(value);
  }

  public static void writeElement(byte[] array, int index, byte value, Txn tx) {
    if (ElementBarriers.lock(array, index, tx)) {
      tx.undo.add(UndoLog.ARRAY, array, null, null, (long) array[index], index);
    }
    array[index] = value;
  }

  public static void writeShort(Object holder, int field, VarHandle vh, short value, Txn tx) {
    if (lockField(holder, field, tx)) {
      tx.undo.add(UndoLog.FIELD, holder, vh, null, (long) (short) vh.get(holder), -1);
    }
    vh.set(holder, value);
  }

  public static void writeStaticShort(Class<?> owner, int field, VarHandle vh, short value, Txn tx) {
    lockStatic(owner, field, tx);
    tx.undo.add(UndoLog.STATIC, owner, vh, null, (long) (short) vh.get(), -1);
    vh.set(value);
  }

  public static void writeElement(short[] array, int index, short value, Txn tx) {
    if (ElementBarriers.lock(array, index, tx)) {
      tx.undo.add(UndoLog.ARRAY, array, null, null, (long) array[index], index);
    }
    array[index] = value;
  }

  public static void writeChar(Object holder, int field, VarHandle vh, char value, Txn tx) {
    if (lockField(holder, field, tx)) {
      tx.undo.add(UndoLog.FIELD, holder, vh, null, (long) (char) vh.get(holder), -1);
    }
    vh.set(holder, value);
  }

  public static void writeStaticChar(Class<?> owner, int field, VarHandle vh, char value, Txn tx) {
    lockStatic(owner, field, tx);
    tx.undo.add(UndoLog.STATIC, owner, vh, null, (long) (char) vh.get(), -1);
    vh.set(value);
  }

  public static void writeElement(char[] array, int index, char value, Txn tx) {
    if (ElementBarriers.lock(array, index, tx)) {
      tx.undo.add(UndoLog.ARRAY, array, null, null, (long) array[index], index);
    }
    array[index] = value;
  }

  public static void writeObject(Object holder, int field, VarHandle vh, Object value, Txn tx) {
    if (lockField(holder, field, tx)) {
      tx.undo.add(UndoLog.FIELD, holder, vh, vh.get(holder), 0, -1);
    }
    vh.set(holder, value);
  }

  public static void writeStaticObject(Class<?> owner, int field, VarHandle vh, Object value, Txn tx) {
    lockStatic(owner, field, tx);
    tx.undo.add(UndoLog.STATIC, owner, vh, vh.get(), 0, -1);
    vh.set(value);
  }

  public static void writeElement(Object[] array, int index, Object value, Txn tx) {
    if (ElementBarriers.lock(array, index, tx)) {
      tx.undo.add(UndoLog.ARRAY, array, null, array[index], 0, index);
    }
    array[index] = value;
  }

  // ---- blind updates: x += d whose old value the program never observes ---------------------
  //
  // By default applied eagerly as a read-for-write: lock the record, then read, add and store
  // (the value read under our own lock is stable, so it needs no read-set entry and no
  // validation: one barrier instead of two). With -Dame4j.blindUpdates.defer=true the delta is
  // kept and applied at commit instead (BlindUpdates: fewer conflicts on hot counters, but the
  // commit-time apply is a generic VarHandle call; measured slower on 2 cores, see DESIGN-NOTES).

  private static boolean deferBlind = Boolean.getBoolean("ame4j.blindUpdates.defer");

  /**
   * Switches blind updates between eager (default) and deferred to commit, for transactions'
   * updates from now on (an experiment switch; a pending delta is applied either way).
   */
  public static void deferBlindUpdates(boolean defer) {
    deferBlind = defer;
  }

  public static void addInt(Object holder, int field, VarHandle vh, int delta, Txn tx) {
    if (deferBlind && !hasOwnRecord(holder)) { // an object's own record: applied eagerly
      blindField(holder, field, vh, delta, tx);
      return;
    }
    int old;
    if (lockField(holder, field, tx)) {
      old = (int) vh.get(holder);
      tx.undo.add(UndoLog.FIELD, holder, vh, null, old, -1);
    } else {
      old = (int) vh.get(holder);
    }
    vh.set(holder, old + delta);
  }

  public static void addLong(Object holder, int field, VarHandle vh, long delta, Txn tx) {
    if (deferBlind && !hasOwnRecord(holder)) { // an object's own record: applied eagerly
      blindField(holder, field, vh, delta, tx);
      return;
    }
    long old;
    if (lockField(holder, field, tx)) {
      old = (long) vh.get(holder);
      tx.undo.add(UndoLog.FIELD, holder, vh, null, old, -1);
    } else {
      old = (long) vh.get(holder);
    }
    vh.set(holder, old + delta);
  }

  public static void addFloat(Object holder, int field, VarHandle vh, float delta, Txn tx) {
    if (deferBlind && !hasOwnRecord(holder)) { // an object's own record: applied eagerly
      blindField(holder, field, vh, Float.floatToRawIntBits(delta), tx);
      return;
    }
    float old;
    if (lockField(holder, field, tx)) {
      old = (float) vh.get(holder);
      tx.undo.add(UndoLog.FIELD, holder, vh, null, Float.floatToRawIntBits(old), -1);
    } else {
      old = (float) vh.get(holder);
    }
    vh.set(holder, old + delta);
  }

  public static void addDouble(Object holder, int field, VarHandle vh, double delta, Txn tx) {
    if (deferBlind && !hasOwnRecord(holder)) { // an object's own record: applied eagerly
      blindField(holder, field, vh, Double.doubleToRawLongBits(delta), tx);
      return;
    }
    double old;
    if (lockField(holder, field, tx)) {
      old = (double) vh.get(holder);
      tx.undo.add(UndoLog.FIELD, holder, vh, null, Double.doubleToRawLongBits(old), -1);
    } else {
      old = (double) vh.get(holder);
    }
    vh.set(holder, old + delta);
  }

  public static void addStaticInt(Class<?> owner, int field, VarHandle vh, int delta, Txn tx) {
    if (deferBlind) {
      blind(BlindUpdates.STATIC, owner, vh, -1, Orecs.Table.index(owner, field), delta, tx);
      return;
    }
    lockStatic(owner, field, tx);
    int old = (int) vh.get();
    tx.undo.add(UndoLog.STATIC, owner, vh, null, old, -1);
    vh.set(old + delta);
  }

  public static void addStaticLong(Class<?> owner, int field, VarHandle vh, long delta, Txn tx) {
    if (deferBlind) {
      blind(BlindUpdates.STATIC, owner, vh, -1, Orecs.Table.index(owner, field), delta, tx);
      return;
    }
    lockStatic(owner, field, tx);
    long old = (long) vh.get();
    tx.undo.add(UndoLog.STATIC, owner, vh, null, old, -1);
    vh.set(old + delta);
  }

  public static void addStaticFloat(Class<?> owner, int field, VarHandle vh, float delta, Txn tx) {
    if (deferBlind) {
      blind(BlindUpdates.STATIC, owner, vh, -1, Orecs.Table.index(owner, field),
          Float.floatToRawIntBits(delta), tx);
      return;
    }
    lockStatic(owner, field, tx);
    float old = (float) vh.get();
    tx.undo.add(UndoLog.STATIC, owner, vh, null, Float.floatToRawIntBits(old), -1);
    vh.set(old + delta);
  }

  public static void addStaticDouble(Class<?> owner, int field, VarHandle vh, double delta, Txn tx) {
    if (deferBlind) {
      blind(BlindUpdates.STATIC, owner, vh, -1, Orecs.Table.index(owner, field),
          Double.doubleToRawLongBits(delta), tx);
      return;
    }
    lockStatic(owner, field, tx);
    double old = (double) vh.get();
    tx.undo.add(UndoLog.STATIC, owner, vh, null, Double.doubleToRawLongBits(old), -1);
    vh.set(old + delta);
  }

  public static void addElement(int[] array, int index, int delta, Txn tx) {
    int old = array[index]; // NullPointerException / bounds here, where the program has them
    if (ElementBarriers.lock(array, index, tx)) {
      old = array[index]; // under our lock now
      tx.undo.add(UndoLog.ARRAY, array, null, null, old, index);
    }
    array[index] = old + delta;
  }

  public static void addElement(long[] array, int index, long delta, Txn tx) {
    long old = array[index];
    if (ElementBarriers.lock(array, index, tx)) {
      old = array[index];
      tx.undo.add(UndoLog.ARRAY, array, null, null, old, index);
    }
    array[index] = old + delta;
  }

  public static void addElement(float[] array, int index, float delta, Txn tx) {
    float old = array[index];
    if (ElementBarriers.lock(array, index, tx)) {
      old = array[index];
      tx.undo.add(UndoLog.ARRAY, array, null, null, Float.floatToRawIntBits(old), index);
    }
    array[index] = old + delta;
  }

  public static void addElement(double[] array, int index, double delta, Txn tx) {
    double old = array[index];
    if (ElementBarriers.lock(array, index, tx)) {
      old = array[index];
      tx.undo.add(UndoLog.ARRAY, array, null, null, Double.doubleToRawLongBits(old), index);
    }
    array[index] = old + delta;
  }

  private static boolean hasOwnRecord(Object holder) {
    return holder instanceof TxObject || (holder != null && JdkWords.has(holder.getClass()));
  }

  private static void blindField(Object holder, int field, VarHandle vh, long delta, Txn tx) {
    if (holder == null) {
      throw new NullPointerException("cannot update a field of null");
    }
    blind(BlindUpdates.FIELD, holder, vh, -1, Orecs.Table.index(holder, field), delta, tx);
  }

  private static void blind(byte kind, Object holder, VarHandle vh, int element, int orec, long delta, Txn tx) {
    if (tx.fresh.contains(holder)) {
      BlindUpdates.applyLocked(kind, holder, vh, element, delta, tx);
      return;
    }
    long word = (long) Orecs.TABLE.getAcquire(Orecs.Table.WORDS, orec);
    if (tx.inevitable || word == tx.lockWord) {
      tx.acquire(null, orec, true); // ours already, or the inevitable transaction's: apply now
      BlindUpdates.applyLocked(kind, holder, vh, element, delta, tx);
    } else {
      tx.blind.add(kind, holder, vh, element, orec, delta);
    }
  }
}
