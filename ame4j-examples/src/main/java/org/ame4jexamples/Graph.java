package org.ame4jexamples;

import java.util.SplittableRandom;

/**
 * A directed graph with positive integer edge weights, in compressed sparse row form: the
 * out-edges of vertex {@code u} are the indices {@code first[u] .. first[u + 1] - 1} of {@code
 * target} and {@code weight}.
 *
 * <p>Immutable once built: the demo's tasks read it without any transactional tracking (its
 * arrays are never written after construction, so they need none).
 */
public final class Graph {
  /** Distance of a vertex the source cannot reach. */
  public static final int INFINITY = Integer.MAX_VALUE;

  final int vertices;
  final int[] first;
  final int[] target;
  final int[] weight;

  Graph(int vertices, int[] first, int[] target, int[] weight) {
    this.vertices = vertices;
    this.first = first;
    this.target = target;
    this.weight = weight;
  }

  public int vertices() {
    return vertices;
  }

  public int edges() {
    return target.length;
  }

  /**
   * A random graph: every vertex gets {@code degree} out-edges to uniformly random targets, with
   * weights uniform in {@code 1..maxWeight}. The same arguments give the same graph on every JDK
   * ({@link SplittableRandom}'s algorithm is fixed).
   */
  public static Graph random(int vertices, int degree, int maxWeight, long seed) {
    if (vertices < 1 || degree < 0 || maxWeight < 1) {
      throw new IllegalArgumentException(
          "need vertices >= 1, degree >= 0, maxWeight >= 1; got "
              + vertices + ", " + degree + ", " + maxWeight);
    }
    long edges = (long) vertices * degree;
    if (edges > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("too many edges: " + edges);
    }
    // Path lengths must not overflow an int: the longest simple path has vertices - 1 edges.
    if ((long) (vertices - 1) * maxWeight >= INFINITY) {
      throw new IllegalArgumentException("vertices * maxWeight must stay below 2^31");
    }
    SplittableRandom random = new SplittableRandom(seed);
    int[] first = new int[vertices + 1];
    int[] target = new int[(int) edges];
    int[] weight = new int[(int) edges];
    int e = 0;
    for (int u = 0; u < vertices; u++) {
      first[u] = e;
      for (int k = 0; k < degree; k++, e++) {
        target[e] = random.nextInt(vertices);
        weight[e] = 1 + random.nextInt(maxWeight);
      }
    }
    first[vertices] = e;
    return new Graph(vertices, first, target, weight);
  }

  /**
   * Null if {@code dist} are exactly the shortest distances from {@code source}, else what is
   * wrong. The usual certificate for positive weights: {@code dist[source] == 0}, no edge can
   * shorten a distance ({@code dist[v] <= dist[u] + w}), and every other reached vertex has a
   * tight in-edge ({@code dist[v] == dist[u] + w}) from a reached vertex.
   */
  public String checkShortestDistances(int source, int[] dist) {
    if (dist.length != vertices) {
      return "length " + dist.length + " instead of " + vertices;
    }
    if (dist[source] != 0) {
      return "dist[source] = " + dist[source];
    }
    boolean[] tight = new boolean[vertices];
    tight[source] = true;
    for (int u = 0; u < vertices; u++) {
      if (dist[u] == INFINITY) {
        continue;
      }
      for (int e = first[u]; e < first[u + 1]; e++) {
        long via = (long) dist[u] + weight[e];
        int v = target[e];
        if (via < dist[v]) {
          return "edge " + u + "->" + v + " shortens dist[" + v + "] = " + dist[v] + " to " + via;
        }
        if (via == dist[v]) {
          tight[v] = true;
        }
      }
    }
    for (int v = 0; v < vertices; v++) {
      if (dist[v] != INFINITY && !tight[v]) {
        return "dist[" + v + "] = " + dist[v] + " is not the length of any path";
      }
    }
    return null;
  }
}
