package org.ame4jexamples.scaling;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.ame4j.Ame;
import org.ame4j.Stats;
import org.ame4j.TransactionQueue;

/**
 * A word count over documents, one task per document, written first the way it does not scale:
 * every task adds its words straight into one shared {@code HashMap} ({@code --shared}, the
 * default). Tasks then conflict all the time: on the popular words' entries, and on the map's
 * {@code size}, {@code modCount} and table whenever a word is new. With {@code --partial} each
 * task counts into a map of its own, kept in its slot, and the maps are merged after the run,
 * in document order: the tasks share nothing, and the result is the same.
 *
 * <pre>
 *   ./ame run -Dame4j.report=true -cp ame4j-examples/target/classes \
 *       org.ame4jexamples.scaling.SharedWordCount [--shared | --partial] [--workers N] [--documents N]
 * </pre>
 *
 * <p>Prints the run's wall time and the process's CPU time, the distinct and total words (the
 * same in both versions), the abort share and the time lost in aborted attempts. The java.base patch ({@code ./ame run} passes it) makes {@code HashMap}
 * transactional; without it every task would run inevitable, one at a time.
 */
public final class SharedWordCount {
  static final int WORDS_PER_DOCUMENT = 200;

  private SharedWordCount() {}

  /** {@code n} documents of {@link #WORDS_PER_DOCUMENT} words from a skewed vocabulary. */
  static String[] documents(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    String[] vocabulary = new String[20_000];
    for (int i = 0; i < vocabulary.length; i++) {
      vocabulary[i] = "w" + Integer.toString(i * 7919 % 100_003, 36);
    }
    String[] docs = new String[n];
    StringBuilder text = new StringBuilder();
    for (int d = 0; d < n; d++) {
      text.setLength(0);
      for (int w = 0; w < WORDS_PER_DOCUMENT; w++) {
        double u = random.nextDouble();
        text.append(w == 0 ? "" : " ").append(vocabulary[(int) (vocabulary.length * u * u * u)]);
      }
      docs[d] = text.toString();
    }
    return docs;
  }

  /** Adds every word of {@code text} to {@code counts}. */
  static void count(String text, HashMap<String, Integer> counts) {
    int start = 0;
    while (start < text.length()) {
      int end = text.indexOf(' ', start);
      if (end < 0) {
        end = text.length();
      }
      String word = text.substring(start, end);
      counts.put(word, counts.getOrDefault(word, 0) + 1); // the shared version conflicts here
      start = end + 1;
    }
  }

  /** CPU time of the whole process (all threads), or 0 where the JVM does not say. */
  private static long processCpuNanos() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : 0L;
  }

  public static void main(String[] args) {
    boolean shared = true;
    int workers = Runtime.getRuntime().availableProcessors();
    int n = 4000;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--shared" -> shared = true;
        case "--partial" -> shared = false;
        case "--workers" -> workers = Integer.parseInt(args[++i]);
        case "--documents" -> n = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("usage: SharedWordCount [--shared | --partial]"
            + " [--workers N] [--documents N]; unknown argument " + args[i]);
      }
    }
    String[] docs = documents(n, 42);
    HashMap<String, Integer> totals = new HashMap<>();
    @SuppressWarnings("unchecked")
    HashMap<String, Integer>[] partial = new HashMap[n];
    TransactionQueue queue = new TransactionQueue();
    for (int d = 0; d < n; d++) {
      int doc = d;
      if (shared) {
        queue.add(() -> count(docs[doc], totals));
      } else {
        queue.add(() -> {
          HashMap<String, Integer> mine = new HashMap<>();
          count(docs[doc], mine);
          partial[doc] = mine;
        });
      }
    }
    Stats before = Ame.stats();
    long c0 = processCpuNanos();
    long t0 = System.nanoTime();
    queue.run(workers);
    if (!shared) {
      for (HashMap<String, Integer> counts : partial) { // after the run: sequential, in order
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
          totals.merge(e.getKey(), e.getValue(), Integer::sum);
        }
      }
    }
    long millis = (System.nanoTime() - t0) / 1_000_000;
    long cpuMillis = (processCpuNanos() - c0) / 1_000_000;
    Stats s = Ame.stats().minus(before);
    long words = 0;
    for (int c : totals.values()) {
      words += c;
    }
    System.out.printf("%s, %d workers: %d ms (CPU %d ms), %d distinct words, %d words, %d commits,"
            + " %d aborts (%.1f%%), %.0f ms lost%n",
        shared ? "shared map" : "partial maps", workers, millis, cpuMillis, totals.size(), words, s.commits(),
        s.aborts(), 100.0 * s.aborts() / Math.max(1, s.commits() + s.aborts()), s.abortedNanos() / 1e6);
  }
}
