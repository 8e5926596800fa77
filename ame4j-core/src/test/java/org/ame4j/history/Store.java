package org.ame4j.history;

/**
 * The shared memory a {@link Workload} runs against: {@link #keys()} long registers, and
 * {@link #slots()} slots that each point to a node allocated by a task (a fresh object with one
 * long register of its own) and published into shared state. Implementations put the registers
 * in explicit cells, plain fields, array elements or JDK collections; the workload's semantics
 * are written once, against this interface.
 *
 * <p>Every register and every slot starts at 0 (no node).
 */
public interface Store {
  int keys();

  long get(int key);

  void set(int key, long value);

  int slots();

  /** The id of the node in {@code slot}, 0 if none. */
  long node(int slot);

  /** Allocates a node with id {@code id} whose register holds 0, and puts it in {@code slot}. */
  void publish(int slot, long id);

  /** The register of the node in {@code slot} (there is one). */
  long nodeValue(int slot);

  void setNodeValue(int slot, long value);
}
