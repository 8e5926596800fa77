package org.ame4jexamples.corpus;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonReader;
import java.io.Reader;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.ame4j.TransactionQueue;

/**
 * Corpus program: a JSON batch job over Gson. Each document is a JSON array of orders (customer,
 * country, category, items with SKU, quantity and price in cents); the job parses every document
 * with {@link JsonParser} into Gson's tree, sums the document's orders locally, and folds those
 * sums into three shared {@code HashMap}s: revenue by category, orders by country, units by SKU.
 * One document is the loop body, so tasks are coarse (tens of microseconds of parsing into fresh
 * objects) and share only the three maps, written at the end of each task.
 *
 * <p>Gson is an ordinary third-party library here: the agent instruments it like the program.
 * The documents are read through {@link Chars}, not {@code JsonParser.parseString}: that one
 * reads through {@code java.io.StringReader}, which the java.base patch does not cover, so every
 * task would run inevitable.
 * {@code HashMap} inside a task is transactional only with the java.base patch
 * ({@link Corpus#needsJdkPatch}); without it every task runs inevitable, correct but serial.
 *
 * <p>The sums are integers, so every order of the tasks gives the same maps: the check compares
 * them with the totals recorded while the documents were generated (no JSON involved).
 */
public final class JsonBatch implements CorpusProgram {
  static final int ORDERS_PER_DOCUMENT = 20;
  private static final String[] CATEGORIES = {"books", "music", "garden", "toys", "food",
      "tools", "sports", "beauty", "office", "games", "baby", "auto"};
  private static final int COUNTRIES = 24;
  private static final int SKUS = 1_000;

  private final String[] documents;
  private final HashMap<String, Long> expectedRevenue = new HashMap<>();
  private final HashMap<String, Integer> expectedOrders = new HashMap<>();
  private final HashMap<String, Integer> expectedUnits = new HashMap<>();

  // The shared results the tasks fold into.
  private final HashMap<String, Long> revenueByCategory = new HashMap<>();
  private final HashMap<String, Integer> ordersByCountry = new HashMap<>();
  private final HashMap<String, Integer> unitsBySku = new HashMap<>();

  /** {@code size} documents of {@value #ORDERS_PER_DOCUMENT} orders each. */
  public JsonBatch(int size, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    documents = new String[size];
    StringBuilder json = new StringBuilder();
    for (int d = 0; d < size; d++) {
      json.setLength(0);
      json.append('[');
      for (int o = 0; o < ORDERS_PER_DOCUMENT; o++) {
        String category = CATEGORIES[random.nextInt(CATEGORIES.length)];
        String country = "C" + random.nextInt(COUNTRIES);
        json.append(o == 0 ? "" : ",").append("{\"id\":").append((long) d * 100 + o)
            .append(",\"customer\":{\"name\":\"customer ").append(random.nextInt(100_000))
            .append("\",\"country\":\"").append(country).append("\",\"vip\":")
            .append(random.nextInt(10) == 0).append("},\"category\":\"").append(category)
            .append("\",\"note\":\"").append(o % 3 == 0 ? "gift wrap, \\\"fragile\\\"" : "")
            .append("\",\"items\":[");
        int items = 1 + random.nextInt(4);
        long revenue = 0;
        for (int i = 0; i < items; i++) {
          String sku = "sku-" + random.nextInt(SKUS);
          int quantity = 1 + random.nextInt(5);
          int cents = 100 + random.nextInt(20_000);
          json.append(i == 0 ? "" : ",").append("{\"sku\":\"").append(sku)
              .append("\",\"quantity\":").append(quantity).append(",\"price\":")
              .append(cents / 100).append('.').append(cents % 100 < 10 ? "0" : "")
              .append(cents % 100).append('}');
          revenue += (long) quantity * cents;
          expectedUnits.merge(sku, quantity, Integer::sum);
        }
        json.append("]}");
        expectedRevenue.merge(category, revenue, Long::sum);
        expectedOrders.merge(country, 1, Integer::sum);
      }
      documents[d] = json.append(']').toString();
    }
  }

