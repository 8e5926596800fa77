package org.ame4j.collections;

import java.util.AbstractSet;
import java.util.Iterator;

/**
 * A transactional hash set: a {@link TMap} from element to {@code TRUE}, with the same
 * guarantees (operations on different elements never conflict; iteration is a consistent
 * snapshot of the transaction) and the same costs (tombstones for removed elements).
 */
public final class TSet<E> extends AbstractSet<E> {
  private final TMap<E, Boolean> map = new TMap<>();

  @Override
  public boolean add(E e) {
    return map.put(e, Boolean.TRUE) == null;
  }

  @Override
  public boolean remove(Object o) {
    return map.remove(o) != null;
  }

  @Override
  public boolean contains(Object o) {
    return map.containsKey(o);
  }

  @Override
  public int size() {
    return map.size();
  }

  @Override
  public boolean isEmpty() {
    return map.isEmpty();
  }

  @Override
  public void clear() {
    map.clear();
  }

  @Override
  public Iterator<E> iterator() {
    return map.keySet().iterator();
  }
}
