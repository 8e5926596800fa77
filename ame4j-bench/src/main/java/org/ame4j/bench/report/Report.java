package org.ame4j.bench.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns JMH JSON results into the tables and plots of {@code docs/benchmarks.md}.
 *
 * <pre>
 * java -Djava.awt.headless=true -cp benchmarks.jar org.ame4j.bench.report.Report \
 *     --docs DIR [--small F.json] [--barrier F.json] [--bank F.json] [--bank-log F.log] \
 *     [--env F.properties]
 * </pre>
 *
 * <p>Only the regions between {@code <!-- generated:NAME:begin -->} and
 * {@code <!-- generated:NAME:end -->} markers are rewritten (NAME is {@code env}, {@code targets},
 * {@code small-tx}, {@code barrier}, {@code bank}); the prose around them is left alone. A region
 * whose input was not given keeps its old content, so benchmarks can be re-run one group at a
 * time. A missing marker is an error (nothing is written), never a silent skip.
 *
 * <p>Every figure is the median of all measured iterations of all forks, with the min–max range;
 * every ratio is between two medians of the same run.
 */
public final class Report {
  private static final String AME = "ame4j";

  /** Small-tx systems in table order: method suffix to display name. */
  private static final Map<String, String> SMALL_SYSTEMS = new LinkedHashMap<>();

  /** Bank systems in table order: method name to display name. */
  private static final Map<String, String> BANK_SYSTEMS = new LinkedHashMap<>();

  static {
    SMALL_SYSTEMS.put("ame4j", "ame4j (`Ame.atomic` + `IntRef`)");
    SMALL_SYSTEMS.put("scalaStm", "ScalaSTM " + version("scalastm"));
    SMALL_SYSTEMS.put("multiverse", "Multiverse " + version("multiverse"));
    SMALL_SYSTEMS.put("clojure", "Clojure refs " + version("clojure"));
    SMALL_SYSTEMS.put("synchronized", "`synchronized`, plain fields");
    SMALL_SYSTEMS.put("plain", "plain fields, no synchronisation");

    BANK_SYSTEMS.put("ame4j_queue", "ame4j `TransactionQueue`");
    BANK_SYSTEMS.put("ame4j_atomic", "ame4j `Ame.atomic`, own threads");
    BANK_SYSTEMS.put("scalaStm", "ScalaSTM");
    BANK_SYSTEMS.put("multiverse", "Multiverse");
    BANK_SYSTEMS.put("clojure", "Clojure refs");
    BANK_SYSTEMS.put("globalLock", "one global lock");
    BANK_SYSTEMS.put("atomicLongArray", "`AtomicLongArray` (not atomic per transfer)");
    BANK_SYSTEMS.put("sequential", "sequential, plain `long[]`");
  }

  private final Path docs;
  private final Map<String, String> regions = new LinkedHashMap<>();
  private final Properties env = new Properties();
  private List<JmhResult> small = List.of();
  private List<JmhResult> barrier = List.of();
  private List<JmhResult> bank = List.of();
  private final Map<String, String> ameStats = new LinkedHashMap<>();

  private Report(Path docs) {
    this.docs = docs;
  }

