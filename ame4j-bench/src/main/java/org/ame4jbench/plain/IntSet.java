package org.ame4jbench.plain;

/**
 * A set of non-negative {@code int} keys, as in Synchrobench's integer-set benchmarks. {@code
 * level} is the tower height a skip list gives a new key (drawn by the caller from the workload's
 * seed, so every variant builds the same towers); the other structures ignore it.
 */
public interface IntSet {
  boolean add(int key, int level);

  boolean remove(int key);

  boolean contains(int key);

  /** The keys in ascending order (quiescent state only). */
  int[] toArray();

  /** Null if the structure's invariants hold, else what is broken (quiescent state only). */
  String check();

  /** The first {@code n} elements of {@code a}: shared by the structures' {@code toArray}. */
  static int[] trim(int[] a, int n) {
    return java.util.Arrays.copyOf(a, n);
  }
}
