package org.ame4jtest.agenttest;

/**
 * Element loads for the conflict report's site markers: several loads of one array type on one
 * line (one site), loads on two lines, loads with a call of instrumented code between them, and
 * a load in a loop, a load and a store of one site in a loop, and a load of a final field's array.
 */
public class Stencil {
  final int[] cells = new int[4];

  static int three(int[] a, int i) {
    return a[i - 1] + a[i] + a[i + 1];
  }

  static int twoLines(int[] a, int i) {
    int x = a[i - 1];
    return x + a[i + 1];
  }

  static int aroundACall(int[] a, int i) {
    return a[i - 1] + twice(i) + a[i + 1];
  }

  static int twice(int i) {
    return 2 * i;
  }

  int finalField(int i) {
    return cells[i];
  }

  static void bump(int[] a) {
    for (int i = 0; i < a.length; i++) {
      a[i] = a[i] + 1;
    }
  }

  static int sum(int[] a) {
    int s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] + a[a.length - 1 - i];
    }
    return s;
  }
}
