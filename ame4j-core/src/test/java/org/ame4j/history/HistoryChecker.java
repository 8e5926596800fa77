package org.ame4j.history;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ame4j.history.History.Attempt;

/**
 * Checks a recorded {@link History}: rebuilds each key's version order from the record, builds
 * the dependency graph of the committed transactions (Adya: write-write, write-read and
 * read-write edges) and reports every cycle with its class and the transactions in it. Then
 * checks opacity: each attempt that did not commit joins the graph as a read-only transaction
 * (its writes never happened), and a cycle through it means it observed a state that no prefix
 * of any serial order of the committed transactions produces.
 *
 * <p><b>Version order.</b> Written values are unique and every write follows a read of the same
 * key in the same attempt, so the version a committed write replaced is the value its attempt
 * read: the versions of a key form a chain from the initial 0. Two committed writers that
 * replaced the same version are a lost update (for any version order, a cycle with one
 * anti-dependency); the chain's last version must be the key's final value.
 *
 * <p><b>Classes.</b> Per strongly connected component, the most specific class that has a
 * cycle in it: only write-write edges (G0), write-write and write-read (G1c), else a shortest
 * cycle with one read-write edge (G-single) or more (G2). Record-level findings come first:
 * reads of aborted (G1a) or overwritten-in-the-same-transaction (G1b) values, values never
 * written, a transaction that does not see its own write.
 *
 * <p><b>Does not</b> check real-time order (a serial order may reorder transactions that did not
 * overlap), nor the order an ordered queue promises (its tests compare the final state with the
 * sequential run): this is serializability plus opacity, what the engine promises for every
 * mode.
 */
public final class HistoryChecker {
  /** Anomalies described in full per class; the rest are only counted. */
  static final int DESCRIBED_PER_KIND = 5;

  private HistoryChecker() {}

  /** What a check found. */
  public record Result(int committed, int aborted, int edges, Map<Anomaly.Kind, Integer> counts,
      List<Anomaly> anomalies) {
    public boolean ok() {
      return counts.isEmpty();
    }

    public int count(Anomaly.Kind kind) {
      return counts.getOrDefault(kind, 0);
    }

    /** A report: the totals, then every described anomaly. */
    @Override
    public String toString() {
      StringBuilder b = new StringBuilder();
      b.append(committed).append(" committed and ").append(aborted)
          .append(" aborted attempts checked, ").append(edges).append(" dependencies: ");
      b.append(ok() ? "no anomalies" : counts.toString());
      for (Anomaly a : anomalies) {
        b.append("\n  ").append(a);
      }
      return b.toString();
    }
  }

  /**
   * Checks {@code attempts} against {@code finalState} (each key's value after the run; keys
   * missing from it are not checked at the end).
   *
   * @throws IllegalArgumentException if the record breaks the recording rules (a value written
   *     twice, a write without a read of its key before it): a workload bug, not an anomaly
   */
  public static Result check(List<Attempt> attempts, Map<Integer, Long> finalState) {
    return new Run(History.asTransactions(attempts)).check(finalState);
  }

  /** One check: the per-run indexes and the anomalies found. */
  private static final class Run {
    final List<Attempt> attempts;
    final int n;
    final boolean[] committed;
    /** Value to the node that wrote it, and the key it was written to. */
    final Map<Long, Integer> writer = new HashMap<>();
    final Map<Long, Integer> writtenKey = new HashMap<>();
    /** Per node: each key's last written value (what others may see). */
    final List<Map<Integer, Long>> finalWrites = new ArrayList<>();
    /** Per node: each written key's replaced version (the value read before the first write). */
    final List<Map<Integer, Long>> replaced = new ArrayList<>();
    /** External reads: node, key, value (a read of a key the attempt had not written yet). */
    final List<long[]> reads = new ArrayList<>();
    final Map<Anomaly.Kind, Integer> counts = new EnumMap<>(Anomaly.Kind.class);
    final List<Anomaly> described = new ArrayList<>();

    Run(List<Attempt> attempts) {
      this.attempts = attempts;
      this.n = attempts.size();
      this.committed = new boolean[n];
    }

    void report(Anomaly.Kind kind, String description) {
      int c = counts.merge(kind, 1, Integer::sum);
      if (c <= DESCRIBED_PER_KIND) {
        described.add(new Anomaly(kind, description));
      }
    }

