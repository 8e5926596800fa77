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

  /** Locks element {@code i} of {@code array} for {@code tx}: true if its old value must be logged. */
  public static boolean openWrite(Object array, int i, Txn tx) {
    return ElementBarriers.lock(array, i, tx);
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
}
