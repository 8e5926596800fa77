package org.ame4j.bench.stamp;

import java.util.EnumSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.ame4j.TransactionQueue;
import org.ame4j.bench.stamp.cells.Stm;
import org.ame4j.bench.stamp.cells.Stm.TInt;
import org.ame4j.bench.stamp.cells.TChainedHashSet;
import org.ame4j.bench.stamp.cells.TRedBlackTree;
import org.ame4jbench.plain.ChainedHashSet;
import org.ame4jbench.plain.GenomeLinks;
import org.ame4jbench.plain.RedBlackTree;

/**
 * STAMP's {@code genome} (Minh et al., IISWC 2008): reconstruct a gene from many overlapping
 * segments. Phase 1 removes duplicate segments by inserting every sampled segment into a shared
 * hash set (one transaction per segment). Phase 2 indexes every unique segment by its first
 * {@code L-1} bases (one transaction per segment, into a shared red-black tree), then links each
 * segment to the one that starts with its last {@code L-1} bases, if neither end is taken (one
 * transaction per segment). Phase 3, sequential, walks the links from the segment without a
 * predecessor and spells the gene.
 *
 * <p>Simplifications against STAMP, to make the answer unique whatever the commit order: the
 * segments cover every start position of the gene (plus random duplicates), and the gene is drawn
 * (from the seed) so that no {@code L-1} bases occur twice in it; then every segment's successor is
 * determined and only the longest overlap ({@code L-1}) is needed, where STAMP tries decreasing
 * overlaps. A segment is {@code L = 15} bases, two bits each, in one {@code int}.
 *
 * <p>Validation: the number of unique segments is the number of start positions, and the
 * reconstructed sequence equals the gene.
 */
final class GenomeWorkload implements Workload {
  static final int L = 15;
  private static final int MASK = (1 << 2 * (L - 1)) - 1;

  private int[] gene;
  private int[] samples;

  @Override
  public String name() {
    return "genome";
  }

  @Override
  public String description() {
    return "gene of " + gene.length + " bases, " + samples.length + " sampled segments of " + L
        + " bases (" + (gene.length - L + 1) + " unique)";
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
    int g = s.pick(512, 2048, 16384);
    SplittableRandom rnd = new SplittableRandom(seed * 7 + 11);
    for (;;) {
      gene = new int[g];
      for (int i = 0; i < g; i++) {
        gene[i] = rnd.nextInt(4);
      }
      java.util.Set<Integer> seen = new java.util.HashSet<>();
      boolean unique = true;
      for (int i = 0; i + L - 1 <= g && unique; i++) {
        unique = seen.add(encode(i, L - 1));
      }
      if (unique) {
        break;
      }
    }
    int starts = g - L + 1;
    samples = new int[4 * starts];
    for (int i = 0; i < samples.length; i++) {
      samples[i] = encode(i < starts ? i : rnd.nextInt(starts), L);
    }
    for (int i = samples.length - 1; i > 0; i--) { // shuffle: coverage in random order
      int j = rnd.nextInt(i + 1);
      int x = samples[i];
      samples[i] = samples[j];
      samples[j] = x;
    }
  }

  private int encode(int start, int length) {
    int v = 0;
    for (int k = 0; k < length; k++) {
      v = v << 2 | gene[start + k];
    }
    return v;
  }

  static int prefix(int segment) {
    return segment >>> 2;
  }

  static int suffix(int segment) {
    return segment & MASK;
  }

