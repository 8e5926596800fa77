package org.ame4jexamples.redis;

/**
 * A string value that holds a 64-bit integer, kept as a number so that INCR changes it in place:
 * Redis's integer encoding of strings, for the same reason. An INCR then looks its key up once
 * and writes one field, where replacing a {@code String} looked the key up a second time to
 * store the new one ({@code HashMap.put}: the table, the bin and the node again, each read a
 * barrier under the agent, and the node's value written). Every command that reads a string
 * value sees its decimal digits ({@link Keyspace#text}); only INCR, INCRBY, DECR and DECRBY make
 * or change one, so a counter belongs to one key.
 */
final class Counter {
  long value;

  Counter(long value) {
    this.value = value;
  }

  @Override
  public String toString() {
    return Long.toString(value);
  }
}