  public static void main(String[] args) throws IOException {
    Map<String, String> opts = new TreeMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("usage: --docs DIR [--small|--barrier|--bank F.json]"
            + " [--bank-log F] [--env F.properties]; bad argument " + args[i]);
      }
      opts.put(args[i].substring(2), args[++i]);
    }
    if (!opts.containsKey("docs")) {
      throw new IllegalArgumentException("--docs DIR is required");
    }
    Report r = new Report(Paths.get(opts.get("docs")));
    if (opts.containsKey("env")) {
      try (InputStream in = Files.newInputStream(Paths.get(opts.get("env")))) {
        r.env.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
      }
    }
    r.small = JmhResult.read(path(opts.get("small")));
    r.barrier = JmhResult.read(path(opts.get("barrier")));
    r.bank = JmhResult.read(path(opts.get("bank")));
    if (opts.containsKey("bank-log")) {
      r.readAmeStats(Paths.get(opts.get("bank-log")));
    }
    r.generate();
  }

  private static Path path(String s) {
    return s == null ? null : Paths.get(s);
  }

  private void generate() throws IOException {
    Path md = docs.resolve("benchmarks.md");
    if (!Files.isRegularFile(md)) {
      throw new IllegalStateException(md + " does not exist: the report only fills its regions");
    }
    if (!small.isEmpty() || !barrier.isEmpty() || !bank.isEmpty()) {
      regions.put("env", envSection());
    }
    if (!small.isEmpty()) {
      regions.put("small-tx", smallSection());
    }
    if (!barrier.isEmpty()) {
      regions.put("barrier", barrierSection());
    }
    if (!bank.isEmpty()) {
      regions.put("bank", bankSection());
    }
    if (!small.isEmpty() || !bank.isEmpty()) {
      regions.put("targets", targetsSection());
    }
    String text = Files.readString(md);
    for (Map.Entry<String, String> e : regions.entrySet()) {
      text = replaceRegion(text, e.getKey(), e.getValue());
    }
    Files.writeString(md, text);
    System.out.println("report: updated " + md + " regions " + regions.keySet());
  }

  public static String replaceRegion(String text, String name, String body) {
    String begin = "<!-- generated:" + name + ":begin -->";
    String end = "<!-- generated:" + name + ":end -->";
    int b = text.indexOf(begin);
    int e = text.indexOf(end);
    if (b < 0 || e < b) {
      throw new IllegalStateException("benchmarks.md has no region " + begin + " … " + end);
    }
    return text.substring(0, b + begin.length()) + "\n" + body.strip() + "\n" + text.substring(e);
  }

  // ------------------------------------------------------------------ environment

  private String envSection() {
    JmhResult any = !small.isEmpty() ? small.get(0) : !bank.isEmpty() ? bank.get(0) : barrier.get(0);
    StringBuilder b = new StringBuilder();
    b.append("| | |\n|---|---|\n");
    row(b, "CPU", env.getProperty("cpu", cpuModel()));
    row(b, "Cores available to the JVM", String.valueOf(Runtime.getRuntime().availableProcessors()));
    row(b, "Memory", env.getProperty("memory", "?"));
    row(b, "OS", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    row(b, "JDK", any.jdk() + " (" + any.vm() + ")");
    row(b, "JMH", version("jmh"));
    row(b, "Peers", "ScalaSTM " + version("scalastm")
        + " (Java API `japi.STM`), Multiverse "
        + version("multiverse") + ", Clojure "
        + version("clojure"));
    row(b, "Run", env.getProperty("date", "?") + ", mode `" + env.getProperty("mode", "?") + "`");
    row(b, "Command", "`" + env.getProperty("command", "ame4j-bench/run-benchmarks.sh") + "`");
    row(b, "Load average before / after", env.getProperty("load.before", "?") + " / "
        + env.getProperty("load.after", "?"));
    if (env.getProperty("load.groups") != null) {
      row(b, "Load average (1, 5, 15 min) per group, start → end", env.getProperty("load.groups"));
    }
    if (env.getProperty("note") != null) {
      row(b, "Note", env.getProperty("note"));
    }
    return b.toString();
  }

  private String machineLine() {
    return env.getProperty("cpu", cpuModel()) + ", " + Runtime.getRuntime().availableProcessors()
        + " cores, JDK " + System.getProperty("java.version") + ", "
        + env.getProperty("date", "") + ", mode " + env.getProperty("mode", "?");
  }

  private static void row(StringBuilder b, String k, String v) {
    b.append("| ").append(k).append(" | ").append(v).append(" |\n");
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Paths.get("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | UncheckedIOException e) {
      // not Linux: fall through
    }
    return System.getProperty("os.arch");
  }

  /** Loaded on first use (a holder, so static initialisation order cannot bite). */
  private static final class Versions {
    static final Properties PROPS = new Properties();

    static {
      try (InputStream in =
          Report.class.getResourceAsStream("/org/ame4j/bench/versions.properties")) {
        if (in != null) {
          PROPS.load(in);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** A version recorded at build time in {@code versions.properties} (key: jmh, scalastm…). */
  static String version(String key) {
    return Versions.PROPS.getProperty(key, "?");
  }

  // ------------------------------------------------------------------ small transactions

  private JmhResult find(List<JmhResult> rs, String method, String... params) {
    for (JmhResult r : rs) {
      if (!r.method().equals(method)) {
        continue;
      }
      boolean ok = true;
      for (int i = 0; i + 1 < params.length; i += 2) {
        ok &= params[i + 1].equals(r.param(params[i]));
      }
      if (ok) {
        return r;
      }
    }
    return null;
  }

  private String smallSection() throws IOException {
    StringBuilder b = new StringBuilder();
    JmhResult rwAme = find(small, "rw_" + AME);
    JmhResult roAme = find(small, "ro_" + AME);
    b.append("Single thread, no contention; ns per transaction: median of ")
        .append(samplesText(small))
        .append(" (min–max in brackets); ×ame4j = system median / ame4j median, same run")
        .append(" (> 1: ame4j is cheaper).\n\n");
    b.append("| System | 2 reads + 2 writes, ns | ×ame4j | 2 reads, read-only, ns | ×ame4j |\n");
    b.append("|---|---:|---:|---:|---:|\n");
    BarChart chart = new BarChart(
        "Small transaction, single thread (median ns per transaction, lower is better)",
        "ns per transaction", true, List.of("2 reads + 2 writes", "2 reads (read-only)"));
    for (Map.Entry<String, String> sys : SMALL_SYSTEMS.entrySet()) {
      JmhResult rw = find(small, "rw_" + sys.getKey());
      JmhResult ro = find(small, "ro_" + sys.getKey());
      if (rw == null && ro == null) {
        continue;
      }
      boolean isAme = sys.getKey().equals(AME);
      b.append("| ").append(isAme ? "**" + sys.getValue() + "**" : sys.getValue())
          .append(" | ").append(cell(rw)).append(" | ").append(ratio(rw, rwAme))
          .append(" | ").append(cell(ro)).append(" | ").append(ratio(ro, roAme)).append(" |\n");
      chart.add(stripMarkdown(sys.getValue()), median(rw), median(ro));
    }
    chart.note("Median of all measured iterations. " + machineLine());
    chart.write(docs.resolve("img/small-tx.png"));
    b.append("\n![Small transaction cost](img/small-tx.png)\n");
    return b.toString();
  }

  private static String samplesText(List<JmhResult> rs) {
    JmhResult r = rs.get(0);
    int n = r.samples().length;
    String forks = r.forks() == 0 ? "no fork: smoke run" : r.forks() + (r.forks() == 1 ? " fork" : " forks");
    return n + " measured iteration" + (n == 1 ? "" : "s") + " (" + forks + ")";
  }

  private static double median(JmhResult r) {
    return r == null ? Double.NaN : r.median();
  }

  private static String cell(JmhResult r) {
    if (r == null) {
      return "–";
    }
    return num(r.median()) + " (" + num(r.min()) + "–" + num(r.max()) + ")";
  }

  private static String ratio(JmhResult r, JmhResult base) {
    if (r == null || base == null) {
      return "–";
    }
    return String.format(Locale.ROOT, "%.2f×", r.median() / base.median());
  }

  static String num(double v) {
    return Double.isNaN(v) ? "–" : BarChart.format(v);
  }

  private static String stripMarkdown(String s) {
    return s.replace("`", "").replace("*", "");
  }

  // ------------------------------------------------------------------ barriers

  /**
   * Methods are named {@code KIND_VARIANT} (e.g. {@code read_barrier}, {@code read_plain}); the
   * overhead column subtracts the {@code KIND_plain} median of the same run.
   */
  private String barrierSection() throws IOException {
    StringBuilder b = new StringBuilder();
    b.append("ns per access (the benchmarks do many accesses per invocation and JMH divides);")
        .append(" median of ").append(samplesText(barrier))
        .append(" (min–max); overhead = median − median of the plain access of the same kind.\n\n");
    b.append("| Benchmark | ns per access | overhead vs plain, ns |\n|---|---:|---:|\n");
    BarChart chart = new BarChart("Barrier cost per access (median ns, lower is better)",
        "ns per access", false, List.of("ns per access"));
    for (JmhResult r : barrier) {
      String m = r.method();
      int us = m.indexOf('_');
      String kind = us < 0 ? m : m.substring(0, us);
      JmhResult plain = find(barrier, kind + "_plain");
      String overhead = plain == null || plain == r ? "–" : num(r.median() - plain.median());
      String label = m + paramsText(r);
      b.append("| `").append(label).append("` | ").append(cell(r)).append(" | ")
          .append(overhead).append(" |\n");
      if (!kind.equals("tx")) {
        chart.add(label, r.median()); // per access; the per-transaction figure is in the table
      }
    }
    JmhResult empty = find(barrier, "tx_empty");
    if (empty != null) {
      b.append("\nAn empty transaction (`tx_empty`) costs ").append(num(empty.median()))
          .append(" ns, so ").append(num(empty.median() / 100))
          .append(" ns of each per-access figure above is the amortised begin + commit.\n");
    }
    chart.highlight("barrier");
    chart.write(docs.resolve("img/barrier.png"));
    b.append("\n![Barrier cost](img/barrier.png)\n");
    return b.toString();
  }

  private static String paramsText(JmhResult r) {
    if (r.params().isEmpty()) {
      return "";
    }
    StringBuilder s = new StringBuilder("(");
    r.params().forEach((k, v) -> s.append(s.length() > 1 ? ", " : "").append(k).append('=').append(v));
    return s.append(')').toString();
  }

  // ------------------------------------------------------------------ bank

  private double transfers() {
    for (JmhResult r : bank) {
      if (r.param("transfers") != null) {
        return Double.parseDouble(r.param("transfers"));
      }
    }
    return Double.NaN;
  }

  /** Million transfers per second from a time in ms per run. */
  private double mtps(double ms) {
    return transfers() / (ms / 1000.0) / 1e6;
  }

  private String throughputCell(JmhResult r) {
    if (r == null) {
      return "–";
    }
    // slowest run gives the lowest throughput
    return num(mtps(r.median())) + " (" + num(mtps(r.max())) + "–" + num(mtps(r.min())) + ")";
  }

  private String bankSection() throws IOException {
    JmhResult any = bank.get(0);
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT,
        "%s accounts, %s random transfers per run (seed %s), each transfer one transaction;"
            + " million transfers per second from the median run time (range over runs in"
            + " brackets; measured runs = forks × iterations, for 1 / 2 threads); total audited"
            + " after every run.%n%n",
        group(any.param("accounts")), group(any.param("transfers")), any.param("seed")));
    JmhResult ame2 = find(bank, "ame4j_queue", "workers", "2");
    b.append("| System | 1 thread, M transfers/s | 2 threads, M transfers/s | 2 vs 1 |"
        + " ame4j queue (2 workers) ÷ system (2 threads) | measured runs |\n"
        + "|---|---:|---:|---:|---:|---:|\n");
    BarChart chart = new BarChart(
        "Bank, " + group(any.param("accounts")) + " accounts (median M transfers/s, higher is better)",
        "million transfers per second", true, List.of("1 thread / worker", "2 threads / workers"));
    for (Map.Entry<String, String> sys : BANK_SYSTEMS.entrySet()) {
      JmhResult one = find(bank, sys.getKey(), "workers", "1");
      JmhResult two = find(bank, sys.getKey(), "workers", "2");
      if (one == null && two == null) {
        one = find(bank, sys.getKey()); // sequential: no workers parameter
        if (one == null || one.param("workers") != null) {
          continue;
        }
      }
      boolean isAme = sys.getKey().equals("ame4j_queue");
      String scale = one != null && two != null
          ? String.format(Locale.ROOT, "%.2f×", one.median() / two.median()) : "–";
      String vsAme = two != null && ame2 != null
          ? String.format(Locale.ROOT, "%.2f×", two.median() / ame2.median()) : "–";
      if (isAme) {
        scale = "**" + scale + "**";
      }
      b.append("| ").append(isAme ? "**" + sys.getValue() + "**" : sys.getValue())
          .append(" | ").append(throughputCell(one)).append(" | ").append(throughputCell(two))
          .append(" | ").append(scale).append(" | ").append(vsAme)
          .append(" | ").append(runs(one)).append(two == null ? "" : " / " + runs(two))
          .append(" |\n");
      chart.add(stripMarkdown(sys.getValue()).replace(" (not atomic per transfer)", "*"),
          one == null ? Double.NaN : mtps(one.median()),
          two == null ? Double.NaN : mtps(two.median()));
    }
    if (!ameStats.isEmpty()) {
      b.append("\name4j statistics per run (from `Ame.stats()`, warm-up runs included):\n\n");
      ameStats.forEach((k, v) -> b.append("* `").append(k).append("`: ").append(v).append('\n'));
    }
    chart.note("* AtomicLongArray: two independent atomic adds per transfer, a hand-tuned bound,"
        + " not a transaction.");
    chart.note("Median run of " + group(any.param("transfers")) + " transfers. " + machineLine());
    chart.write(docs.resolve("img/bank.png"));
    b.append("\n![Bank throughput](img/bank.png)\n");
    return b.toString();
  }

  /** "2×10": forks × measured iterations (JMH runs the same count in every fork). */
  private static String runs(JmhResult r) {
    if (r == null) {
      return "–";
    }
    int forks = Math.max(1, r.forks());
    return forks + "×" + r.samples().length / forks;
  }

  private static String group(String n) {
    if (n == null) {
      return "?";
    }
    try {
      return String.format(Locale.ROOT, "%,d", Long.parseLong(n)).replace(',', ' ');
    } catch (NumberFormatException e) {
      return n;
    }
  }

  private static final Pattern BENCH = Pattern.compile("^# Benchmark: .*\\.(\\w+)$");
  private static final Pattern PARAMS = Pattern.compile("^# Parameters: \\((.*)\\)$");
  private static final Pattern STATS = Pattern.compile("^# ame4j-stats (.*)$");

  /** Collects the {@code # ame4j-stats} lines BankBench prints, keyed by benchmark and params. */
  private void readAmeStats(Path log) throws IOException {
    if (!Files.isRegularFile(log)) {
      return;
    }
    String bench = "?";
    String params = "";
    for (String line : Files.readAllLines(log)) {
      Matcher m;
      if ((m = BENCH.matcher(line)).matches()) {
        bench = m.group(1);
        params = "";
      } else if ((m = PARAMS.matcher(line)).matches()) {
        params = m.group(1);
      } else if ((m = STATS.matcher(line)).matches()) {
        Matcher w = Pattern.compile("workers = (\\d+)").matcher(params);
        // One line per fork: keep them all.
        ameStats.merge(bench + (w.find() ? ", workers=" + w.group(1) : ""), m.group(1),
            (a, c) -> a + "; " + c);
      }
    }
  }

  // ------------------------------------------------------------------ targets

  private String targetsSection() {
    List<String[]> rows = new ArrayList<>();
    JmhResult rw = find(small, "rw_" + AME);
    if (rw != null) {
      rows.add(new String[] {"Small transaction (2 reads + 2 writes) under 60 ns",
          num(rw.median()) + " ns (median; max " + num(rw.max()) + ")",
          verdict(rw.median() < 60, rw.max() < 60)});
      for (String peer : List.of("scalaStm", "multiverse")) {
        JmhResult p = find(small, "rw_" + peer);
        if (p == null) {
          continue;
        }
        rows.add(new String[] {"Small transaction cheaper than " + SMALL_SYSTEMS.get(peer),
            num(rw.median()) + " vs " + num(p.median()) + " ns ("
                + String.format(Locale.ROOT, "%.2f×", p.median() / rw.median()) + ")",
            verdict(rw.median() < p.median(), rw.max() < p.min())});
      }
    }
    JmhResult one = find(bank, "ame4j_queue", "workers", "1");
    JmhResult two = find(bank, "ame4j_queue", "workers", "2");
    if (one != null && two != null) {
      double ratio = one.median() / two.median();
      double worst = one.min() / two.max();
      rows.add(new String[] {"Bank, " + group(one.param("accounts")) + " accounts: 2 workers ≥ 1.7× 1 worker",
          String.format(Locale.ROOT, "%.2f× (medians; worst pairing %.2f×)", ratio, worst),
          verdict(ratio >= 1.7, worst >= 1.7)});
    }
    StringBuilder b = new StringBuilder();
    if ("quick".equals(env.getProperty("mode"))) {
      b.append("**Smoke run (`--quick`): these numbers mean nothing; run the full mode.**\n\n");
    }
    b.append("| Target (issue 2) | Measured | Met? |\n|---|---|---|\n");
    for (String[] r : rows) {
      b.append("| ").append(r[0]).append(" | ").append(r[1]).append(" | ").append(r[2])
          .append(" |\n");
    }
    return b.toString();
  }

  /** "yes" only if the medians say so; "(robust)" if even the worst iteration pairing agrees. */
  private static String verdict(boolean medians, boolean robust) {
    if (!medians) {
      return "**no**";
    }
    return robust ? "yes (every iteration)" : "yes (medians; some iterations disagree)";
  }
}