    Result check(Map<Integer, Long> finalState) {
      indexWrites();
      checkReads();
      DependencyGraph g = new DependencyGraph(n);
      versionOrder(g, finalState);
      int aborted = 0;
      boolean[] committedOnly = committed.clone();
      boolean[] all = new boolean[n];
      java.util.Arrays.fill(all, true);
      for (boolean c : committed) {
        aborted += c ? 0 : 1;
      }
      for (int[] scc : g.cycles(committedOnly, DependencyGraph.WW | DependencyGraph.WR | DependencyGraph.RW)) {
        classify(g, scc);
      }
      if (aborted > 0) {
        for (int[] scc : g.cycles(all, DependencyGraph.WW | DependencyGraph.WR | DependencyGraph.RW)) {
          boolean[] within = mask(scc);
          for (int node : scc) {
            if (!committed[node]) {
              report(Anomaly.Kind.OPACITY, describe(g, node, g.shortestCycle(node, within,
                  DependencyGraph.WW | DependencyGraph.WR | DependencyGraph.RW)));
            }
          }
        }
      }
      return new Result(n - aborted, aborted, g.edgeCount(), new EnumMap<>(counts), List.copyOf(described));
    }

    private void indexWrites() {
      for (int node = 0; node < n; node++) {
        Attempt a = attempts.get(node);
        committed[node] = a.committed();
        Map<Integer, Long> last = new HashMap<>();
        Map<Integer, Long> before = new HashMap<>();
        Map<Integer, Long> lastRead = new HashMap<>();
        for (int op = 0; op < a.opCount(); op++) {
          int k = a.key(op);
          long v = a.value(op);
          if (a.kind(op) == Attempt.READ) {
            if (!last.containsKey(k)) {
              lastRead.put(k, v);
            }
            continue;
          }
          if (v == 0 || writer.put(v, node) != null) {
            throw new IllegalArgumentException("value " + v + " written twice (or 0) in the record,"
                + " at " + a + ": written values must be unique and non-zero");
          }
          writtenKey.put(v, k);
          if (!last.containsKey(k)) {
            Long r = lastRead.get(k);
            if (r == null) {
              throw new IllegalArgumentException(a + " wrote k" + k + " without reading it first:"
                  + " the version order needs read-modify-write (" + a.ops() + ")");
            }
            before.put(k, r);
          }
          last.put(k, v);
        }
        finalWrites.add(last);
        replaced.add(before);
      }
    }

    private void checkReads() {
      for (int node = 0; node < n; node++) {
        Attempt a = attempts.get(node);
        Map<Integer, Long> own = new HashMap<>();
        for (int op = 0; op < a.opCount(); op++) {
          int k = a.key(op);
          long v = a.value(op);
          if (a.kind(op) == Attempt.WRITE) {
            own.put(k, v);
            continue;
          }
          Long mine = own.get(k);
          if (mine != null) {
            if (mine != v) {
              report(Anomaly.Kind.INTERNAL, a + " wrote k" + k + "=" + mine + " then read " + v);
            }
            continue;
          }
          reads.add(new long[] {node, k, v});
          if (v == 0) {
            continue;
          }
          Integer w = writer.get(v);
          if (w == null || writtenKey.get(v) != k) {
            report(Anomaly.Kind.GARBAGE, a + " read k" + k + "=" + v);
          } else if (!committed[w]) {
            report(committed[node] ? Anomaly.Kind.G1A : Anomaly.Kind.OPACITY,
                a + " read k" + k + "=" + v + ", written by " + attempts.get(w) + " which did not commit");
          } else if (finalWrites.get(w).get(k) != v) {
            report(committed[node] ? Anomaly.Kind.G1B : Anomaly.Kind.OPACITY,
                a + " read k" + k + "=" + v + ", an intermediate version of " + attempts.get(w)
                    + " (its last write there was " + finalWrites.get(w).get(k) + ")");
          }
        }
      }
    }

