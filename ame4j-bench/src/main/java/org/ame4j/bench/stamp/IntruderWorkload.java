package org.ame4j.bench.stamp;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.ame4j.TransactionQueue;
import org.ame4j.bench.stamp.cells.Stm;
import org.ame4j.bench.stamp.cells.TIntruder;
import org.ame4jbench.plain.Intruder;
import org.ame4jbench.plain.Intruder.Packet;

/**
 * STAMP's {@code intruder} (Minh et al., IISWC 2008; after Haagdorens et al.'s signature-based
 * network intrusion detection): flows of random lowercase text, a fraction of which (STAMP's
 * {@code -a10}: 10 %) carry one signature of a dictionary, are cut into 1 to {@code l} fragments
 * (STAMP's {@code -l}) and the fragments of all flows arrive shuffled, in one stream. One
 * transaction per packet: the reassembly (find or create the packet's flow in a shared red-black
 * tree keyed by flow id, add the fragment, and if the flow is complete, remove it and hand its
 * fragments to the caller). Then, outside the transaction as in STAMP, the thread that completed a
 * flow concatenates its fragments, runs the detector (the first dictionary signature that occurs
 * in the data) and records the verdict. Contention: every transaction walks and may rebalance the
 * one tree.
 *
 * <p>Differences from STAMP: STAMP's threads first pop each packet from a shared FIFO in its own
 * small transaction (the capture phase); here the stream is distributed as in every workload of
 * the suite (the automatic variant's {@code TransactionQueue} takes the packets in arrival order,
 * the threads of the other variants take contiguous slices of it), so a packet is one transaction.
 * In the automatic variant the loop body is the task, so the assembly, the detector's reads and
 * the recording are inside the transaction too.
 *
 * <p>Validation (every run): every flow was completed exactly once, its reassembled data equal
 * the generated flow byte for byte, the set of flows flagged as attacks equals the set generated
 * with a signature, and the session map is empty at the end.
 */
final class IntruderWorkload implements Workload {
  private static final int ATTACK_PERCENT = 10;
  private static final int SIGNATURES = 16;

  private int flows;
  private int maxFragments;
  private byte[][] signatures;
  private byte[][] flowData;
  private boolean[] attack;
  private Packet[] stream;
  private int attacks;

  @Override
  public String name() {
    return "intruder";
  }

  @Override
  public String description() {
    return flows + " flows of 64-255 bytes in 1-" + maxFragments + " fragments (" + stream.length
        + " packets, " + attacks + " attacks), " + SIGNATURES + " signatures";
  }

  @Override
  public boolean lowContention() {
    return false;
  }

  @Override
  public Set<Variant> variants() {
    return EnumSet.complementOf(EnumSet.of(Variant.JUC));
  }

  @Override
  public void generate(Size s, long seed) {
    flows = s.pick(256, 2048, 4096);
    maxFragments = s.pick(4, 4, 8);
    SplittableRandom rnd = new SplittableRandom(seed * 19 + 7);
    signatures = new byte[SIGNATURES][];
    for (int i = 0; i < SIGNATURES; i++) {
      signatures[i] = text(rnd, 8 + rnd.nextInt(8));
    }
    flowData = new byte[flows][];
    attack = new boolean[flows];
    attacks = 0;
    java.util.List<Packet> packets = new java.util.ArrayList<>();
    for (int f = 0; f < flows; f++) {
      byte[] data;
      do { // a random text that happens to contain a signature is drawn again: verdicts are known
        data = text(rnd, 64 + rnd.nextInt(192));
      } while (Intruder.detect(data, signatures) >= 0);
      if (rnd.nextInt(100) < ATTACK_PERCENT) {
        byte[] sig = signatures[rnd.nextInt(SIGNATURES)];
        System.arraycopy(sig, 0, data, rnd.nextInt(data.length - sig.length + 1), sig.length);
        attack[f] = true;
        attacks++;
      }
      flowData[f] = data;
      int count = 1 + rnd.nextInt(maxFragments);
      int[] cuts = new int[count + 1];
      cuts[count] = data.length;
      for (int k = 1; k < count; k++) {
        cuts[k] = (int) ((long) data.length * k / count) + rnd.nextInt(5) - 2; // unequal pieces
      }
      for (int k = 0; k < count; k++) {
        packets.add(new Packet(f, k, count, Arrays.copyOfRange(data, cuts[k], cuts[k + 1])));
      }
    }
    stream = packets.toArray(new Packet[0]);
    for (int i = stream.length - 1; i > 0; i--) { // out of order: fragments of all flows mixed
      int j = rnd.nextInt(i + 1);
      Packet x = stream[i];
      stream[i] = stream[j];
      stream[j] = x;
    }
  }

