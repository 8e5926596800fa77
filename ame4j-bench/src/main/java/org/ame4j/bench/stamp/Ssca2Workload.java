package org.ame4j.bench.stamp;

import java.util.EnumSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.ame4j.TransactionQueue;
import org.ame4j.bench.stamp.cells.Stm;
import org.ame4j.bench.stamp.cells.Stm.TInt;
import org.ame4jbench.plain.Ssca2Graph;

/**
 * STAMP's {@code ssca2} (Minh et al., IISWC 2008; kernel 1 of the SSCA2 graph benchmark): build
 * the adjacency arrays of a random directed multigraph from its edge list. Two transactional
 * passes over the edges, one small transaction per edge: count every vertex's out-degree, then
 * (after a sequential prefix sum) claim the vertex's next free slot and write the edge's target.
 * Transactions are tiny and rarely conflict (two edges from the same vertex at the same time), as in
 * STAMP. Edges are drawn with a skewed source distribution (half of them from the first eighth of
 * the vertices), a rough stand-in for SSCA2's clustered generator.
 *
 * <p>Validation: every vertex's degree and, as a multiset, its list of targets equal those of the
 * edge list (the order inside a vertex's list depends on commit order; the multiset does not).
 */
final class Ssca2Workload implements Workload {
  private int vertices;
  private int[] from;
  private int[] to;
  private int[][] expected;

  @Override
  public String name() {
    return "ssca2";
  }

  @Override
  public String description() {
    return vertices + " vertices, " + from.length + " edges (2 transactions per edge)";
  }

  @Override
  public boolean lowContention() {
    return true;
  }

  @Override
  public Set<Variant> variants() {
    return EnumSet.complementOf(EnumSet.of(Variant.JUC));
  }

  @Override
  public void generate(Size s, long seed) {
    vertices = s.pick(1 << 8, 1 << 12, 1 << 15);
    int edges = 4 * vertices;
    SplittableRandom rnd = new SplittableRandom(seed * 5 + 3);
    from = new int[edges];
    to = new int[edges];
    int[] degree = new int[vertices];
    for (int e = 0; e < edges; e++) {
      from[e] = rnd.nextBoolean() ? rnd.nextInt(vertices / 8) : rnd.nextInt(vertices);
      to[e] = rnd.nextInt(vertices);
      degree[from[e]]++;
    }
    expected = new int[vertices][];
    int[] k = new int[vertices];
    for (int v = 0; v < vertices; v++) {
      expected[v] = new int[degree[v]];
    }
    for (int e = 0; e < edges; e++) {
      expected[from[e]][k[from[e]]++] = to[e];
    }
    for (int[] l : expected) {
      java.util.Arrays.sort(l);
    }
  }

  @Override
  public Run prepare(Variant v, int threads) {
    int m = from.length;
    if (v == Variant.SEQUENTIAL || v == Variant.LOCK || v == Variant.AME_AUTO) {
      Ssca2Graph g = new Ssca2Graph(vertices);
      Object lock = new Object();
      return new Checked() {
        @Override
        public void execute() {
          Threads.plainPhase(v, threads, m, e -> g.count(from[e]), lock);
          g.layout();
          Threads.plainPhase(v, threads, m, e -> g.place(from[e], to[e]), lock);
        }

        @Override
        public void validate() {
          check(g.offset, g.adjacency);
        }
      };
    }
    Stm stm = v.stm();
    TInt[] degree = new TInt[vertices];
    TInt[] fill = new TInt[vertices];
    for (int i = 0; i < vertices; i++) {
      degree[i] = stm.newInt(0);
      fill[i] = stm.newInt(0);
    }
    int[] offset = new int[vertices + 1];
    TInt[][] adjacency = new TInt[1][];
    Threads.Attempts attempts = new Threads.Attempts(threads);
    return new Checked() {
      @Override
      public void execute() {
        Threads.run(threads, m, (t, lo, hi) -> {
          for (int e = lo; e < hi; e++) {
            TInt d = degree[from[e]];
            stm.atomic(txn -> {
              attempts.hit(t);
              d.set(txn, d.get(txn) + 1);
              return null;
            });
          }
        });
        for (int i = 0; i < vertices; i++) {
          offset[i + 1] = offset[i] + degree[i].peek();
        }
        TInt[] adj = new TInt[offset[vertices]];
        for (int i = 0; i < adj.length; i++) {
          adj[i] = stm.newInt(-1);
        }
        adjacency[0] = adj;
        Threads.run(threads, m, (t, lo, hi) -> {
          for (int e = lo; e < hi; e++) {
            TInt f = fill[from[e]];
            int base = offset[from[e]];
            int target = to[e];
            stm.atomic(txn -> {
              attempts.hit(t);
              int slot = f.get(txn);
              f.set(txn, slot + 1);
              adj[base + slot].set(txn, target);
              return null;
            });
          }
        });
      }

      @Override
      public void validate() {
        int[] a = new int[adjacency[0].length];
        for (int i = 0; i < a.length; i++) {
          a[i] = adjacency[0][i].peek();
        }
        check(offset, a);
      }

      @Override
      public long attempts() {
        return attempts.total();
      }
    };
  }

  private abstract class Checked implements Run {
    @Override
    public long operations() {
      return 2L * from.length;
    }

    void check(int[] offset, int[] adjacency) {
      for (int v = 0; v < vertices; v++) {
        int d = offset[v + 1] - offset[v];
        if (d != expected[v].length) {
          throw new ValidationError("ssca2: vertex " + v + " has degree " + d + ", expected "
              + expected[v].length + " (lost update)");
        }
        int[] got = java.util.Arrays.copyOfRange(adjacency, offset[v], offset[v + 1]);
        java.util.Arrays.sort(got);
        if (!java.util.Arrays.equals(got, expected[v])) {
          throw new ValidationError("ssca2: vertex " + v + ": its targets differ from its edges'"
              + " (a slot claimed twice or an edge lost)");
        }
      }
    }
  }
}
