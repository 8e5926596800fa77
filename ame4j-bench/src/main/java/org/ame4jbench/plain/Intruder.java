package org.ame4jbench.plain;

/**
 * STAMP's {@code intruder} over plain objects: reassembly of fragmented, out-of-order network
 * flows in a shared map, then signature detection of every completed flow.
 *
 * <p>{@link #reassemble} is the transaction: find the packet's flow in {@link #sessions} (a
 * {@link RedBlackTree} keyed by flow id, as STAMP's dictionary) or create it, put the fragment in
 * its slot, and if that was the last missing fragment, remove the flow and return its fragments
 * in order. {@link #assemble} and {@link #detect} work on the returned, private fragments (STAMP
 * runs its detector outside transactions). {@link #process} is the sequential program's loop body,
 * which the automatic variant runs as one task: there the detection and the recording are inside
 * the transaction too.
 *
 * <p>Not guaranteed: a fragment that arrives twice is ignored (the flow then never completes,
 * which the workload's validation reports); the generated streams never repeat one.
 */
public final class Intruder {
  /** One fragment of a flow, immutable. */
  public static final class Packet {
    public final int flow;
    public final int index;
    public final int count;
    public final byte[] data;

    public Packet(int flow, int index, int count, byte[] data) {
      this.flow = flow;
      this.index = index;
      this.count = count;
      this.data = data;
    }
  }

  /** A flow being reassembled: one slot per fragment. */
  static final class Flow {
    final Packet[] parts;
    int received;

    Flow(int count) {
      parts = new Packet[count];
    }
  }

  /** What the sequential and automatic variants record per flow id. */
  public static final class Results {
    public final int[] completions;
    public final byte[][] data;
    public final int[] verdict;

    public Results(int flows) {
      completions = new int[flows];
      data = new byte[flows][];
      verdict = new int[flows];
    }
  }

  public final RedBlackTree<Flow> sessions = new RedBlackTree<>();
  private final byte[][] signatures;

  public Intruder(byte[][] signatures) {
    this.signatures = signatures;
  }

  /** One packet of the stream: reassemble; if its flow completed, assemble, detect and record. */
  public void process(Packet p, Results out) {
    Packet[] parts = reassemble(p);
    if (parts != null) {
      byte[] data = assemble(parts);
      out.completions[p.flow]++;
      out.data[p.flow] = data;
      out.verdict[p.flow] = detect(data, signatures);
    }
  }

  /** The transaction: adds the fragment; returns the flow's fragments if it is now complete. */
  public Packet[] reassemble(Packet p) {
    Flow f = sessions.get(p.flow);
    if (f == null) {
      f = new Flow(p.count);
      sessions.insert(p.flow, f);
    }
    if (f.parts[p.index] != null) {
      return null;
    }
    f.parts[p.index] = p;
    f.received++;
    if (f.received < f.parts.length) {
      return null;
    }
    sessions.delete(p.flow);
    return f.parts;
  }

  /** Concatenates the fragments' data in fragment order. */
  public static byte[] assemble(Packet[] parts) {
    int length = 0;
    for (Packet p : parts) {
      length += p.data.length;
    }
    byte[] out = new byte[length];
    int at = 0;
    for (Packet p : parts) {
      System.arraycopy(p.data, 0, out, at, p.data.length);
      at += p.data.length;
    }
    return out;
  }

  /** The index of the first signature (in dictionary order) that occurs in {@code data}, or -1. */
  public static int detect(byte[] data, byte[][] signatures) {
    for (int s = 0; s < signatures.length; s++) {
      byte[] sig = signatures[s];
      for (int i = 0; i + sig.length <= data.length; i++) {
        int k = 0;
        while (k < sig.length && data[i + k] == sig[k]) {
          k++;
        }
        if (k == sig.length) {
          return s;
        }
      }
    }
    return -1;
  }
}
