package org.ame4jtest.agenttest;

import org.ame4j.Ame;

/**
 * Breadth-first relaxation over a graph in {@code int[]} arrays (CSR form). Each visit is one
 * task; new work is added with {@code Ame.add}, or to a private queue when run sequentially.
 */
public class Worklist {
  static int[] start;
  static int[] adj;
  static int[] dist;
  static int[] log;
  static int logSize;
  static boolean sequential;
  static int[] queue;
  static int head;
  static int tail;

  public static void init(int n, int degree, long seed) {
    start = new int[n + 1];
    adj = new int[n * degree];
    long s = seed;
    for (int v = 0; v < n; v++) {
      start[v] = v * degree;
      for (int k = 0; k < degree; k++) {
        s = s * 6364136223846793005L + 1442695040888963407L;
        adj[v * degree + k] = (int) ((s >>> 33) % n);
      }
    }
    start[n] = n * degree;
    dist = new int[n];
    java.util.Arrays.fill(dist, Integer.MAX_VALUE);
    log = new int[4 * n * degree + 1];
    logSize = 0;
    queue = new int[4 * n * degree + 1];
    head = 0;
    tail = 0;
  }

  public static void source(int v) {
    dist[v] = 0;
  }

  public static void visit(int v) {
    log[logSize++] = v;
    int d = dist[v];
    for (int i = start[v]; i < start[v + 1]; i++) {
      int w = adj[i];
      if (dist[w] > d + 1) {
        dist[w] = d + 1;
        if (sequential) {
          queue[tail++] = w;
        } else {
          Ame.add(() -> visit(w));
        }
      }
    }
  }

  /** The plain sequential program: no transactions at all. */
  public static void runSequential(int src) {
    sequential = true;
    source(src);
    queue[tail++] = src;
    while (head < tail) {
      visit(queue[head++]);
    }
    sequential = false;
  }

  public static int[] dist() {
    return dist.clone();
  }

  public static int[] log() {
    return java.util.Arrays.copyOf(log, logSize);
  }
}
