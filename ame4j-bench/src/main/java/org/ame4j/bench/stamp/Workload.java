package org.ame4j.bench.stamp;

import java.util.Set;

/**
 * One benchmark program of the suite. A workload generates its input once from a seed, then
 * builds a fresh shared state for every run of every variant ({@link #prepare}, not timed); the
 * run itself ({@link Run#execute}) is what the suite times, and {@link Run#validate} checks the
 * result afterwards, as STAMP's programs check theirs: a wrong answer throws
 * {@link ValidationError} and fails the whole suite.
 *
 * <p>Same algorithm, same input, same seed for every variant: the variants differ only in how
 * shared memory is protected.
 */
public interface Workload {
  /** Short id used on the command line, in the CSV and in the tables, e.g. {@code list-10}. */
  String name();

  /** One line for the tables: what the input is and what one operation does. */
  String description();

  /** Low contention: the workload where 2 threads should reach 1.7x of one (issue 5). */
  boolean lowContention();

  Set<Variant> variants();

  /** Generates the input; deterministic in {@code seed}. Called once per JVM. */
  void generate(Size size, long seed);

  /** Builds the shared state of one run of {@code v} on {@code threads} threads (not timed). */
  Run prepare(Variant v, int threads);

  /** One run: prepared, then executed once, then validated. */
  interface Run {
    void execute();

    /** Throws {@link ValidationError} if the run computed a wrong result. */
    void validate();

    /** Transactions (operations) the run executed: the throughput's numerator. */
    long operations();

    /**
     * Atomic-block bodies started (for cells variants, counted inside the body): attempts minus
     * operations are the aborts of a peer STM, which has no statistics API of its own; -1 where
     * not counted.
     */
    default long attempts() {
      return -1;
    }

    /**
     * What the run computed, in a few words without spaces (e.g. labyrinth's {@code routed=61/64}),
     * for the progress line and the CSV; empty where the operation count says it all. Called after
     * {@link #validate}.
     */
    default String detail() {
      return "";
    }
  }

  /** Input sizes: {@code TINY} for the unit test, {@code QUICK} for CI, {@code FULL} for numbers. */
  enum Size {
    TINY, QUICK, FULL;

    /** Picks the value for this size. */
    public int pick(int tiny, int quick, int full) {
      return switch (this) {
        case TINY -> tiny;
        case QUICK -> quick;
        case FULL -> full;
      };
    }
  }

  /** A run computed a wrong answer. An {@code Error}, so no workload code can swallow it. */
  final class ValidationError extends AssertionError {
    public ValidationError(String message) {
      super(message);
    }
  }
}
