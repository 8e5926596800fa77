package org.ame4j.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ame4j.Ame;
import org.ame4j.IntRef;
import org.ame4j.TransactionQueue;

/**
 * What every task pays regardless of its body (issue 14, fine-grained tasks): the queue insert on
 * the main thread, the worker's refill, begin and commit. No agent needed: the bodies are an empty
 * task and a one-field task (an {@link IntRef} increment: one read, one lock, one undo entry, a
 * writing commit), run on one worker of an unordered queue (the same concurrency control as N
 * workers), and the same bodies as bare {@code Ame.atomic} calls on the main thread (begin and
 * commit without the queue).
 *
 * <p>Rows, each in ns per task: {@code add} (thread CPU of the main thread queueing N lambdas),
 * {@code run} (process CPU of {@code run(1)}: the worker, the collector and the JIT),
 * {@code total} (process CPU of add and run: the collector's work for the queued tasks
 * included), {@code wall} (wall time of add and run together), {@code thread} (the thread CPU
 * of the thread that ran the tasks, at nanosecond resolution: read by the first and the last
 * task of a range on one worker, around the loop for {@code atomic}; 0 for {@code add} rows and
 * several workers); for {@code range} the insert is one {@code addRange}. {@code atomic} rows
 * have only the loop of {@code Ame.atomic}. Every variant runs in the same JVM, round-robin, R rounds
 * after W warm-up rounds; medians over the rounds.
 *
 * <pre>
 *   java -cp ame4j-bench/target/classes:ame4j-core/target/classes org.ame4j.bench.TaskCost \
 *       [--tasks N] [--rounds R] [--warmup W] [--ordered] [--workers W]
 * </pre>
 *
 * <p>{@code --workers 2} runs the queue variants on two workers: their {@code run} row against
 * one worker's is the CPU two workers spend on the same tasks, which is where cache lines both
 * workers write per task (the commit clock, the queue's lock) show on a loaded machine. Field
 * tasks write {@code cells[i % 4096]}, so two workers' tasks rarely conflict.
 *
 * Not a timed test: the figures vary with the machine's load, so compare variants measured in
 * the same run (or builds alternated JVM by JVM), never against a threshold.
 */
public final class TaskCost {
  private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

  private TaskCost() {}

  private static long processCpu() {
    return ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : -1L;
  }

  /** One variant: its rows' samples (ns per task). */
  private record Variant(String name, List<double[]> samples) {
    void add(double add, double run, double total, double wall, double worker) {
      samples.add(new double[] {add, run, total, wall, worker});
    }

    double median(int column) {
      double[] v = samples.stream().mapToDouble(s -> s[column]).sorted().toArray();
      return v.length == 0 ? Double.NaN : v[v.length / 2];
    }
  }

  /** Cells the field tasks write, task i the cell i % CELLS. */
  private static final int CELLS = 4096;

  private static void bump(IntRef c) {
    c.set(c.get() + 1);
  }

