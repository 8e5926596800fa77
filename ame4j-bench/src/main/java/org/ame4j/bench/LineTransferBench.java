package org.ame4j.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * What a cache line that two cores both write costs on this machine (issue 14, "what two workers
 * share per task"): two threads each run N atomic operations on one shared word, on two words in
 * one line (false sharing), or on two words 256 bytes apart; the same loop on one thread is the
 * uncontended base. Rows: thread CPU per operation (ns), each variant's median over the rounds.
 *
 * <pre>
 *   java -cp ame4j-bench/target/classes org.ame4j.bench.LineTransferBench [--ops N] [--rounds R]
 * </pre>
 *
 * <p>Kinds: {@code add} is {@code getAndAdd} (the commit clock's tick: {@code lock xadd}),
 * {@code cas} a read then compare-and-set that adopts the witness on failure (TL2's GV4, "pass on
 * failure"), {@code store} a volatile store (a status word, a stats counter if it were shared).
 * Each two-thread row is printed with a parallelism probe taken just before it: below 1.6 the
 * threads mostly took turns on one core and the row says little about line transfers.
 *
 * <p>Not a timed test: compare rows of one run.
 */
public final class LineTransferBench {
  private static final VarHandle WORDS = MethodHandles.arrayElementVarHandle(long[].class);
  private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
  /** Longs between two words "on separate lines": 256 bytes, past the adjacent-line prefetch pair. */
  private static final int FAR = 32;

  private LineTransferBench() {}

  private static long op(String kind, long[] words, int i) {
    switch (kind) {
      case "add":
        return (long) WORDS.getAndAdd(words, i, 1L);
      case "cas": {
        long c = (long) WORDS.getVolatile(words, i);
        long w = (long) WORDS.compareAndExchange(words, i, c, c + 1);
        return w == c ? c + 1 : w; // GV4: a commit that lost the race adopts the winner's stamp
      }
      case "store":
        WORDS.setVolatile(words, i, (long) i);
        return i;
      default:
        throw new IllegalArgumentException("kind: add, cas or store, not " + kind);
    }
  }

  private static long loop(String kind, long[] words, int i, int ops) {
    long sink = 0;
    for (int k = 0; k < ops; k++) {
      sink += op(kind, words, i);
    }
    return sink;
  }

  /** Thread CPU ns per operation of each of {@code slots.length} threads, averaged. */
  private static double run(String kind, int[] slots, int ops) throws InterruptedException {
    long[] words = new long[3 * FAR];
    long[] cpu = new long[slots.length];
    long[] sink = new long[slots.length];
    Thread[] threads = new Thread[slots.length];
    for (int t = 0; t < slots.length; t++) {
      int k = t;
      threads[t] = new Thread(() -> {
        long c0 = MX.getCurrentThreadCpuTime();
        sink[k] = loop(kind, words, slots[k], ops);
        cpu[k] = MX.getCurrentThreadCpuTime() - c0;
      });
    }
    for (Thread t : threads) {
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    long sum = 0;
    for (long c : cpu) {
      sum += c;
    }
    return (double) sum / slots.length / ops + (sink[0] == 42 ? 1e-9 : 0);
  }

  public static void main(String[] args) throws InterruptedException {
    int ops = 5_000_000;
    int rounds = 5;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--ops" -> ops = Integer.parseInt(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]
            + " (use --ops N --rounds R)");
      }
    }
    String[] kinds = {"add", "cas", "store"};
    String[] layouts = {"one thread", "one word", "one line", "two lines"};
    int[][] slots = {{FAR}, {FAR, FAR}, {FAR, FAR + 1}, {FAR, 2 * FAR}};
    for (String kind : kinds) {
      for (int l = 0; l < layouts.length; l++) {
        run(kind, slots[l], ops / 10); // warm-up
        double[] ns = new double[rounds];
        double probe = slots[l].length > 1 ? ParallelismProbe.measure(300) : Double.NaN;
        for (int r = 0; r < rounds; r++) {
          ns[r] = run(kind, slots[l], ops);
        }
        Arrays.sort(ns);
        System.out.println(String.format(Locale.ROOT, "%-5s %-10s %7.1f ns/op%s", kind,
            layouts[l], ns[rounds / 2],
            Double.isNaN(probe) ? "" : String.format(Locale.ROOT, "  probe=%.2f", probe)));
      }
    }
  }
}
