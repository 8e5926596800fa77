package org.ame4j.bench.stamp.cells;

/**
 * The cells-style integer set: the same structures as {@code org.ame4jbench.plain}, every mutable
 * field a cell of an {@link Stm}. Operations run inside the caller's atomic block ({@code txn} is
 * its handle); {@link #toArray} and {@link #check} read the quiescent state with {@code peek}.
 */
public interface TIntSet {
  boolean add(Object txn, int key, int level);

  boolean remove(Object txn, int key);

  boolean contains(Object txn, int key);

  int[] toArray();

  String check();
}
