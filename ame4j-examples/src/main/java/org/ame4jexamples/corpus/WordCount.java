package org.ame4jexamples.corpus;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.ame4j.TransactionQueue;

/**
 * Corpus program: a word count over documents, written the way one writes it to parallelise:
 * each document is counted into its own local {@code HashMap} (the loop body: fresh, private
 * data), stored in its slot of {@code partial}, and the partial counts are merged into one
 * {@code HashMap} at the end, sequentially, in document order. The per-document loop is the one
 * that becomes tasks; tasks share nothing but the read-only texts and their own slot.
 *
 * <p>{@code HashMap} inside a task is transactional only with the java.base patch
 * ({@code ./ame run} passes it; {@link Corpus#needsJdkPatch}); without it each task runs
 * inevitable, correct but serial. Tokenising uses {@code String.indexOf}/{@code substring}, which
 * touch no shared state.
 *
 * <p>Any order of the tasks gives the same partial counts, hence the same total: the check
 * recounts every document directly and compares.
 */
public final class WordCount implements CorpusProgram {
  static final int WORDS_PER_DOCUMENT = 200;

  private final String[] documents;
  private final HashMap<String, Integer>[] partial;
  private HashMap<String, Integer> totals;

  /** {@code size} documents of {@value #WORDS_PER_DOCUMENT} words from a skewed vocabulary. */
  @SuppressWarnings("unchecked")
  public WordCount(int size, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    String[] vocabulary = new String[20_000];
    for (int i = 0; i < vocabulary.length; i++) {
      vocabulary[i] = "w" + Integer.toString(i * 7919 % 100_003, 36);
    }
    documents = new String[size];
    StringBuilder text = new StringBuilder();
    for (int d = 0; d < size; d++) {
      text.setLength(0);
      for (int w = 0; w < WORDS_PER_DOCUMENT; w++) {
        double u = random.nextDouble();
        text.append(w == 0 ? "" : (w % 12 == 0 ? "\n" : " "))
            .append(vocabulary[(int) (vocabulary.length * u * u * u)]); // skewed towards 0
      }
      documents[d] = text.toString();
    }
    partial = new HashMap[size];
  }

  /** The loop body: counts document {@code d} into a map of its own. */
  void countDocument(int d) {
    partial[d] = count(documents[d]);
  }

  private static HashMap<String, Integer> count(String text) {
    HashMap<String, Integer> counts = new HashMap<>();
    int start = 0;
    int length = text.length();
    while (start < length) {
      int end = start;
      while (end < length && text.charAt(end) != ' ' && text.charAt(end) != '\n') {
        end++;
      }
      if (end > start) {
        counts.merge(text.substring(start, end), 1, Integer::sum);
      }
      start = end + 1;
    }
    return counts;
  }

  /** After the loop: the partial counts merged in document order. */
  private void mergeAll() {
    HashMap<String, Integer> all = new HashMap<>();
    for (HashMap<String, Integer> counts : partial) {
      for (Map.Entry<String, Integer> e : counts.entrySet()) {
        all.merge(e.getKey(), e.getValue(), Integer::sum);
      }
    }
    totals = all;
  }

  @Override
  public void runSequential() {
    for (int d = 0; d < documents.length; d++) {
      countDocument(d);
    }
    mergeAll();
  }

  @Override
  public void runTasks(TransactionQueue q, int workers) {
    CorpusProgram.runLoop(q, workers, documents.length, 1, this::countDocument);
    mergeAll();
  }

  @Override
  public void runRangeTasks(TransactionQueue q, int workers) {
    q.addRange(0, documents.length, this::countDocument);
    q.run(workers);
    mergeAll();
  }

  @Override
  public void runChunkedTasks(TransactionQueue q, int workers, int chunk) {
    CorpusProgram.runLoop(q, workers, documents.length, chunk, this::countDocument);
    mergeAll();
  }

  @Override
  public String fingerprint() {
    Digest d = new Digest();
    for (Map.Entry<String, Integer> e : new TreeMap<>(totals).entrySet()) {
      d.add(e.getKey().hashCode()).add(e.getValue());
    }
    return d.toString();
  }

  @Override
  public String check() {
    if (totals == null) {
      return "no totals: the merge did not run";
    }
    HashMap<String, Integer> expected = new HashMap<>();
    for (int d = 0; d < documents.length; d++) {
      if (partial[d] == null) {
        return "document " + d + " was not counted";
      }
      if (!partial[d].equals(count(documents[d]))) {
        return "document " + d + ": partial counts differ from a recount";
      }
      for (Map.Entry<String, Integer> e : partial[d].entrySet()) {
        expected.merge(e.getKey(), e.getValue(), Integer::sum);
      }
    }
    long words = 0;
    for (int c : totals.values()) {
      words += c;
    }
    if (words != (long) documents.length * WORDS_PER_DOCUMENT) {
      return words + " words counted instead of " + (long) documents.length * WORDS_PER_DOCUMENT;
    }
    return expected.equals(totals) ? null : "the totals differ from the sum of the partial counts";
  }

  @Override
  public String summary() {
    return "documents=" + documents.length + " distinct=" + (totals == null ? 0 : totals.size());
  }
}
