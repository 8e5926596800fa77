package org.ame4j.internal.engine;

/**
 * The per-site element write barriers (issue 14, session 10): generated code opens the element
 * ({@link #openWrite}: the lock of {@link ElementBarriers#lock}), logs its old value
 * ({@code logX}, which returns it) and does the {@code xastore} itself, like the per-site field
 * writes of {@link SiteBarriers}:
 *
 * <pre>
 * a[i] = v   [a, i, v]  xstore t; dup2; aload tx; openWrite(Object,int,Txn)Z; istore b;
 *                       dup2; iload b; aload tx; logX(X[],int,boolean,Txn)X; pop; xload t; xastore
 * a[i] += d  [a, i, d]  the same up to logX, whose result (the old value, loaded under the lock)
 *                       stays: xload t; xadd; xastore
 * </pre>
 *
 * <p>A plain store {@code a[i] = v} is one call instead, {@code storeX(a, i, v, tx)}: it holds
 * the store until commit ({@link ElementBarriers#hold}, {@link HeldElementWrites}) when it may,
 * and otherwise opens, logs and stores as above. The compound form keeps the lock at the site:
 * the old value it adds to must be loaded under it.
 *
 * <p>Why not one call ({@code FieldWrites.writeElement}, {@code BlindAdds.addElement}): such an
 * entry point, once C2 compiles it on its own with the lock inlined, is about 3 KB of machine
 * code, more than {@code InlineSmallCode} (2,500 bytes), and from then on every twin compiled
 * after it calls it ("already compiled into a big method"). Each entry point here stays small
 * enough to inline on its own: {@code openWrite} (the lock, 1.7 KB compiled alone) and the
 * few-store log.
 *
 * <p>Guarantees what the one-call writes guarantee: the element's word is locked (or the array is
 * the attempt's own) and the old value logged under the lock before the site stores. A null array
 * or an index out of bounds throws at the site's own {@code xastore} (or at the log's load), after
 * the lock: the program's exception, a spurious lock at worst.
 */
public final class ElementSites {
  private ElementSites() {}

  /**
   * Loads element {@code i} of {@code array} and, if the array's stripe is written, its record
   * word, and keeps neither (the agent's entry prefetch, {@code EntryPrefetch}): the misses of a
   * twin's first element accesses start together instead of one after each locked write (issue
   * 14, session 14). Nothing is checked, logged or locked; a null array or an index out of bounds
   * loads nothing. In an attempt that allocated arrays the record word is not loaded: the array
   * may be its own, and hashing it would install an identity hash (a runtime call).
   */
  public static void prefetch(Object array, int i, Txn tx) {
    if (array == null) {
      return;
    }
    long x = ElementBarriers.touch(array, i);
    if (!tx.freshArrays) {
      long[] w = ArrayStripes.records(ArrayStripes.of(array)).words();
      if (w != null) {
        x += w[ArrayRecords.slot(w, i)];
      }
    }
    tx.touched = x; // kept only so that the loads are not dropped
  }

  /**
   * Puts {@code b}, {@code c} and {@code d} (null: fewer) in {@code a}'s stripe unless they are
   * already, so that one record word covers element {@code i} of each ({@link ArrayGroups}; the
   * agent's index-grouped records, called at the entry of a twin that accesses them at one
   * index). Changes nothing the program sees; the first call for new arrays runs the attempt
   * alone (it may restart it).
   */
  public static void group(Object a, Object b, Object c, Object d, Txn tx) {
    if (ArrayGroups.ON && !tx.freshArrays && !ArrayGroups.inPlace(a, b, c, d)) {
      ArrayGroups.register(a, b, c, d, tx);
    }
  }

  /** Locks element {@code i} of {@code array} for {@code tx}: true if its old value must be logged. */
  public static boolean openWrite(Object array, int i, Txn tx) {
    return ElementBarriers.lock(array, i, tx);
  }

  /**
   * {@link #openWrite} with a hoisted check of born arrays, for a compound add {@code a[i] += d}
   * in a loop (the agent's {@code HoistedChecks}; off with {@code -Dame4j.hoistedAdds=false}):
   * {@code born} is the site's local, the array it last found born at the attempt's running
   * nesting level in this twin invocation (or null). Returns what the site keeps next: that same
   * array when {@code array} is it (nothing to lock, nothing to log: one reference compare), else
   * {@code array} if {@link ElementBarriers#lock} found it born at the running level, else
   * {@code born} unchanged (the element is locked; {@code logXAt} logs it, since the array is not
   * what the site keeps). Why keeping it is safe: {@link BornArrayWrites}' argument (a twin
   * invocation lies inside one attempt and one nesting level).
   */
  public static Object openWriteAt(Object array, int i, Object born, Txn tx) {
    // Small: the kept array's compare inlines into the twin; the lock is a call of its own (the
    // two together, compiled, were past InlineSmallCode: every twin then called them).
    return array == born ? born : openMissAt(array, i, born, tx);
  }

  private static Object openMissAt(Object array, int i, Object born, Txn tx) {
    return ElementBarriers.lock(array, i, tx) ? born : array;
  }

  /** {@link #logInt} after {@link #openWriteAt}: logs unless {@code a} is the kept born array. */
  public static int logIntAt(int[] a, int i, Object born, Txn tx) {
    return logInt(a, i, a != born, tx);
  }

