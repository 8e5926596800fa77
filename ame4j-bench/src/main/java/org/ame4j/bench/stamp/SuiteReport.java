package org.ame4j.bench.stamp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.ame4j.bench.report.BarChart;
import org.ame4j.bench.report.LineChart;
import org.ame4j.bench.report.Report;

/**
 * The suite's output, all from one run: the CSV of every measured run, the markdown tables
 * (summary against the targets, and per workload: time, throughput, speedup over
 * sequential, abort rate, ratio to the best peer STM), and two PNGs (throughput against threads
 * per workload; single-thread time relative to sequential). With {@code --docs}, the same
 * tables replace the {@code generated:stamp-*} regions of {@code docs/benchmarks.md} and the
 * PNGs go to {@code docs/img/}.
 *
 * <p>Every figure is a median over the measured runs of one (workload, variant, threads) cell;
 * a cell with any failed run shows {@code FAIL}, never a number.
 */
final class SuiteReport {
  /** Series order of the plots and tables: ame4j first. */
  static final List<Variant> ORDER = List.of(Variant.AME_AUTO, Variant.AME_EXPLICIT,
      Variant.SCALASTM, Variant.MULTIVERSE, Variant.CLOJURE, Variant.LOCK, Variant.JUC,
      Variant.SEQUENTIAL);

  private final List<Result> results;
  private final List<Workload> workloads;
  private final Suite.Options o;
  private final String loadBefore;
  private final String loadAfter;
  private final double minutes;

  SuiteReport(List<Result> results, List<Workload> workloads, Suite.Options o, String loadBefore,
      String loadAfter, double minutes) {
    this.results = results;
    this.workloads = workloads;
    this.o = o;
    this.loadBefore = loadBefore;
    this.loadAfter = loadAfter;
    this.minutes = minutes;
  }

  /** A version recorded at build time in {@code versions.properties} (key: scalastm, …). */
  static String version(String key) {
    java.util.Properties p = new java.util.Properties();
    try (var in = SuiteReport.class.getResourceAsStream("/org/ame4j/bench/versions.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      return "?";
    }
    return p.getProperty(key, "?");
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  // ------------------------------------------------------------------ aggregation

  private List<Result> cell(String w, Variant v, int t) {
    return results.stream()
        .filter(r -> r.workload().equals(w) && r.variant() == v && r.threads() == t).toList();
  }

  /** Median seconds of the cell; NaN if not run, or if any of its runs failed. */
  double seconds(String w, Variant v, int t) {
    List<Result> c = cell(w, v, t);
    if (c.isEmpty() || c.stream().anyMatch(r -> !r.ok())) {
      return Double.NaN;
    }
    double[] s = c.stream().mapToDouble(r -> r.nanos() / 1e9).sorted().toArray();
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  boolean failed(String w, Variant v, int t) {
    return cell(w, v, t).stream().anyMatch(r -> !r.ok());
  }

  double throughput(String w, Variant v, int t) {
    List<Result> c = cell(w, v, t);
    double s = seconds(w, v, t);
    return c.isEmpty() || Double.isNaN(s) ? Double.NaN : c.get(0).ops() / s / 1e6;
  }

  double abortRate(String w, Variant v, int t) {
    double[] a = cell(w, v, t).stream().filter(Result::ok).mapToDouble(Result::abortRate)
        .filter(x -> !Double.isNaN(x)).sorted().toArray();
    return a.length == 0 ? Double.NaN : a[a.length / 2];
  }

  long inevitable(String w, Variant v, int t) {
    return cell(w, v, t).stream().mapToLong(Result::inevitable).max().orElse(-1);
  }

  /** The peer STM with the highest throughput at {@code t} threads, or null. */
  Variant bestPeer(String w, int t) {
    Variant best = null;
    double bt = 0;
    for (Variant v : List.of(Variant.SCALASTM, Variant.MULTIVERSE, Variant.CLOJURE)) {
      double x = throughput(w, v, t);
      if (!Double.isNaN(x) && x > bt) {
        bt = x;
        best = v;
      }
    }
    return best;
  }

  // ------------------------------------------------------------------ output

  void write() throws IOException {
    Files.createDirectories(o.out);
    StringBuilder csv = new StringBuilder(Result.csvHeader());
    results.forEach(r -> csv.append(r.csv()));
    Path csvFile = o.out.resolve("stamp.csv");
    Files.writeString(csvFile, csv, StandardCharsets.UTF_8);
    String env = envTable();
    String summary = summaryTable();
    String detail = detailTables();
    Path md = o.out.resolve("stamp.md");
    Files.writeString(md, env + "\n" + summary + "\n" + detail, StandardCharsets.UTF_8);
    Path img = o.out;
    String prefix = "stamp";
    if (o.docs != null) {
      img = o.docs.toAbsolutePath().getParent().resolve("img");
    }
    throughputChart().write(img.resolve(prefix + "-throughput.png"));
    overheadChart().write(img.resolve(prefix + "-overhead.png"));
    System.out.println("stamp: wrote " + csvFile + ", " + md + " and " + img.resolve(prefix + "-*.png"));
    if (o.docs != null) {
      String text = Files.readString(o.docs, StandardCharsets.UTF_8);
      text = Report.replaceRegion(text, "stamp-env", env);
      text = Report.replaceRegion(text, "stamp-summary",
          summary + "\n![Throughput against threads](img/stamp-throughput.png)\n\n"
              + "![Single-thread time relative to sequential](img/stamp-overhead.png)\n");
      text = Report.replaceRegion(text, "stamp-detail", detail);
      Files.writeString(o.docs, text, StandardCharsets.UTF_8);
      System.out.println("stamp: updated " + o.docs + " (regions stamp-env, stamp-summary, stamp-detail)");
    }
  }

  private String machine() {
    String cpu = "?";
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          cpu = line.substring(line.indexOf(':') + 1).trim();
          break;
        }
      }
    } catch (IOException | RuntimeException e) {
      cpu = System.getProperty("os.arch");
    }
    return cpu + ", " + Runtime.getRuntime().availableProcessors() + " cores";
  }

