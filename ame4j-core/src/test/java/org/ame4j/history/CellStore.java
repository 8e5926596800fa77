package org.ame4j.history;

import org.ame4j.LongRef;
import org.ame4j.Ref;

/** A {@link Store} of explicit cells: {@link LongRef} registers, {@link Ref} slots of nodes. */
public final class CellStore implements Store {
  /** A node a task allocates and publishes: its id and a register of its own. */
  record Node(long id, LongRef value) {}

  private final LongRef[] registers;
  private final Ref<Node>[] slots;

  @SuppressWarnings("unchecked")
  public CellStore(int keys, int slots) {
    registers = new LongRef[keys];
    for (int k = 0; k < keys; k++) {
      registers[k] = new LongRef(0);
    }
    this.slots = new Ref[slots];
    for (int s = 0; s < slots; s++) {
      this.slots[s] = new Ref<>(null);
    }
  }

  @Override
  public int keys() {
    return registers.length;
  }

  @Override
  public long get(int key) {
    return registers[key].get();
  }

  @Override
  public void set(int key, long value) {
    registers[key].set(value);
  }

  @Override
  public int slots() {
    return slots.length;
  }

  @Override
  public long node(int slot) {
    Node n = slots[slot].get();
    return n == null ? 0 : n.id();
  }

  @Override
  public void publish(int slot, long id) {
    slots[slot].set(new Node(id, new LongRef(0)));
  }

  @Override
  public long nodeValue(int slot) {
    return slots[slot].get().value().get();
  }

  @Override
  public void setNodeValue(int slot, long value) {
    slots[slot].get().value().set(value);
  }
}