  /** The loop body: parses document {@code d} and folds its sums into the shared maps. */
  void process(int d) {
    JsonArray orders =
        JsonParser.parseReader(new JsonReader(new Chars(documents[d]))).getAsJsonArray();
    HashMap<String, Long> revenue = new HashMap<>();
    HashMap<String, Integer> countries = new HashMap<>();
    HashMap<String, Integer> units = new HashMap<>();
    for (JsonElement e : orders) {
      JsonObject order = e.getAsJsonObject();
      long sum = 0;
      for (JsonElement i : order.getAsJsonArray("items")) {
        JsonObject item = i.getAsJsonObject();
        int quantity = item.get("quantity").getAsInt();
        long cents = Math.round(item.get("price").getAsDouble() * 100);
        sum += quantity * cents;
        units.merge(item.get("sku").getAsString(), quantity, Integer::sum);
      }
      revenue.merge(order.get("category").getAsString(), sum, Long::sum);
      countries.merge(order.getAsJsonObject("customer").get("country").getAsString(), 1,
          Integer::sum);
    }
    fold(revenue, revenueByCategory, Long::sum);
    fold(countries, ordersByCountry, Integer::sum);
    fold(units, unitsBySku, Integer::sum);
  }

  private static <V> void fold(Map<String, V> local, Map<String, V> shared,
      java.util.function.BinaryOperator<V> plus) {
    for (Map.Entry<String, V> e : local.entrySet()) {
      shared.merge(e.getKey(), e.getValue(), plus);
    }
  }

  /**
   * A {@link Reader} over a string: what {@code StringReader} does, in program code (instrumented
   * by the agent) instead of an unpatched JDK class.
   */
  static final class Chars extends Reader {
    private final String text;
    private int next;

    Chars(String text) {
      this.text = text;
    }

    @Override
    public int read(char[] buffer, int offset, int length) {
      if (next >= text.length()) {
        return -1;
      }
      int n = Math.min(length, text.length() - next);
      for (int i = 0; i < n; i++) {
        buffer[offset + i] = text.charAt(next + i);
      }
      next += n;
      return n;
    }

    @Override
    public void close() {}
  }

  @Override
  public void runSequential() {
    for (int d = 0; d < documents.length; d++) {
      process(d);
    }
  }

  @Override
  public void runTasks(TransactionQueue q, int workers) {
    CorpusProgram.runLoop(q, workers, documents.length, 1, this::process);
  }

  @Override
  public void runRangeTasks(TransactionQueue q, int workers) {
    q.addRange(0, documents.length, this::process);
    q.run(workers);
  }

  @Override
  public void runChunkedTasks(TransactionQueue q, int workers, int chunk) {
    CorpusProgram.runLoop(q, workers, documents.length, chunk, this::process);
  }

  @Override
  public String fingerprint() {
    Digest d = new Digest();
    for (Map.Entry<String, Long> e : new TreeMap<>(revenueByCategory).entrySet()) {
      d.add(e.getKey().hashCode()).add(e.getValue());
    }
    for (Map.Entry<String, Integer> e : new TreeMap<>(ordersByCountry).entrySet()) {
      d.add(e.getKey().hashCode()).add(e.getValue());
    }
    for (Map.Entry<String, Integer> e : new TreeMap<>(unitsBySku).entrySet()) {
      d.add(e.getKey().hashCode()).add(e.getValue());
    }
    return d.toString();
  }

  @Override
  public String check() {
    if (!revenueByCategory.equals(expectedRevenue)) {
      return "revenue by category " + new TreeMap<>(revenueByCategory) + " instead of "
          + new TreeMap<>(expectedRevenue);
    }
    if (!ordersByCountry.equals(expectedOrders)) {
      return "orders by country " + new TreeMap<>(ordersByCountry) + " instead of "
          + new TreeMap<>(expectedOrders);
    }
    if (!unitsBySku.equals(expectedUnits)) {
      return "units by SKU differ from the generated orders (" + unitsBySku.size() + " SKUs, "
          + expectedUnits.size() + " expected)";
    }
    return null;
  }

  @Override
  public String summary() {
    return "documents=" + documents.length + " bytes=" + (documents.length == 0 ? 0
        : (long) documents[0].length() * documents.length);
  }
}