  String envTable() {
    StringBuilder b = new StringBuilder("| | |\n|---|---|\n");
    b.append("| Machine | ").append(machine()).append(", ").append(System.getProperty("os.name"))
        .append(' ').append(System.getProperty("os.version")).append(" |\n");
    b.append("| JDK | ").append(System.getProperty("java.version")).append(" (")
        .append(System.getProperty("java.vm.name")).append("); child JVMs ")
        .append(String.join(" ", o.jvmOptions)).append(" |\n");
    b.append("| Peers | ScalaSTM ").append(version("scalastm")).append(", Multiverse ")
        .append(version("multiverse")).append(", Clojure ")
        .append(version("clojure")).append(" |\n");
    b.append("| Run | ").append(ZonedDateTime.now(ZoneOffset.UTC)
            .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")))
        .append(", ").append(o.size.name().toLowerCase(Locale.ROOT)).append(" size, ")
        .append(o.warmup).append(" warm-up + ").append(o.reps)
        .append(" measured runs per cell")
        .append(o.size == Workload.Size.FULL ? " (Clojure: at most 1 + 3)" : "")
        .append(", one JVM per ")
        .append(o.fork.equals("run") ? "(workload, variant)" : o.fork.equals("variant") ? "variant" : "suite")
        .append(String.format(Locale.ROOT, ", %.1f min", minutes)).append(" |\n");
    b.append("| Command | `").append(o.command).append("` |\n");
    b.append("| Load average (1, 5, 15 min) before / after | ").append(loadBefore).append(" / ")
        .append(loadAfter).append(" |\n");
    return b.toString();
  }

  private static String num(double v) {
    if (Double.isNaN(v)) {
      return "–";
    }
    double a = Math.abs(v);
    return a >= 100 ? String.format(Locale.ROOT, "%.0f", v)
        : a >= 10 ? String.format(Locale.ROOT, "%.1f", v)
        : a >= 1 ? String.format(Locale.ROOT, "%.2f", v)
        : String.format(Locale.ROOT, "%.3f", v);
  }

  private static String ratio(double v) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.2f×", v);
  }

