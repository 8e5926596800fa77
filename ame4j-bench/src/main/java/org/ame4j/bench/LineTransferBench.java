package org.ame4j.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * What a cache line that two cores both write costs on this machine (issue 14, "what two workers
 * share per task"): two threads each run atomic operations on one shared word, on two words in
 * one line (false sharing), or on two words 256 bytes apart; the same loop on one thread is the
 * uncontended base.
 *
 * <p><b>Measured only while both threads run.</b> On a loaded 2-core machine two threads seldom
 * hold a core at the same time, and a per-thread average would mostly time one thread alone.
 * So each thread runs for a while ({@code --millis}, default 400) in chunks of {@value #CHUNK}
 * operations ({@code System.nanoTime} at each chunk's ends), and a row is the median time per
 * operation over the chunks that overlapped a chunk of the other thread by at least half of both
 * chunks' lengths, neither longer than {@value #MAX_NS_PER_OP} ns per operation: both threads
 * were on a core for nearly all of it (a chunk interrupted by a descheduling takes milliseconds).
 * {@code pairs} says how many chunks qualified; the one-thread row is the median over all its
 * chunks.
 *
 * <pre>
 *   java -cp ame4j-bench/target/classes org.ame4j.bench.LineTransferBench [--millis M]
 * </pre>
 *
 * <p>Kinds: {@code add} is {@code getAndAdd} (the commit clock's tick: {@code lock xadd}),
 * {@code cas} a read then compare-and-set that adopts the witness on failure (TL2's GV4, "pass on
 * failure"), {@code store} a volatile store (a status word, a stats counter if it were shared),
 * {@code load} a plain read of a word the other thread keeps storing to (a flag both read),
 * {@code turn} a hand-off: each thread waits for the word to be its turn (even, odd) and adds
 * one, so every operation moves the line to the other core and back (the cost a commit pays
 * for the clock when the other worker committed last). Streams of {@code add} keep the line for
 * a few operations at a time and show less than one transfer per operation; {@code turn} shows
 * one transfer each.
 *
 * <p>Not a timed test: compare rows of one run.
 */
public final class LineTransferBench {
  private static final VarHandle WORDS = MethodHandles.arrayElementVarHandle(long[].class);
  /** Longs between two words "on separate lines": 256 bytes, past the adjacent-line prefetch pair. */
  private static final int FAR = 32;
  /** Operations per timed chunk. */
  private static final int CHUNK = 1_000;
  /** A chunk slower than this per operation was descheduled, not contended. */
  private static final int MAX_NS_PER_OP = 400;

  /** Set when a thread of the current run has left its loop (a {@code turn} waiter stops). */
  private static volatile boolean finished;

  private LineTransferBench() {}

  private static long op(String kind, long[] words, int i, int thread) {
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
      case "load":
        if (thread == 1) {
          WORDS.setRelease(words, i, words[i] + 1); // the writer: the reader's line keeps moving
          return i;
        }
        return (long) WORDS.getOpaque(words, i);
      case "turn": {
        long w;
        while (((w = (long) WORDS.getAcquire(words, i)) & 1) != thread) {
          if (finished) {
            return w; // the other thread is done: no turn will come
          }
          Thread.onSpinWait();
        }
        WORDS.setRelease(words, i, w + 1);
        return w;
      }
      default:
        throw new IllegalArgumentException("kind: add, cas, store, load or turn, not " + kind);
    }
  }

  /**
   * Runs chunks until {@code deadline} (or {@code times} is full), recording each one's start and
   * end in {@code times}; returns how many ran.
   */
  private static int loop(String kind, long[] words, int i, int thread, long[] times,
      long deadline, long[] sink) {
    long sum = 0;
    int c = 0;
    for (long now = System.nanoTime(); now < deadline && c < times.length / 2; c++) {
      times[2 * c] = now;
      for (int k = 0; k < CHUNK; k++) {
        sum += op(kind, words, i, thread);
      }
      now = System.nanoTime();
      times[2 * c + 1] = now;
    }
    sink[thread] = sum;
    finished = true;
    return c;
  }

  /** Per-op nanoseconds of the qualifying chunks (see the class comment), unsorted. */
  private static double[] run(String kind, int[] slots, long millis) throws InterruptedException {
    long[] words = new long[3 * FAR];
    int max = (int) Math.min(1 << 22, millis * 1_000);
    long[][] times = new long[slots.length][2 * max];
    int[] ran = new int[slots.length];
    long[] sink = new long[slots.length];
    finished = false;
    long deadline = System.nanoTime() + millis * 1_000_000L;
    Thread[] threads = new Thread[slots.length];
    for (int t = 0; t < slots.length; t++) {
      int k = t;
      threads[t] = new Thread(() -> ran[k] = loop(kind, words, slots[k], k, times[k], deadline, sink));
    }
    for (Thread t : threads) {
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    double[] out = new double[ran[0] + (slots.length > 1 ? ran[1] : 0)];
    int n = 0;
    long longest = (long) MAX_NS_PER_OP * CHUNK;
    if (slots.length == 1) {
      for (int c = 0; c < ran[0]; c++) {
        out[n++] = (double) (times[0][2 * c + 1] - times[0][2 * c]) / CHUNK;
      }
    } else {
      for (int a = 0; a < 2; a++) {
        long[] mine = times[a];
        long[] other = times[1 - a];
        int theirs = ran[1 - a];
        int j = 0;
        for (int c = 0; c < ran[a]; c++) {
          long s = mine[2 * c];
          long e = mine[2 * c + 1];
          if (e - s > longest) {
            continue;
          }
          while (j < theirs && other[2 * j + 1] < s) {
            j++;
          }
          for (int k = j; k < theirs && other[2 * k] < e; k++) {
            long os = other[2 * k];
            long oe = other[2 * k + 1];
            long overlap = Math.min(e, oe) - Math.max(s, os);
            if (oe - os <= longest && overlap * 2 >= e - s && overlap * 2 >= oe - os) {
              out[n++] = (double) (e - s) / CHUNK;
              break;
            }
          }
        }
      }
    }
    return Arrays.copyOf(out, sink[0] == 42 ? 0 : n);
  }

  public static void main(String[] args) throws InterruptedException {
    long millis = 400;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--millis" -> millis = Long.parseLong(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]
            + " (use --millis M)");
      }
    }
    String[] kinds = {"add", "cas", "store", "load", "turn"};
    String[] layouts = {"one thread", "one word", "one line", "two lines"};
    int[][] slots = {{FAR}, {FAR, FAR}, {FAR, FAR + 1}, {FAR, 2 * FAR}};
    System.out.println("kind  layout       ns/op  pairs  (median over chunks of " + CHUNK
        + " operations run while both threads ran)");
    for (String kind : kinds) {
      for (int l = 0; l < layouts.length; l++) {
        if ((kind.equals("load") && l == 0) || (kind.equals("turn") && l != 1)) {
          continue; // a reader without a writer is a plain load; turns need one shared word
        }
        run(kind, slots[l], millis / 10); // warm-up
        double[] ns = run(kind, slots[l], millis);
        Arrays.sort(ns);
        System.out.println(String.format(Locale.ROOT, "%-5s %-10s %7.1f %6d", kind, layouts[l],
            ns.length == 0 ? Double.NaN : ns[ns.length / 2], ns.length));
      }
    }
    System.out.println(String.format(Locale.ROOT, "probe=%.2f (two spinning threads, CPU/wall)",
        ParallelismProbe.measure(500)));
  }
}
