package org.ame4jtest.history;

import java.util.ArrayList;
import java.util.HashMap;
import org.ame4j.history.Store;

/**
 * A {@link Store} in plain Java, which the agent makes transactional: register {@code k} lives,
 * by {@code k % 4}, in a plain {@code long} field of its own object, in an element of a shared
 * {@code long[]}, in a {@link HashMap} entry or in an {@link ArrayList} element (the last two
 * through the java.base patch); slots are elements of a {@code Node[]}, and a node is a plain
 * object a task allocates and publishes, with a plain {@code long} field. So one transaction
 * touches fields, arrays and JDK collections at once.
 */
public final class MixedStore implements Store {
  /** One register as a plain field. */
  static final class Register {
    long value;
  }

  /** A node a task allocates and publishes into a slot. */
  static final class Node {
    final long id;
    long value;

    Node(long id) {
      this.id = id;
    }
  }

  private final int keys;
  private final Register[] fields;
  private final long[] elements;
  private final HashMap<Integer, Long> map = new HashMap<>();
  private final ArrayList<Long> list = new ArrayList<>();
  private final Node[] slots;

  public MixedStore(int keys, int slots) {
    this.keys = keys;
    int per = (keys + 3) / 4;
    fields = new Register[per];
    for (int i = 0; i < per; i++) {
      fields[i] = new Register();
    }
    elements = new long[per];
    for (int i = 0; i < per; i++) {
      map.put(i, 0L);
      list.add(0L);
    }
    this.slots = new Node[slots];
  }

  @Override
  public int keys() {
    return keys;
  }

  @Override
  public long get(int key) {
    int i = key / 4;
    switch (key % 4) {
      case 0:
        return fields[i].value;
      case 1:
        return elements[i];
      case 2:
        return map.get(i);
      default:
        return list.get(i);
    }
  }

  @Override
  public void set(int key, long value) {
    int i = key / 4;
    switch (key % 4) {
      case 0:
        fields[i].value = value;
        break;
      case 1:
        elements[i] = value;
        break;
      case 2:
        map.put(i, value);
        break;
      default:
        list.set(i, value);
        break;
    }
  }

  @Override
  public int slots() {
    return slots.length;
  }

  @Override
  public long node(int slot) {
    Node n = slots[slot];
    return n == null ? 0 : n.id;
  }

  @Override
  public void publish(int slot, long id) {
    slots[slot] = new Node(id);
  }

  @Override
  public long nodeValue(int slot) {
    return slots[slot].value;
  }

  @Override
  public void setNodeValue(int slot, long value) {
    slots[slot].value = value;
  }
}