  private String timeCell(String w, Variant v, int t) {
    if (failed(w, v, t)) {
      return "**FAIL**";
    }
    return num(seconds(w, v, t) * 1e3);
  }

  /** Mark a ratio that misses a target: bold if met, plain otherwise; "–" if not measured. */
  private static String target(double v, double goal, boolean higherIsBetter) {
    if (Double.isNaN(v)) {
      return "–";
    }
    boolean met = higherIsBetter ? v >= goal : v <= goal;
    return met ? "**" + ratio(v) + "**" : ratio(v);
  }

  private int t1() {
    return o.threads[0];
  }

  private int t2() {
    return o.threads.length > 1 ? o.threads[1] : o.threads[0];
  }

  String summaryTable() {
    int a = t1();
    int b = t2();
    StringBuilder s = new StringBuilder();
    s.append("Summary against the issue's targets (bold: target met). *overhead* = time ÷ "
        + "sequential time, " + a + " thread (target ≤ 1.5× explicit, ≤ 2× automatic); *scaling* = "
        + "throughput on " + b + " threads ÷ on " + a + " (target ≥ 1.7× on low-contention "
        + "workloads, marked L); *÷ best peer* = ame4j throughput ÷ the best peer STM's at the "
        + "same thread count (target ≥ 1.5×). Medians; times in ms.\n\n");
    s.append("| workload | seq ms | overhead explicit | overhead auto | scaling explicit "
        + "| scaling auto | best peer " + a + " / " + b + " t | explicit ÷ best peer " + a + " / " + b
        + " t | auto ÷ best peer " + a + " / " + b + " t |\n");
    s.append("|---|--:|--:|--:|--:|--:|---|--:|--:|\n");
    for (Workload w : workloads) {
      String n = w.name();
      double seq = seconds(n, Variant.SEQUENTIAL, 1);
      double ex1 = seconds(n, Variant.AME_EXPLICIT, a);
      double au1 = seconds(n, Variant.AME_AUTO, a);
      Variant p1 = bestPeer(n, a);
      Variant p2 = bestPeer(n, b);
      double scaleGoal = w.lowContention() ? 1.7 : Double.NaN;
      s.append("| ").append(n).append(w.lowContention() ? " (L)" : "").append(" | ")
          .append(timeCell(n, Variant.SEQUENTIAL, 1)).append(" | ")
          .append(target(ex1 / seq, 1.5, false)).append(" | ")
          .append(target(au1 / seq, 2.0, false)).append(" | ")
          .append(scaling(n, Variant.AME_EXPLICIT, a, b, scaleGoal)).append(" | ")
          .append(scaling(n, Variant.AME_AUTO, a, b, scaleGoal)).append(" | ")
          .append(p1 == null ? "–" : p1.id).append(" / ").append(p2 == null ? "–" : p2.id)
          .append(" | ")
          .append(vsPeer(n, Variant.AME_EXPLICIT, a, p1)).append(" / ")
          .append(vsPeer(n, Variant.AME_EXPLICIT, b, p2)).append(" | ")
          .append(vsPeer(n, Variant.AME_AUTO, a, p1)).append(" / ")
          .append(vsPeer(n, Variant.AME_AUTO, b, p2)).append(" |\n");
    }
    return s.toString();
  }

  private String scaling(String n, Variant v, int a, int b, double goal) {
    double r = throughput(n, v, b) / throughput(n, v, a);
    return Double.isNaN(goal) ? ratio(r) : target(r, goal, true);
  }

  private String vsPeer(String n, Variant v, int t, Variant peer) {
    if (peer == null) {
      return "–";
    }
    return target(throughput(n, v, t) / throughput(n, peer, t), 1.5, true);
  }

