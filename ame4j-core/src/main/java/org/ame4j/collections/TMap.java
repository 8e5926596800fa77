package org.ame4j.collections;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.ame4j.internal.engine.Atomically;
import org.ame4j.internal.engine.ObjectCell;
import org.ame4j.internal.engine.CommittedReads;
import org.ame4j.internal.engine.Txn;

/**
 * A transactional hash map: every operation is part of the running transaction (or is its own
 * transaction outside one), and operations on different keys never conflict.
 *
 * <p><b>Design</b> (after "transactional predication", Bronson et al., PODC 2010): each key owns
 * a transactional cell in a {@link ConcurrentHashMap}; the cell holds the value or "absent".
 * Creating a key's cell is not transactional and not undone (an empty cell means "absent", so
 * creating it changes nothing a transaction can observe); the transaction then reads or writes
 * the cell like any other. Two tasks touching different keys touch different cells. The size is
 * a {@link TCounter}, so inserts of different keys commute; iteration and {@link #size()} read
 * the counter, which makes them conflict with concurrent inserts and removes, as they must (no
 * phantoms).
 *
 * <p><b>Costs</b>: a key that was ever looked up keeps a small cell after it is removed (a
 * tombstone), so a map whose key set keeps changing grows. Iteration copies the live entries
 * inside the transaction and iterates the copy. Null keys and values are not allowed.
 */
public final class TMap<K, V> extends AbstractMap<K, V> {
  private static final Object ABSENT = new Object();

  private static final class Slot extends ObjectCell {
    Slot() {
      super(ABSENT);
    }
  }

  private final ConcurrentHashMap<K, Slot> slots = new ConcurrentHashMap<>();
  private final TCounter size = new TCounter();

  public TMap() {}

  private Slot slot(Object key) {
    Objects.requireNonNull(key, "key");
    @SuppressWarnings("unchecked")
    K k = (K) key;
    Slot s = slots.get(k);
    return s != null ? s : slots.computeIfAbsent(k, x -> new Slot());
  }

  @SuppressWarnings("unchecked")
  private static <V> V valueOrNull(Object raw) {
    return raw == ABSENT ? null : (V) raw;
  }

  @Override
  public V get(Object key) {
    Slot s = slot(key);
    Txn tx = Txn.current();
    return valueOrNull(tx.depth() > 0 ? tx.read(s) : CommittedReads.read(s));
  }

  @Override
  public boolean containsKey(Object key) {
    return get(key) != null;
  }

  @Override
  public V put(K key, V value) {
    Objects.requireNonNull(value, "value");
    Slot s = slot(key);
    return Atomically.atomic(() -> {
      Txn tx = Txn.current();
      Object old = tx.read(s);
      tx.write(s, value);
      if (old == ABSENT) {
        size.increment();
      }
      return valueOrNull(old);
    });
  }

  @Override
  public V remove(Object key) {
    Slot s = slot(key);
    return Atomically.atomic(() -> {
      Txn tx = Txn.current();
      Object old = tx.read(s);
      if (old != ABSENT) {
        tx.write(s, ABSENT);
        size.decrement();
      }
      return valueOrNull(old);
    });
  }

  @Override
  public int size() {
    return (int) Math.min(Integer.MAX_VALUE, size.get());
  }

  @Override
  public boolean isEmpty() {
    return size.get() == 0;
  }

  @Override
  public void clear() {
    Atomically.atomic(() -> {
      for (Entry<K, V> e : snapshot()) {
        remove(e.getKey());
      }
      return null;
    });
  }

  /** The live entries, read inside one transaction (conflicts with concurrent inserts/removes). */
  private List<Entry<K, V>> snapshot() {
    return Atomically.atomic(() -> {
      Txn tx = Txn.current();
      long expected = size.get(); // reading the size makes concurrent inserts/removes conflict
      List<Entry<K, V>> live = new ArrayList<>((int) Math.min(expected, 1 << 20));
      for (Map.Entry<K, Slot> e : slots.entrySet()) {
        Object v = tx.read(e.getValue());
        if (v != ABSENT) {
          live.add(new SimpleImmutableEntry<>(e.getKey(), valueOrNull(v)));
        }
      }
      return live;
    });
  }

  @Override
  public Set<Entry<K, V>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Entry<K, V>> iterator() {
        Iterator<Entry<K, V>> it = snapshot().iterator();
        return new Iterator<>() {
          private Entry<K, V> last;

          @Override
          public boolean hasNext() {
            return it.hasNext();
          }

          @Override
          public Entry<K, V> next() {
            last = it.next();
            return last;
          }

          @Override
          public void remove() {
            if (last == null) {
              throw new IllegalStateException();
            }
            TMap.this.remove(last.getKey());
            last = null;
          }
        };
      }

      @Override
      public int size() {
        return TMap.this.size();
      }
    };
  }

  // The Map defaults are check-then-act sequences: run each as one transaction.

  @Override
  public V getOrDefault(Object key, V defaultValue) {
    V v = get(key);
    return v != null ? v : defaultValue;
  }

  @Override
  public V putIfAbsent(K key, V value) {
    return Atomically.atomic(() -> TMap.super.putIfAbsent(key, value));
  }

  @Override
  public boolean remove(Object key, Object value) {
    return Atomically.atomic(() -> TMap.super.remove(key, value));
  }

  @Override
  public boolean replace(K key, V oldValue, V newValue) {
    return Atomically.atomic(() -> TMap.super.replace(key, oldValue, newValue));
  }

  @Override
  public V replace(K key, V value) {
    return Atomically.atomic(() -> TMap.super.replace(key, value));
  }

  @Override
  public V merge(K key, V value, BiFunction<? super V, ? super V, ? extends V> remapping) {
    return Atomically.atomic(() -> TMap.super.merge(key, value, remapping));
  }

  @Override
  public V compute(K key, BiFunction<? super K, ? super V, ? extends V> remapping) {
    return Atomically.atomic(() -> TMap.super.compute(key, remapping));
  }

  @Override
  public V computeIfAbsent(K key, Function<? super K, ? extends V> mapping) {
    return Atomically.atomic(() -> TMap.super.computeIfAbsent(key, mapping));
  }

  @Override
  public V computeIfPresent(K key, BiFunction<? super K, ? super V, ? extends V> remapping) {
    return Atomically.atomic(() -> TMap.super.computeIfPresent(key, remapping));
  }
}
