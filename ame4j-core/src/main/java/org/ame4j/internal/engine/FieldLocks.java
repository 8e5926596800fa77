package org.ame4j.internal.engine;

/**
 * Encounter-time write locks of fields and statics, shared by every write path
 * ({@link SiteBarriers}, {@link RecordBarriers}, {@link FieldWrites}, {@link BlindAdds},
 * {@link JdkBarriers}): a write first takes the record of its location (the object's own word, a
 * JDK object's record, or the striped table's word), so that no other transaction sees the new
 * value before commit.
 *
 * <p>Each lock answers whether the caller must log the old value: false when the location belongs
 * to an object the running nesting level allocated (no lock, no undo entry), true once the
 * record is held by this transaction (taken now, or held already) or when the object was
 * allocated before the running nested block began (no lock: it is nobody else's; but the block
 * may fail alone, and its writes must then be undone). Does not log or store anything itself.
 */
final class FieldLocks {
  private FieldLocks() {}

  /**
   * Opens an object for writing: false if it was born owned by this attempt's running nesting
   * level (no lock, no undo entry needed), else true: it is locked by this transaction (taken
   * now, or held already), or it was born before the running nested block began (no lock).
   * Every write path of an object or a JDK record (per-site and generic) comes here.
   */
  static boolean openObjectWrite(TxObject o, Txn tx) {
    // The two answers a write to an object we already hold gets, decided at the site: C2
    // compiles lockField (which inlines the lock acquisition) into a big method of its own and
    // then refuses to inline it ("already compiled into a big method"), so a call per write.
    long word = o.meta; // only this thread stores our own words: no race on those
    if (word == tx.freshWord) {
      return false; // born owned in this nesting level: no lock, no undo entry
    }
    if (word != tx.lockWord && (word | Orecs.OWN_BITS) != tx.ownWord) {
      tx.acquire(o, -1, true); // the one call a first write makes, as lockField's path did
    }
    return true; // locked, or born before the running nested block: log, the block may fail alone
  }

  /** Locks a field of any holder: its own word, its JDK record, else the table's word. */
  static boolean lockField(Object holder, int field, Txn tx) {
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
  static boolean lockShared(Object holder, int field, Txn tx) {
    if (tx.fresh.contains(holder)) {
      return tx.fresh.bornBefore(holder, tx.level); // log only if allocated before this nested block
    }
    if (Diagnostics.ON) {
      Diagnostics.field(tx, holder, field);
    }
    tx.acquire(null, Orecs.Table.index(holder, field), true);
    return true;
  }

  /** The write lock of a static field: always the table's word (a class is never fresh). */
  static void lockStatic(Class<?> owner, int field, Txn tx) {
    if (Diagnostics.ON) {
      Diagnostics.field(tx, owner, field);
    }
    tx.acquire(null, Orecs.Table.index(owner, field), true);
  }

  /**
   * The record of a JDK object whose class carries the java.base patch's record field
   * ({@link JdkWords}), or null (no such field, or null: the access itself then throws).
   */
  static TxObject jdkRecord(Object holder) {
    return holder == null ? null : JdkWords.record(holder);
  }
}
