package org.ame4jtest.agenttest;

/** Every field and array kind, for rollback and commit of each barrier shape. */
public class Mixed {
  public boolean z;
  public byte b;
  public char c;
  public short s;
  public int i;
  public long j;
  public float f;
  public double d;
  public Object o;
  public String str;
  static double sd;
  static String ss;

  public boolean[] zs = new boolean[4];
  public byte[] bs = new byte[4];
  public char[] cs = new char[4];
  public short[] shs = new short[4];
  public int[] is = new int[4];
  public long[] js = new long[4];
  public float[] fs = new float[4];
  public double[] ds = new double[4];
  public String[] strs = new String[4];

  /** Writes every location from its current value (so reads are barriered too). */
  public static void touchAll(Mixed m, int k) {
    m.z = !m.z;
    m.b = (byte) (m.b + k);
    m.c = (char) (m.c + k);
    m.s = (short) (m.s + k);
    m.i += k;
    m.j += k;
    m.f += k;
    m.d += k;
    m.o = "o" + k;
    m.str = m.str + k;
    sd += k;
    ss = "s" + k;
    m.zs[1] = !m.zs[1];
    m.bs[1] += (byte) k;
    m.cs[1] += (char) k;
    m.shs[1] += (short) k;
    m.is[1] += k;
    m.js[1] += k;
    m.fs[1] += k;
    m.ds[1] += k;
    m.strs[1] = m.strs[1] + k;
  }

  public static void touchAllThenThrow(Mixed m, int k) {
    touchAll(m, k);
    throw new IllegalStateException("boom " + k);
  }

  public static double staticD() {
    return sd;
  }

  public static String staticS() {
    return ss;
  }

  public String describe() {
    return z + "," + b + "," + (int) c + "," + s + "," + i + "," + j + "," + f + "," + d + "," + o
        + "," + str + "|" + zs[1] + "," + bs[1] + "," + (int) cs[1] + "," + shs[1] + "," + is[1]
        + "," + js[1] + "," + fs[1] + "," + ds[1] + "," + strs[1];
  }
}