  public static void main(String[] args) {
    int tasks = 1_000_000;
    int rounds = 7;
    int warmup = 3;
    boolean ordered = false;
    int workers = 1;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--tasks" -> tasks = Integer.parseInt(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--ordered" -> ordered = true;
        case "--workers" -> workers = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("usage: TaskCost [--tasks N] [--rounds R]"
            + " [--warmup W] [--ordered] [--workers W]; unknown option " + args[i]);
      }
    }
    String[] names = {"empty add", "empty range", "field add", "field range", "empty atomic",
        "field atomic"};
    List<Variant> variants = new ArrayList<>();
    for (String n : names) {
      variants.add(new Variant(n, new ArrayList<>()));
    }
    // Field tasks write cells[i % CELLS]: one cell for every task on one worker would make every
    // pair of two workers' tasks conflict; these conflict only when two workers' batches meet.
    IntRef[] cells = new IntRef[CELLS];
    for (int i = 0; i < CELLS; i++) {
      cells[i] = new IntRef(0);
    }
    long expected = 0;
    for (int r = -warmup; r < rounds; r++) {
      for (Variant v : variants) {
        boolean field = v.name.startsWith("field");
        IntRef cell = cells[0];
        Runnable body = field ? () -> cell.set(cell.get() + 1) : () -> { };
        long c0 = MX.getCurrentThreadCpuTime();
        long a0 = processCpu();
        double addNs;
        double addProcNs = 0;
        double runNs;
        long w0 = System.nanoTime();
        workerStart = workerEnd = 0;
        if (v.name.endsWith("atomic")) {
          addNs = 0;
          long p0 = processCpu();
          workerStart = MX.getCurrentThreadCpuTime();
          for (int i = 0; i < tasks; i++) {
            Ame.atomic(body);
          }
          workerEnd = MX.getCurrentThreadCpuTime();
          runNs = (double) (processCpu() - p0) / tasks;
        } else {
          TransactionQueue q = ordered ? TransactionQueue.ordered() : new TransactionQueue();
          if (v.name.endsWith("range")) {
            int last = tasks - 1;
            q.addRange(0, tasks, field ? i -> {
              mark(i, last);
              bump(cells[i % CELLS]);
            } : i -> mark(i, last));
          } else if (field) {
            for (int i = 0; i < tasks; i++) {
              IntRef c = cells[i % CELLS];
              q.add(() -> bump(c)); // a new lambda per task, as a loop writes it
            }
          } else {
            for (int i = 0; i < tasks; i++) {
              int k = i;
              q.add(() -> blackhole(k)); // capturing: one object per task, as in a real loop
            }
          }
          addNs = (double) (MX.getCurrentThreadCpuTime() - c0) / tasks;
          addProcNs = (double) (processCpu() - a0) / tasks;
          long p0 = processCpu();
          q.run(workers);
          runNs = (double) (processCpu() - p0) / tasks;
        }
        if (field) {
          expected += tasks;
        }
        double wallNs = (double) (System.nanoTime() - w0) / tasks;
        double workerNs = workerEnd > workerStart ? (double) (workerEnd - workerStart) / tasks : 0;
        if (r >= 0) {
          v.add(addNs, runNs, addProcNs + runNs, wallNs, workerNs);
        }
      }
    }
    long sum = 0;
    for (IntRef c : cells) {
      sum += c.get();
    }
    if (sum != expected) {
      throw new AssertionError("lost increments: " + sum + " != " + expected);
    }
    System.out.printf(Locale.ROOT, "TaskCost %s, %d worker(s), %,d tasks, %d rounds (medians, ns"
        + " per task; add = main thread CPU, run = process CPU of run(%d) or the atomic loop,"
        + " whose resolution may be 10 ms: use enough tasks)%n",
        ordered ? "ordered" : "unordered", workers, tasks, rounds, workers);
    System.out.printf(Locale.ROOT, "%-14s %8s %8s %8s %8s %8s%n", "variant", "add", "run", "total",
        "wall", "thread");
    for (Variant v : variants) {
      System.out.printf(Locale.ROOT, "%-14s %8.1f %8.1f %8.1f %8.1f %8.2f%n", v.name, v.median(0),
          v.median(1), v.median(2), v.median(3), v.median(4));
    }
  }

  private static volatile int sink;
  /** Thread CPU time of the worker at the first and the last task of a range (ns resolution). */
  private static volatile long workerStart;
  private static volatile long workerEnd;

  /** Range tasks: the running thread's CPU time at the first and the last index. */
  private static void mark(int i, int last) {
    if (i == 0) {
      workerStart = MX.getCurrentThreadCpuTime();
    } else if (i == last) {
      workerEnd = MX.getCurrentThreadCpuTime();
    }
  }

  private static void blackhole(int k) {
    if (k == -1) {
      sink = k;
    }
  }
}
