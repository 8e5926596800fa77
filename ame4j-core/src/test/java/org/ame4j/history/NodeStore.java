package org.ame4j.history;

import org.ame4j.Ref;

/**
 * The slots half of a {@link Store}: {@link Ref}s to nodes that tasks allocate and publish, each
 * an id and a register of the store's own kind {@code R} (a cell, a one-element array), which the
 * store creates, reads and writes.
 */
abstract class NodeStore<R> implements Store {
  /** A node a task allocates and publishes: its id and its register. */
  record Node<R>(long id, R register) {}

  private final Ref<Node<R>>[] slots;

  @SuppressWarnings("unchecked")
  NodeStore(int slots) {
    this.slots = new Ref[slots];
    for (int s = 0; s < slots; s++) {
      this.slots[s] = new Ref<>(null);
    }
  }

  /** A new node's register, holding 0 (allocated in the publishing transaction). */
  abstract R newRegister();

  abstract long load(R register);

  abstract void store(R register, long value);

  @Override
  public final int slots() {
    return slots.length;
  }

  @Override
  public final long node(int slot) {
    Node<R> n = slots[slot].get();
    return n == null ? 0 : n.id();
  }

  @Override
  public final void publish(int slot, long id) {
    slots[slot].set(new Node<>(id, newRegister()));
  }

  @Override
  public final long nodeValue(int slot) {
    return load(slots[slot].get().register());
  }

  @Override
  public final void setNodeValue(int slot, long value) {
    store(slots[slot].get().register(), value);
  }
}
