package org.ame4j.history;

import org.ame4j.LongRef;

/** A {@link Store} of explicit cells: {@link LongRef} registers, slots of nodes ({@link NodeStore}). */
public final class CellStore extends NodeStore<LongRef> {
  private final LongRef[] registers;

  public CellStore(int keys, int slots) {
    super(slots);
    registers = new LongRef[keys];
    for (int k = 0; k < keys; k++) {
      registers[k] = new LongRef(0);
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
  LongRef newRegister() {
    return new LongRef(0);
  }

  @Override
  long load(LongRef register) {
    return register.get();
  }

  @Override
  void store(LongRef register, long value) {
    register.set(value);
  }
}
