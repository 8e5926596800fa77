package org.ame4jtest.agenttest;

import org.ame4j.Ame;

/**
 * A graph walk's task shape for the agent's entry prefetch ({@code EntryPrefetch}): a method that
 * reads and writes several arrays of {@code this} at its parameter (it gets the prefetch), one
 * with a single such array, one that only reads them (no lock to serialise their misses), one that assigns its parameter first (it does not:
 * the value at entry is not the index), and a static one (no {@code this}).
 */
public class VertexTasks {
  boolean[] queued;
  int[] visits;
  int[] label;

  VertexTasks(int n) {
    queued = new boolean[n];
    visits = new int[n];
    label = new int[n];
    for (int v = 0; v < n; v++) {
      queued[v] = true;
      label[v] = v;
    }
  }

  /** Clears the mark, counts the visit and returns the label: three arrays at {@code u}. */
  int visit(int u) {
    queued[u] = false;
    visits[u]++;
    return label[u];
  }

  /** Reads only: no lock among its accesses, nothing to prefetch for. */
  int readOnly(int u) {
    return label[u] + visits[u] + (queued[u] ? 1 : 0);
  }

  int single(int u) {
    visits[u]++;
    return u;
  }

  int shifted(int u) {
    u = u + 1;
    queued[u] = false;
    visits[u]++;
    return label[u];
  }

  static int alone(VertexTasks t, int u) {
    t.queued[u] = false;
    t.visits[u]++;
    return t.label[u];
  }

  public static VertexTasks create(int n) {
    return new VertexTasks(n);
  }

  public static int visitAtomically(VertexTasks t, int u) {
    return Ame.atomic(() -> t.visit(u));
  }

  /** Drops the {@code visits} array, so that a visit throws after it cleared the mark. */
  public static void dropVisits(VertexTasks t) {
    t.visits = null;
  }

  public static boolean queued(VertexTasks t, int u) {
    return t.queued[u];
  }

  public static int visits(VertexTasks t, int u) {
    return t.visits[u];
  }
}
