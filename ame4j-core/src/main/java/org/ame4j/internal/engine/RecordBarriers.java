package org.ame4j.internal.engine;

/**
 * The per-site barriers of the java.base patch's twins, for JDK objects whose class carries the
 * patch's record field ({@link JdkWords}): the site loads the record itself, so the barrier needs
 * no probe of the holder's class.
 *
 * <pre>
 * A read:   [obj] astore o; aload o; aload o; getfield C.$ame4j$rec; ldc id; aload tx;
 *                 openReadRecord(Object,Object,int,Txn)J; lstore w; aload o; getfield C.f;
 *                 aload o; getfield C.$ame4j$rec; lload w; aload tx; closeReadRecord(Object,J,Txn)V
 * A write:  as SiteBarriers.openWrite's, with "dup; getfield C.$ame4j$rec" before "ldc id".
 * </pre>
 *
 * The id only names the field in the conflict report ({@code Diagnostics.ON}). The record is a
 * {@link JdkRecord}: the same word, read set and lock set as a {@link TxObject}'s, so these
 * guarantee what {@link SiteBarriers} does for an object's own word. A record not yet stored in
 * its object (null at the site) is installed on first use ({@link JdkWords#record}).
 */
public final class RecordBarriers {
  private RecordBarriers() {}

  /** {@code SiteBarriers.openRead} of a JDK object whose record {@code rec} the site loaded (null: none yet). */
  public static long openReadRecord(Object holder, Object rec, int field, Txn tx) {
    if (Diagnostics.ON) {
      Diagnostics.field(tx, holder, field); // the conflict report names the JDK field, not the record
    }
    return FieldBarriers.openObjectRead(rec != null ? (TxObject) rec : JdkWords.record(holder), tx);
  }

  /**
   * {@code ame4j.readForWrite} (default true): whether a read the agent found to feed a write of
   * the same field of the same object ({@link #openReadForWrite}) takes the record's write lock at
   * the read. Off, such reads are ordinary logged reads (the A/B switch).
   */
  public static final boolean READ_FOR_WRITE =
      Boolean.parseBoolean(System.getProperty("ame4j.readForWrite", "true"));

  /**
   * {@link #openReadRecord} at a read-for-write site: a read of {@code x.f} whose value the method
   * stores back into {@code x.f} (a read-modify-write, {@code HashMap.merge}'s {@code old.value}).
   * Opens the holder for writing instead: its lock is taken now (or it is ours already), so a
   * second writer of the record waits for this attempt to end at its own read instead of reading
   * the old value, losing the race for the lock and aborting at validation. Returns
   * {@link Txn#OWN}: the value under our lock needs no check and no read-set entry (the lock's
   * {@code acquire} extended the snapshot past a newer word first, so the value belongs to it).
   * If no write follows after all, the lock is released at commit or abort like any other.
   */
  public static long openReadForWrite(Object holder, Object rec, int field, Txn tx) {
    if (!READ_FOR_WRITE) {
      return openReadRecord(holder, rec, field, tx);
    }
    openWriteRecord(holder, rec, field, tx);
    return Txn.OWN;
  }

  /** Closes a read opened by {@link #openReadRecord}; {@code rec} is the record, loaded again. */
  public static void closeReadRecord(Object rec, long word, Txn tx) {
    if ((word & 1L) == 0) {
      FieldBarriers.closeObjectRead((TxObject) rec, word, tx);
    }
  }

  /** {@code SiteBarriers.openWrite} of a JDK object whose record {@code rec} the site loaded (null: none yet). */
  public static boolean openWriteRecord(Object holder, Object rec, int field, Txn tx) {
    if (Diagnostics.ON) {
      Diagnostics.field(tx, holder, field);
    }
    return FieldLocks.openObjectWrite(rec != null ? (TxObject) rec : JdkWords.record(holder), tx);
  }

  /**
   * A record born owned by {@code tx}, for the constructor of a root of the patch's record field
   * to store in its object (which no other thread can see yet).
   */
  public static Object bornRecord(Txn tx) {
    return JdkWords.born(tx);
  }
}
