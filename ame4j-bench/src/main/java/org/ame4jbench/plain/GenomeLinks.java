package org.ame4jbench.plain;

/**
 * Genome's matching step over plain arrays: segment {@code i} is linked to the unique segment
 * whose first {@code L-1} bases are its last {@code L-1} bases, if neither end is taken yet.
 */
public final class GenomeLinks {
  public final int[] pred;
  public final int[] succ;

  public GenomeLinks(int n) {
    pred = new int[n];
    succ = new int[n];
    java.util.Arrays.fill(pred, -1);
    java.util.Arrays.fill(succ, -1);
  }

  /** One transaction of STAMP's phase 2: returns true if it linked {@code i} to a successor. */
  public boolean link(int i, int suffix, RedBlackTree<Integer> prefixes) {
    Integer j = prefixes.get(suffix);
    if (j == null || j == i || succ[i] >= 0 || pred[j] >= 0) {
      return false;
    }
    succ[i] = j;
    pred[j] = i;
    return true;
  }
}
