package org.ame4j.history;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Runs checked {@link Workload}s over a matrix of seeds, modes and worker counts, each on a fresh
 * store, and adds up what was checked. Shared by the JUnit tests (in process) and by
 * {@link #main} (a child JVM, for the runs that need an engine switch set at start).
 */
public final class Campaign {
  /** What a campaign checked and found; {@code failures} are the checks with anomalies. */
  public record Summary(long committed, long aborted, int runs, List<String> failures, long millis) {
    public boolean ok() {
      return failures.isEmpty();
    }

    @Override
    public String toString() {
      return runs + " runs, " + committed + " committed transactions and " + aborted
          + " aborted attempts checked in " + millis + " ms: "
          + (ok() ? "0 anomalies" : failures.size() + " runs with anomalies\n" + String.join("\n", failures));
    }
  }

  private final Supplier<Store> stores;
  private final int tasks;
  private final int throwPermille;

  public Campaign(Supplier<Store> stores, int tasks, int throwPermille) {
    this.stores = stores;
    this.tasks = tasks;
    this.throwPermille = throwPermille;
  }

  /**
   * Runs every (seed, mode, workers) of the matrix, or stops after the first run with an
   * anomaly if {@code stopAtFirst}.
   */
  public Summary run(long firstSeed, int seeds, List<Workload.Mode> modes, int[] workers, boolean stopAtFirst)
      throws InterruptedException {
    long start = System.nanoTime();
    long committed = 0;
    long aborted = 0;
    int runs = 0;
    List<String> failures = new ArrayList<>();
    for (long seed = firstSeed; seed < firstSeed + seeds; seed++) {
      for (Workload.Mode mode : modes) {
        for (int w : workers) {
          HistoryChecker.Result r = new Workload(stores.get(), new History(), mode, w, seed, tasks, throwPermille)
              .runAndCheck();
          runs++;
          committed += r.committed();
          aborted += r.aborted();
          if (!r.ok()) {
            failures.add("seed " + seed + ", " + mode + ", " + w + " workers: " + r);
            if (stopAtFirst) {
              return new Summary(committed, aborted, runs, failures, (System.nanoTime() - start) / 1_000_000);
            }
          }
        }
      }
    }
    return new Summary(committed, aborted, runs, failures, (System.nanoTime() - start) / 1_000_000);
  }

  /** Parses {@code UNORDERED,ATOMIC} and {@code 1,2,4}. */
  public static List<Workload.Mode> modes(String list) {
    List<Workload.Mode> out = new ArrayList<>();
    for (String m : list.split(",")) {
      out.add(Workload.Mode.valueOf(m.trim().toUpperCase(java.util.Locale.ROOT)));
    }
    return out;
  }

  public static int[] ints(String list) {
    return java.util.Arrays.stream(list.split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
  }

  /**
   * {@code java … org.ame4j.history.Campaign MODES WORKERS SEEDS TASKS}: runs a campaign over
   * explicit cells until the first anomaly, prints the summary, exits 1 if it found one.
   */
  public static void main(String[] args) throws InterruptedException {
    main(args, () -> new CellStore(24, 4));
  }

  /** {@link #main} over the stores of {@code stores} (a program's main delegates here). */
  public static void main(String[] args, Supplier<Store> stores) throws InterruptedException {
    if (args.length != 4) {
      System.err.println("arguments: MODES(unordered,ordered,atomic) WORKERS(1,2,…) SEEDS TASKS");
      System.exit(2);
    }
    Campaign c = new Campaign(stores, Integer.parseInt(args[3]), 20);
    report(c.run(1, Integer.parseInt(args[2]), modes(args[0]), ints(args[1]), true));
  }

  /** {@code -Pstress} (property {@code ame4j.stress}): the history tests run many more seeds and tasks. */
  static final boolean STRESS = Boolean.getBoolean("ame4j.stress");

  /** Prints a test's result {@code what: result} with the JVM's -X flags, which the stress runs vary. */
  static void log(String what, Object result) {
    System.out.println(what + ": " + result + "; JVM flags "
        + ManagementFactory.getRuntimeMXBean().getInputArguments().stream().filter(a -> a.startsWith("-X")).toList());
  }

  /** Prints a summary and exits with status 1 if it has anomalies, else 0. */
  public static void report(Summary s) {
    System.out.println(s);
    System.out.flush();
    System.exit(s.ok() ? 0 : 1);
  }
}
