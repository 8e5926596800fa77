package org.ame4j.history;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A directed graph of transactions with labelled edges (write-write, write-read, read-write, each
 * naming its key and version), strongly connected components (Tarjan, iterative: histories have
 * up to millions of edges) and shortest cycles (breadth-first). Edges are kept in flat arrays, a
 * linked list per node, so a graph of 10^5 transactions costs a few megabytes.
 */
final class DependencyGraph {
  static final int WW = 1;
  static final int WR = 2;
  static final int RW = 4;

  private final int nodes;
  private final int[] head;
  private int[] next = new int[1024];
  private int[] to = new int[1024];
  private byte[] type = new byte[1024];
  private int[] key = new int[1024];
  private long[] version = new long[1024];
  private int edges;

  DependencyGraph(int nodes) {
    this.nodes = nodes;
    head = new int[nodes];
    Arrays.fill(head, -1);
  }

  void add(int from, int target, int edgeType, int k, long v) {
    if (edges == to.length) {
      int n = edges * 2;
      next = Arrays.copyOf(next, n);
      to = Arrays.copyOf(to, n);
      type = Arrays.copyOf(type, n);
      key = Arrays.copyOf(key, n);
      version = Arrays.copyOf(version, n);
    }
    next[edges] = head[from];
    to[edges] = target;
    type[edges] = (byte) edgeType;
    key[edges] = k;
    version[edges] = v;
    head[from] = edges++;
  }

  int edgeCount() {
    return edges;
  }

  int target(int edge) {
    return to[edge];
  }

  int type(int edge) {
    return type[edge];
  }

  int key(int edge) {
    return key[edge];
  }

  long version(int edge) {
    return version[edge];
  }

  /**
   * The strongly connected components with more than one node, over the nodes with
   * {@code include[n]} and the edges whose type is in {@code mask}.
   */
  List<int[]> cycles(boolean[] include, int mask) {
    int[] index = new int[nodes];
    int[] low = new int[nodes];
    Arrays.fill(index, -1);
    boolean[] onStack = new boolean[nodes];
    int[] stack = new int[nodes];
    int sp = 0;
    int[] callNode = new int[nodes];
    int[] callEdge = new int[nodes];
    int counter = 0;
    List<int[]> out = new ArrayList<>();
    for (int root = 0; root < nodes; root++) {
      if (!include[root] || index[root] >= 0) {
        continue;
      }
      int depth = 0;
      callNode[0] = root;
      callEdge[0] = head[root];
      index[root] = low[root] = counter++;
      stack[sp++] = root;
      onStack[root] = true;
      while (depth >= 0) {
        int v = callNode[depth];
        int e = callEdge[depth];
        while (e >= 0 && ((type[e] & mask) == 0 || !include[to[e]])) {
          e = next[e];
        }
        if (e >= 0) {
          callEdge[depth] = next[e];
          int w = to[e];
          if (index[w] < 0) {
            index[w] = low[w] = counter++;
            stack[sp++] = w;
            onStack[w] = true;
            depth++;
            callNode[depth] = w;
            callEdge[depth] = head[w];
          } else if (onStack[w]) {
            low[v] = Math.min(low[v], index[w]);
          }
          continue;
        }
        if (low[v] == index[v]) {
          int start = sp;
          do {
            start--;
            onStack[stack[start]] = false;
          } while (stack[start] != v);
          if (sp - start > 1) {
            out.add(Arrays.copyOfRange(stack, start, sp));
          }
          sp = start;
        }
        depth--;
        if (depth >= 0) {
          int parent = callNode[depth];
          low[parent] = Math.min(low[parent], low[v]);
        }
      }
    }
    return out;
  }

  /**
   * A shortest cycle through {@code start} using only nodes in {@code within} and edges in
   * {@code mask}, as a list of edge ids; empty if there is none.
   */
  List<Integer> shortestCycle(int start, boolean[] within, int mask) {
    int[] viaEdge = new int[nodes];
    int[] viaNode = new int[nodes];
    Arrays.fill(viaEdge, -2);
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    queue.add(start);
    viaEdge[start] = -1;
    while (!queue.isEmpty()) {
      int v = queue.poll();
      for (int e = head[v]; e >= 0; e = next[e]) {
        int w = to[e];
        if ((type[e] & mask) == 0 || !within[w]) {
          continue;
        }
        if (w == start) {
          List<Integer> cycle = new ArrayList<>();
          cycle.add(e);
          for (int n = v; n != start; n = viaNode[n]) {
            cycle.add(0, viaEdge[n]);
          }
          return cycle;
        }
        if (viaEdge[w] == -2) {
          viaEdge[w] = e;
          viaNode[w] = v;
          queue.add(w);
        }
      }
    }
    return List.of();
  }
}