  public static long logLongAt(long[] a, int i, Object born, Txn tx) {
    return logLong(a, i, a != born, tx);
  }

  public static float logFloatAt(float[] a, int i, Object born, Txn tx) {
    return logFloat(a, i, a != born, tx);
  }

  public static double logDoubleAt(double[] a, int i, Object born, Txn tx) {
    return logDouble(a, i, a != born, tx);
  }

  /**
   * {@link #openWrite} at a compound site ({@code a[i] += d}) whose hoisted local {@code kept}
   * holds an array handed over as born at the running level ({@code OwnedArrays.bornIn}, from a
   * fresh-array field of a born owner: Gson's {@code pathIndices[stackSize - 1]++}): that very
   * array needs no lock and no undo entry, which is what {@link ElementBarriers#lock} would answer
   * after a capture-set lookup. Any other array (null {@code kept}: nothing handed over) is opened
   * as before. A reference compare, so a stale or foreign local can only cost the lookup.
   */
  public static boolean openWriteKept(Object array, int i, Object kept, Txn tx) {
    return array != kept && ElementBarriers.lock(array, i, tx);
  }

  public static int logInt(int[] a, int i, boolean log, Txn tx) {
    int old = a[i];
    if (log) {
      ElementBarriers.logOld(a, i, old, tx);
    }
    return old;
  }

  public static long logLong(long[] a, int i, boolean log, Txn tx) {
    long old = a[i];
    if (log) {
      ElementBarriers.logOld(a, i, old, tx);
    }
    return old;
  }

  public static float logFloat(float[] a, int i, boolean log, Txn tx) {
    float old = a[i];
    if (log) {
      ElementBarriers.logOld(a, i, Float.floatToRawIntBits(old), tx);
    }
    return old;
  }

  public static double logDouble(double[] a, int i, boolean log, Txn tx) {
    double old = a[i];
    if (log) {
      ElementBarriers.logOld(a, i, Double.doubleToRawLongBits(old), tx);
    }
    return old;
  }

  public static char logChar(char[] a, int i, boolean log, Txn tx) {
    char old = a[i];
    if (log) {
      ElementBarriers.logOld(a, i, old, tx);
    }
    return old;
  }

  public static short logShort(short[] a, int i, boolean log, Txn tx) {
    short old = a[i];
    if (log) {
      ElementBarriers.logOld(a, i, old, tx);
    }
    return old;
  }

  // ---- plain stores: held until commit where they may be (HeldElementWrites) ----------------

  public static void storeInt(int[] a, int i, int v, Txn tx) {
    if (!ElementBarriers.HOLD_WRITES || a == null || i < 0 || i >= a.length
        || !ElementBarriers.hold(a, i, (long) v, tx)) {
      storeIntAtSite(a, i, v, tx);
    }
  }

  private static void storeIntAtSite(int[] a, int i, int v, Txn tx) {
    logInt(a, i, openWrite(a, i, tx), tx);
    a[i] = v;
  }

  public static void storeLong(long[] a, int i, long v, Txn tx) {
    if (!ElementBarriers.HOLD_WRITES || a == null || i < 0 || i >= a.length
        || !ElementBarriers.hold(a, i, v, tx)) {
      storeLongAtSite(a, i, v, tx);
    }
  }

  private static void storeLongAtSite(long[] a, int i, long v, Txn tx) {
    logLong(a, i, openWrite(a, i, tx), tx);
    a[i] = v;
  }

  public static void storeFloat(float[] a, int i, float v, Txn tx) {
    if (!ElementBarriers.HOLD_WRITES || a == null || i < 0 || i >= a.length
        || !ElementBarriers.hold(a, i, Float.floatToRawIntBits(v), tx)) {
      storeFloatAtSite(a, i, v, tx);
    }
  }

  private static void storeFloatAtSite(float[] a, int i, float v, Txn tx) {
    logFloat(a, i, openWrite(a, i, tx), tx);
    a[i] = v;
  }

  public static void storeDouble(double[] a, int i, double v, Txn tx) {
    if (!ElementBarriers.HOLD_WRITES || a == null || i < 0 || i >= a.length
        || !ElementBarriers.hold(a, i, Double.doubleToRawLongBits(v), tx)) {
      storeDoubleAtSite(a, i, v, tx);
    }
  }

  private static void storeDoubleAtSite(double[] a, int i, double v, Txn tx) {
    logDouble(a, i, openWrite(a, i, tx), tx);
    a[i] = v;
  }

  public static void storeChar(char[] a, int i, char v, Txn tx) {
    if (!ElementBarriers.HOLD_WRITES || a == null || i < 0 || i >= a.length
        || !ElementBarriers.hold(a, i, (long) v, tx)) {
      storeCharAtSite(a, i, v, tx);
    }
  }

  private static void storeCharAtSite(char[] a, int i, char v, Txn tx) {
    logChar(a, i, openWrite(a, i, tx), tx);
    a[i] = v;
  }

  public static void storeShort(short[] a, int i, short v, Txn tx) {
    if (!ElementBarriers.HOLD_WRITES || a == null || i < 0 || i >= a.length
        || !ElementBarriers.hold(a, i, (long) v, tx)) {
      storeShortAtSite(a, i, v, tx);
    }
  }

  private static void storeShortAtSite(short[] a, int i, short v, Txn tx) {
    logShort(a, i, openWrite(a, i, tx), tx);
    a[i] = v;
  }
}