  String detailTables() {
    StringBuilder s = new StringBuilder();
    s.append("Per workload: median time (ms) and throughput (million transactions per second) "
        + "per thread count; *×seq* = sequential time ÷ this time (speedup, > 1 is faster than "
        + "the plain program); *aborts* = aborted attempts ÷ all attempts (ame4j: `Ame.stats()`; "
        + "peers: bodies started inside the atomic block); *÷ best peer* = throughput ÷ the best "
        + "peer STM's at that thread count; *inev.* = inevitable transactions (ame4j).\n\n");
    for (Workload w : workloads) {
      String n = w.name();
      s.append("<details><summary><b>").append(n).append("</b>: ").append(w.description())
          .append("</summary>\n\n");
      StringBuilder head = new StringBuilder("| variant |");
      StringBuilder rule = new StringBuilder("|---|");
      for (int t : o.threads) {
        head.append(" ").append(t).append(" t: ms | Mops/s | ×seq | aborts | ÷ best peer |");
        rule.append("--:|--:|--:|--:|--:|");
      }
      head.append(" inev. |");
      rule.append("--:|");
      s.append(head).append('\n').append(rule).append('\n');
      double seq = seconds(n, Variant.SEQUENTIAL, 1);
      for (Variant v : ORDER) {
        if (!w.variants().contains(v) || !o.variants.contains(v)) {
          continue;
        }
        s.append("| ").append(v.ame() ? "**" + v.label + "**" : v.label).append(" |");
        long inev = -1;
        for (int t : o.threads) {
          if (v == Variant.SEQUENTIAL && t != 1) {
            s.append(" | | | | |");
            continue;
          }
          Variant peer = bestPeer(n, t);
          s.append(' ').append(timeCell(n, v, t)).append(" | ")
              .append(num(throughput(n, v, t))).append(" | ")
              .append(ratio(seq / seconds(n, v, t))).append(" | ")
              .append(percent(abortRate(n, v, t))).append(" | ")
              .append(peer == null ? "–" : ratio(throughput(n, v, t) / throughput(n, peer, t)))
              .append(" |");
          inev = Math.max(inev, inevitable(n, v, t));
        }
        s.append(' ').append(inev < 0 ? "–" : String.valueOf(inev)).append(" |\n");
      }
      s.append("\n</details>\n\n");
    }
    return s.toString();
  }

  private static String percent(double v) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
  }

  LineChart throughputChart() {
    List<Variant> vs = ORDER.stream().filter(o.variants::contains).toList();
    LineChart c = new LineChart("Throughput against threads (million transactions/s, log scale;"
        + " higher is better)", "M tx/s", vs.stream().map(v -> v.shortLabel).toList(), o.threads);
    for (Workload w : workloads) {
      double[][] v = new double[vs.size()][o.threads.length];
      for (int s = 0; s < vs.size(); s++) {
        for (int k = 0; k < o.threads.length; k++) {
          v[s][k] = w.variants().contains(vs.get(s)) ? throughput(w.name(), vs.get(s), o.threads[k])
              : Double.NaN;
        }
      }
      c.panel(w.name(), v);
    }
    c.note(machine() + ", JDK " + System.getProperty("java.version") + ", " + o.size.name()
        .toLowerCase(Locale.ROOT) + " size, medians of " + o.reps + " runs; load " + loadBefore
        + " / " + loadAfter);
    return c;
  }

  BarChart overheadChart() {
    int a = t1();
    BarChart c = new BarChart("Time on " + a + " thread relative to plain sequential Java (lower is"
        + " better; 1 = sequential)", "× sequential time", true,
        List.of("ame4j automatic", "ame4j explicit", "best peer STM", "one global lock"));
    c.highlight(null);
    for (Workload w : workloads) {
      String n = w.name();
      double seq = seconds(n, Variant.SEQUENTIAL, 1);
      Variant p = bestPeer(n, a);
      c.add(n, seconds(n, Variant.AME_AUTO, a) / seq, seconds(n, Variant.AME_EXPLICIT, a) / seq,
          p == null ? Double.NaN : seconds(n, p, a) / seq, seconds(n, Variant.LOCK, a) / seq);
    }
    c.note(machine() + ", JDK " + System.getProperty("java.version") + ", medians; "
        + Arrays.toString(o.threads) + " threads measured");
    return c;
  }

  List<String> failures() {
    List<String> f = new ArrayList<>();
    results.stream().filter(r -> !r.ok()).forEach(r -> f.add(r.line()));
    return f;
  }
}
