package org.ame4jtest.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Touches every kind of location the agent rewrites (fields, statics and array elements of each
 * primitive type and of references; plain and compound assignments; monitors, calls, lambdas,
 * atomics, arraycopy, clone) so that its instrumented form calls every family of barrier and
 * runtime entry point. Not run: {@code RuntimeContractTest} only links what it emits.
 */
public class EveryKind {
  boolean z;
  byte b;
  char c;
  short s;
  int i;
  long j;
  float f;
  double d;
  Object o;
  static boolean sz;
  static byte sb;
  static char sc;
  static short ss;
  static int si;
  static long sj;
  static float sf;
  static double sd;
  static Object so;
  private final List<Object> list = new ArrayList<>();

  Object touch(boolean[] za, byte[] ba, char[] ca, short[] sa, int[] ia, long[] ja, float[] fa,
      double[] da, Object[] oa, int k) {
    z = !z;
    b += 1;
    c += 1;
    s += 1;
    i += k;
    j += k;
    f += k;
    d += k;
    o = oa[k];
    sz = !sz;
    sb += 1;
    sc += 1;
    ss += 1;
    si += k;
    sj += k;
    sf += k;
    sd += k;
    so = o;
    za[k] = !za[k];
    ba[k] += 1;
    ca[k] += 1;
    sa[k] += 1;
    ia[k] += k;
    ja[k] += k;
    fa[k] += k;
    da[k] += k;
    oa[k] = so;
    int x = i;
    x += si;
    x += ia[k];
    ia[k + 1] = x;
    synchronized (this) {
      list.add(o);
    }
    Runnable r = () -> i++;
    r.run();
    System.arraycopy(ia, 0, ia, 1, 1);
    int[] copy = ia.clone();
    new AtomicInteger(copy[0]).incrementAndGet();
    new AtomicLong(j).addAndGet(k);
    return String.valueOf(o) + x + list.hashCode();
  }
}
