package org.ame4jbench.plain;

/**
 * SSCA2 kernel 1 over plain arrays (STAMP's {@code ssca2}): builds a directed graph's adjacency
 * arrays from a list of edges. {@link #count} (one transaction per edge) counts out-degrees;
 * {@link #layout} (sequential) turns them into offsets; {@link #place} (one transaction per edge)
 * claims the next free slot of the source vertex and writes the target there.
 */
public final class Ssca2Graph {
  public final int[] degree;
  public final int[] offset;
  public final int[] fill;
  public int[] adjacency;

  public Ssca2Graph(int vertices) {
    degree = new int[vertices];
    offset = new int[vertices + 1];
    fill = new int[vertices];
  }

  public void count(int from) {
    degree[from]++;
  }

  public void layout() {
    for (int v = 0; v < degree.length; v++) {
      offset[v + 1] = offset[v] + degree[v];
    }
    adjacency = new int[offset[degree.length]];
  }

  public void place(int from, int to) {
    int slot = fill[from];
    fill[from] = slot + 1;
    adjacency[offset[from] + slot] = to;
  }
}
