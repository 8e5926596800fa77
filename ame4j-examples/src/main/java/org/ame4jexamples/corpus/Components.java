package org.ame4jexamples.corpus;

import java.util.SplittableRandom;
import org.ame4j.TransactionQueue;

/**
 * Corpus program (b): connected components of a random undirected graph by label propagation,
 * a worklist algorithm over {@code int[]} arrays. Every vertex starts with its own number as
 * label; {@code propagate(u)} pushes {@code label[u]} to every neighbour with a larger label
 * and queues that neighbour again. At the fixpoint every vertex carries the smallest vertex
 * number of its component.
 *
 * <p>Sequentially the worklist is a FIFO of vertices; in the task version each queued vertex is
 * a task and {@code work.add(v)} becomes {@code queue.add(() -> propagate(v))}: tasks add tasks.
 * The ordered queue runs exactly the sequential FIFO order, so even the per-vertex visit
 * counters are equal; an unordered run reaches the same labels (the fixpoint is unique) with
 * different visit counts.
 *
 * <p>Invariants: every edge joins equal labels, every label is the smallest vertex of its
 * component (checked against an independent union-find), nothing is left queued, and every
 * vertex was visited at least once.
 */
public final class Components implements CorpusProgram {
  private final int vertices;
  private final int[] first; // CSR adjacency: neighbours of u are adj[first[u] .. first[u+1]-1]
  private final int[] adj;
  private final int[] edgeU;
  private final int[] edgeV;

  private final int[] label;
  private final boolean[] queued;
  private final int[] visits;
  private final IntFifo work = new IntFifo();
  private TransactionQueue queue; // set by runTasks: the worklist of the task version

  /**
   * A random graph of {@code vertices} vertices and {@code vertices * 9 / 10} random edges
   * (average degree 1.8: one giant component, long label chains, and many small components).
   */
  public Components(int vertices, long seed) {
    this.vertices = vertices;
    int edges = vertices * 9 / 10;
    SplittableRandom random = new SplittableRandom(seed);
    edgeU = new int[edges];
    edgeV = new int[edges];
    int[] degree = new int[vertices];
    for (int e = 0; e < edges; e++) {
      edgeU[e] = random.nextInt(vertices);
      edgeV[e] = random.nextInt(vertices);
      degree[edgeU[e]]++;
      degree[edgeV[e]]++;
    }
    first = new int[vertices + 1];
    for (int u = 0; u < vertices; u++) {
      first[u + 1] = first[u] + degree[u];
    }
    adj = new int[first[vertices]];
    int[] fill = new int[vertices];
    for (int e = 0; e < edges; e++) {
      int u = edgeU[e];
      int v = edgeV[e];
      adj[first[u] + fill[u]++] = v;
      adj[first[v] + fill[v]++] = u;
    }
    label = new int[vertices];
    queued = new boolean[vertices];
    visits = new int[vertices];
    for (int v = 0; v < vertices; v++) {
      label[v] = v;
    }
  }

  /** The loop body: pushes {@code label[u]} to the neighbours that have a larger one. */
  void propagate(int u) {
    queued[u] = false;
    visits[u]++;
    int lu = label[u];
    for (int e = first[u], end = first[u + 1]; e < end; e++) {
      int v = adj[e];
      if (lu < label[v]) {
        label[v] = lu;
        schedule(v);
      }
    }
  }

  private void schedule(int v) {
    if (!queued[v]) {
      queued[v] = true;
      if (queue != null) {
        queue.add(() -> propagate(v)); // the task version's worklist
      } else {
        work.add(v);
      }
    }
  }

  @Override
  public void runSequential() {
    for (int v = 0; v < vertices; v++) {
      queued[v] = true;
      work.add(v);
    }
    while (!work.isEmpty()) {
      propagate(work.poll());
    }
  }

  @Override
  public void runTasks(TransactionQueue q, int workers) {
    queue = q;
    for (int v = 0; v < vertices; v++) {
      int u = v;
      queued[u] = true;
      q.add(() -> propagate(u));
    }
    q.run(workers);
    queue = null;
  }

  /**
   * The chunked task version: a task propagates a chunk of worklist vertices in order and queues
   * the vertices they scheduled (in scheduling order) as new chunks of up to {@code chunk}
   * vertices. The queued chunks, concatenated, are always the sequential FIFO, so the ordered
   * queue processes vertices in exactly the sequential order.
   */
  @Override
  public void runChunkedTasks(TransactionQueue q, int workers, int chunk) {
    if (chunk == 1) {
      runTasks(q, workers);
      return;
    }
    for (int v = 0; v < vertices; v += chunk) {
      int[] vs = new int[Math.min(chunk, vertices - v)];
      for (int i = 0; i < vs.length; i++) {
        vs[i] = v + i;
        queued[v + i] = true;
      }
      q.add(() -> propagateChunk(vs, q, chunk));
    }
    q.run(workers);
  }

  private void propagateChunk(int[] vs, TransactionQueue q, int chunk) {
    IntFifo scheduled = new IntFifo(); // allocated by the task: its own, untracked
    for (int u : vs) {
      propagateInto(u, scheduled);
    }
    while (!scheduled.isEmpty()) {
      int[] next = new int[Math.min(chunk, scheduled.size())];
      for (int i = 0; i < next.length; i++) {
        next[i] = scheduled.poll();
      }
      q.add(() -> propagateChunk(next, q, chunk));
    }
  }

  /** {@link #propagate} with the worklist passed in. */
  private void propagateInto(int u, IntFifo out) {
    queued[u] = false;
    visits[u]++;
    int lu = label[u];
    for (int e = first[u], end = first[u + 1]; e < end; e++) {
      int v = adj[e];
      if (lu < label[v]) {
        label[v] = lu;
        if (!queued[v]) {
          queued[v] = true;
          out.add(v);
        }
      }
    }
  }

  @Override
  public String fingerprint() {
    return new Digest().add(label).add(visits).toString();
  }

  @Override
  public String check() {
    for (int e = 0; e < edgeU.length; e++) {
      if (label[edgeU[e]] != label[edgeV[e]]) {
        return "edge " + edgeU[e] + "-" + edgeV[e] + " joins labels " + label[edgeU[e]] + " and "
            + label[edgeV[e]];
      }
    }
    // Independent reference: union-find, the smallest vertex of each set as its root.
    int[] parent = new int[vertices];
    for (int v = 0; v < vertices; v++) {
      parent[v] = v;
    }
    for (int e = 0; e < edgeU.length; e++) {
      int a = find(parent, edgeU[e]);
      int b = find(parent, edgeV[e]);
      if (a != b) {
        parent[Math.max(a, b)] = Math.min(a, b);
      }
    }
    for (int v = 0; v < vertices; v++) {
      if (label[v] != find(parent, v)) {
        return "label[" + v + "] = " + label[v] + ", smallest vertex of its component is "
            + find(parent, v);
      }
      if (queued[v]) {
        return "vertex " + v + " still marked queued";
      }
      if (visits[v] < 1) {
        return "vertex " + v + " never visited";
      }
    }
    return null;
  }

  private static int find(int[] parent, int v) {
    while (parent[v] != v) {
      parent[v] = parent[parent[v]];
      v = parent[v];
    }
    return v;
  }

  @Override
  public String summary() {
    long tasks = 0;
    int components = 0;
    for (int v = 0; v < vertices; v++) {
      tasks += visits[v];
      if (label[v] == v) {
        components++;
      }
    }
    return "vertices=" + vertices + " components=" + components + " visits=" + tasks;
  }
}