    /** Builds each key's chain of committed versions and the edges it implies. */
    private void versionOrder(DependencyGraph g, Map<Integer, Long> finalState) {
      // key -> replaced version -> committed writers of the key that replaced it
      Map<Integer, Map<Long, List<Integer>>> successors = new HashMap<>();
      for (int node = 0; node < n; node++) {
        if (!committed[node]) {
          continue;
        }
        for (Map.Entry<Integer, Long> e : replaced.get(node).entrySet()) {
          successors.computeIfAbsent(e.getKey(), k -> new HashMap<>())
              .computeIfAbsent(e.getValue(), v -> new ArrayList<>()).add(node);
        }
      }
      // key -> version -> (position, writer of the next version or -1)
      Map<Integer, Map<Long, Integer>> nextWriter = new HashMap<>();
      java.util.Set<Integer> keys = new java.util.TreeSet<>(successors.keySet());
      keys.addAll(finalState.keySet());
      for (int k : keys) {
        Map<Long, List<Integer>> succ = successors.getOrDefault(k, Map.of());
        Map<Long, Integer> next = new HashMap<>();
        nextWriter.put(k, next);
        long version = 0;
        int prevWriter = -1;
        int placed = 0;
        for (; ; ) {
          List<Integer> ws = succ.get(version);
          if (ws == null) {
            next.put(version, -1);
            break;
          }
          if (ws.size() > 1) {
            StringBuilder who = new StringBuilder();
            for (int w : ws) {
              who.append(who.length() == 0 ? "" : ", ").append(attempts.get(w)).append(" wrote ")
                  .append(finalWrites.get(w).get(k));
            }
            report(Anomaly.Kind.LOST_UPDATE, "k" + k + ": version " + version + " was read and overwritten by " + who);
            next.put(version, -1);
            break;
          }
          int w = ws.get(0);
          next.put(version, w);
          if (prevWriter >= 0) {
            g.add(prevWriter, w, DependencyGraph.WW, k, version);
          }
          prevWriter = w;
          placed++;
          version = finalWrites.get(w).get(k);
        }
        int writers = succ.values().stream().mapToInt(List::size).sum();
        Long fin = finalState.get(k);
        if (fin != null && fin != version) {
          report(Anomaly.Kind.FINAL_STATE, "k" + k + " holds " + fin + " but its committed versions end at "
              + version + " (" + placed + " of " + writers + " committed writes in the chain)");
        } else if (placed < writers && counts.getOrDefault(Anomaly.Kind.LOST_UPDATE, 0) == 0) {
          report(Anomaly.Kind.FINAL_STATE, "k" + k + ": " + (writers - placed)
              + " committed writes replaced a version that is not in the chain");
        }
      }
      for (long[] r : reads) {
        int reader = (int) r[0];
        int k = (int) r[1];
        long v = r[2];
        Map<Long, Integer> next = nextWriter.get(k);
        if (next == null || !next.containsKey(v)) {
          continue; // a version outside the chain: reported already
        }
        if (v != 0) {
          int w = writer.get(v);
          if (w != reader) {
            g.add(w, reader, DependencyGraph.WR, k, v);
          }
        }
        int overwriter = next.get(v);
        if (overwriter >= 0 && overwriter != reader) {
          g.add(reader, overwriter, DependencyGraph.RW, k, v);
        }
      }
    }

    private boolean[] mask(int[] nodes) {
      boolean[] m = new boolean[n];
      for (int x : nodes) {
        m[x] = true;
      }
      return m;
    }

    /** Reports the most specific class of cycle in one component of committed transactions. */
    private void classify(DependencyGraph g, int[] scc) {
      boolean[] within = mask(scc);
      int[] masks = {DependencyGraph.WW, DependencyGraph.WW | DependencyGraph.WR,
          DependencyGraph.WW | DependencyGraph.WR | DependencyGraph.RW};
      for (int m : masks) {
        List<int[]> sub = g.cycles(within, m);
        if (sub.isEmpty()) {
          continue;
        }
        List<Integer> cycle = g.shortestCycle(sub.get(0)[0], mask(sub.get(0)), m);
        Anomaly.Kind kind;
        if (m == DependencyGraph.WW) {
          kind = Anomaly.Kind.G0;
        } else if ((m & DependencyGraph.RW) == 0) {
          kind = Anomaly.Kind.G1C;
        } else {
          long rw = cycle.stream().filter(e -> g.type(e) == DependencyGraph.RW).count();
          kind = rw == 1 ? Anomaly.Kind.G_SINGLE : Anomaly.Kind.G2;
        }
        report(kind, scc.length + " transactions in the component; a cycle: " + describe(g, sub.get(0)[0], cycle));
        return;
      }
    }

    /** {@code T3 -ww(k2@17)-> T9 -rw(k4@0)-> T3}, then each transaction's operations. */
    private String describe(DependencyGraph g, int start, List<Integer> cycle) {
      StringBuilder b = new StringBuilder(attempts.get(start).toString());
      List<Integer> nodes = new ArrayList<>();
      nodes.add(start);
      for (int e : cycle) {
        String t = g.type(e) == DependencyGraph.WW ? "ww" : g.type(e) == DependencyGraph.WR ? "wr" : "rw";
        b.append(" -").append(t).append("(k").append(g.key(e)).append('@').append(g.version(e))
            .append(")-> ").append(attempts.get(g.target(e)));
        nodes.add(g.target(e));
      }
      for (int x : nodes.subList(0, nodes.size() - 1)) {
        b.append("\n      T").append(attempts.get(x).id).append(": ").append(attempts.get(x).ops());
      }
      return b.toString();
    }
  }
}
