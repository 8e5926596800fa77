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