  private static byte[] text(SplittableRandom rnd, int length) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) ('a' + rnd.nextInt(26));
    }
    return b;
  }

  @Override
  public Run prepare(Variant v, int threads) {
    int n = stream.length;
    if (v == Variant.SEQUENTIAL || v == Variant.AME_AUTO) {
      Intruder ids = new Intruder(signatures);
      Intruder.Results out = new Intruder.Results(flows);
      TransactionQueue q = v == Variant.AME_AUTO
          ? Threads.queue(n, i -> () -> ids.process(stream[i], out)) : null;
      return new Checked() {
        @Override
        public void execute() {
          if (q != null) {
            q.run(threads);
          } else {
            for (int i = 0; i < n; i++) {
              ids.process(stream[i], out);
            }
          }
        }

        @Override
        public void validate() {
          check(f -> out.completions[f], out.data, out.verdict, ids.sessions.size());
        }
      };
    }
    Verdicts out = new Verdicts(flows);
    if (v == Variant.LOCK) {
      Intruder ids = new Intruder(signatures);
      Object lock = new Object();
      return new Checked() {
        @Override
        public void execute() {
          Threads.run(threads, n, (t, lo, hi) -> {
            for (int i = lo; i < hi; i++) {
              Packet[] parts;
              synchronized (lock) {
                parts = ids.reassemble(stream[i]);
              }
              out.record(stream[i].flow, parts, signatures);
            }
          });
        }

        @Override
        public void validate() {
          check(out.completions::get, out.data, out.verdict, ids.sessions.size());
        }
      };
    }
    Stm stm = v.stm();
    TIntruder ids = new TIntruder(stm);
    Threads.Attempts attempts = new Threads.Attempts(threads);
    return new Checked() {
      @Override
      public void execute() {
        Threads.run(threads, n, (t, lo, hi) -> {
          for (int i = lo; i < hi; i++) {
            Packet p = stream[i];
            Packet[] parts = stm.atomic(txn -> {
              attempts.hit(t);
              return ids.reassemble(txn, p);
            });
            out.record(p.flow, parts, signatures);
          }
        });
      }

      @Override
      public void validate() {
        check(out.completions::get, out.data, out.verdict, ids.pending());
      }

      @Override
      public long attempts() {
        return attempts.total();
      }
    };
  }

  /**
   * The per-flow results of the threaded variants, written after the transaction by the thread
   * that completed the flow. The completion count is atomic so that a flow completed twice (the
   * bug the validation looks for) cannot hide behind a lost increment; the other slots are
   * written by that one thread and read after {@code join}.
   */
  private static final class Verdicts {
    final AtomicIntegerArray completions;
    final byte[][] data;
    final int[] verdict;

    Verdicts(int flows) {
      completions = new AtomicIntegerArray(flows);
      data = new byte[flows][];
      verdict = new int[flows];
    }

    void record(int flow, Packet[] parts, byte[][] signatures) {
      if (parts != null) {
        byte[] d = Intruder.assemble(parts);
        int found = Intruder.detect(d, signatures);
        completions.incrementAndGet(flow);
        data[flow] = d;
        verdict[flow] = found;
      }
    }
  }

  private abstract class Checked implements Run {
    @Override
    public long operations() {
      return stream.length;
    }

    @Override
    public String detail() {
      return "flows=" + flows + ",attacks=" + attacks;
    }

    void check(java.util.function.IntUnaryOperator completions, byte[][] data, int[] verdict,
        int pending) {
      int flagged = 0;
      for (int f = 0; f < flows; f++) {
        int c = completions.applyAsInt(f);
        if (c != 1) {
          throw new ValidationError("intruder: flow " + f + " was reassembled " + c + " times");
        }
        if (!Arrays.equals(data[f], flowData[f])) {
          throw new ValidationError("intruder: flow " + f + ": the reassembled data differ from"
              + " the generated flow (" + (data[f] == null ? "none" : data[f].length + " bytes")
              + " for " + flowData[f].length + ")");
        }
        boolean found = verdict[f] >= 0;
        if (found != attack[f]) {
          throw new ValidationError("intruder: flow " + f + (attack[f] ? " carries a signature"
              + " but was not flagged" : " was flagged but carries no signature"));
        }
        flagged += found ? 1 : 0;
      }
      if (flagged != attacks) {
        throw new ValidationError("intruder: " + flagged + " flows flagged, " + attacks
            + " attacks generated");
      }
      if (pending != 0) {
        throw new ValidationError("intruder: " + pending + " flows left in the reassembly map");
      }
    }
  }
}