  @Override
  public Run prepare(Variant v, int threads) {
    int n = samples.length;
    if (v == Variant.SEQUENTIAL || v == Variant.LOCK || v == Variant.AME_AUTO) {
      return new Checked() {
        @Override
        public void execute() {
          ChainedHashSet set = new ChainedHashSet(n);
          Object lock = new Object();
          Threads.plainPhase(v, threads, n, i -> set.add(samples[i], 0), lock);
          int[] unique = set.toArray();
          RedBlackTree<Integer> prefixes = new RedBlackTree<>();
          Threads.plainPhase(v, threads, unique.length, i -> prefixes.insert(prefix(unique[i]), i), lock);
          GenomeLinks links = new GenomeLinks(unique.length);
          Threads.plainPhase(v, threads, unique.length, i -> links.link(i, suffix(unique[i]), prefixes), lock);
          result = assemble(unique, links.pred, links.succ);
        }
      };
    }
    Stm stm = v.stm();
    Threads.Attempts attempts = new Threads.Attempts(threads);
    return new Checked() {
      @Override
      public void execute() {
        TChainedHashSet set = new TChainedHashSet(stm, n);
        Threads.run(threads, n, (t, lo, hi) -> {
          for (int i = lo; i < hi; i++) {
            int seg = samples[i];
            stm.atomic(txn -> {
              attempts.hit(t);
              return set.add(txn, seg, 0);
            });
          }
        });
        int[] unique = set.toArray();
        TRedBlackTree<Integer> prefixes = new TRedBlackTree<>(stm);
        Threads.run(threads, unique.length, (t, lo, hi) -> {
          for (int i = lo; i < hi; i++) {
            int index = i;
            int p = prefix(unique[i]);
            stm.atomic(txn -> {
              attempts.hit(t);
              return prefixes.insert(txn, p, index);
            });
          }
        });
        TInt[] pred = new TInt[unique.length];
        TInt[] succ = new TInt[unique.length];
        for (int i = 0; i < unique.length; i++) {
          pred[i] = stm.newInt(-1);
          succ[i] = stm.newInt(-1);
        }
        Threads.run(threads, unique.length, (t, lo, hi) -> {
          for (int i = lo; i < hi; i++) {
            int index = i;
            int sfx = suffix(unique[i]);
            stm.atomic(txn -> {
              attempts.hit(t);
              Integer j = prefixes.get(txn, sfx);
              if (j == null || j == index || succ[index].get(txn) >= 0 || pred[j].get(txn) >= 0) {
                return false;
              }
              succ[index].set(txn, j);
              pred[j].set(txn, index);
              return true;
            });
          }
        });
        int[] p = new int[unique.length];
        int[] s = new int[unique.length];
        for (int i = 0; i < unique.length; i++) {
          p[i] = pred[i].peek();
          s[i] = succ[i].peek();
        }
        result = assemble(unique, p, s);
      }

      @Override
      public long attempts() {
        return attempts.total();
      }
    };
  }

  /** Phase 3: from the segment without predecessor, follow the links; null if they are broken. */
  private int[] assemble(int[] unique, int[] pred, int[] succ) {
    int start = -1;
    for (int i = 0; i < unique.length; i++) {
      if (pred[i] < 0) {
        if (start >= 0) {
          return null; // two chains: a link is missing
        }
        start = i;
      }
    }
    if (start < 0) {
      return null;
    }
    int[] out = new int[unique.length + L - 1];
    int n = 0;
    for (int k = L - 1; k >= 0; k--) {
      out[n++] = unique[start] >>> 2 * k & 3;
    }
    int steps = 0;
    for (int i = succ[start]; i >= 0; i = succ[i]) {
      if (++steps > unique.length || n >= out.length) {
        return null; // a cycle or an overlong chain
      }
      out[n++] = unique[i] & 3;
    }
    return n == out.length ? out : null;
  }

  private abstract class Checked implements Run {
    int[] result;

    @Override
    public long operations() {
      return samples.length + 2L * (gene.length - L + 1);
    }

    @Override
    public void validate() {
      if (result == null) {
        throw new ValidationError("genome: the links do not form one chain of all unique segments");
      }
      if (!java.util.Arrays.equals(result, gene)) {
        throw new ValidationError("genome: the reconstructed sequence differs from the gene");
      }
    }
  }
}
