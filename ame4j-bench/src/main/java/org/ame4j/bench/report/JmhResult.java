package org.ame4j.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One row of a JMH JSON result file: a benchmark method with one set of parameter values.
 *
 * <p>The report prefers the <em>median</em> of every measured iteration over JMH's mean: on a
 * shared 2-core machine a neighbour's burst shows up as a few slow iterations, which move the mean
 * and the confidence interval a lot and the median little. Min and max are kept so the tables
 * can show the spread honestly.
 *
 * @param benchmarkClass simple class name, e.g. {@code SmallTxBench}
 * @param method benchmark method name, e.g. {@code rw_ame4j}
 * @param params JMH parameters (sorted by name; empty if none)
 * @param unit JMH score unit, e.g. {@code ns/op}
 * @param mean JMH's score (mean over iterations)
 * @param error JMH's 99.9% half-interval, NaN when not computable
 * @param samples every measured iteration of every fork
 */
record JmhResult(
    String benchmarkClass,
    String method,
    Map<String, String> params,
    String unit,
    double mean,
    double error,
    double[] samples,
    int forks,
    String jdk,
    String vm,
    List<String> jvmArgs) {

  double median() {
    double[] s = samples.clone();
    Arrays.sort(s);
    int n = s.length;
    if (n == 0) {
      return Double.NaN;
    }
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  double min() {
    return Arrays.stream(samples).min().orElse(Double.NaN);
  }

  double max() {
    return Arrays.stream(samples).max().orElse(Double.NaN);
  }

  String param(String name) {
    return params.get(name);
  }

  /** Reads a {@code -rf json} file; a missing file gives an empty list. */
  @SuppressWarnings("unchecked")
  static List<JmhResult> read(Path file) throws IOException {
    if (file == null || !Files.isRegularFile(file)) {
      return Collections.emptyList();
    }
    List<Object> rows = (List<Object>) Json.parse(Files.readString(file));
    List<JmhResult> out = new ArrayList<>();
    for (Object o : rows) {
      Map<String, Object> row = (Map<String, Object>) o;
      String full = (String) row.get("benchmark");
      int dot = full.lastIndexOf('.');
      String cls = full.substring(full.lastIndexOf('.', dot - 1) + 1, dot);
      String method = full.substring(dot + 1);
      Map<String, String> params = new TreeMap<>();
      Object p = row.get("params");
      if (p != null) {
        ((Map<String, Object>) p).forEach((k, v) -> params.put(k, String.valueOf(v)));
      }
      Map<String, Object> pm = (Map<String, Object>) row.get("primaryMetric");
      List<Double> samples = new ArrayList<>();
      for (Object fork : (List<Object>) pm.get("rawData")) {
        for (Object v : (List<Object>) fork) {
          samples.add(number(v));
        }
      }
      List<String> jvmArgs = new ArrayList<>();
      Object ja = row.get("jvmArgs");
      if (ja != null) {
        for (Object a : (List<Object>) ja) {
          jvmArgs.add(String.valueOf(a));
        }
      }
      out.add(
          new JmhResult(
              cls,
              method,
              params,
              (String) pm.get("scoreUnit"),
              number(pm.get("score")),
              number(pm.get("scoreError")),
              samples.stream().mapToDouble(Double::doubleValue).toArray(),
              (int) number(row.get("forks")),
              String.valueOf(row.get("jdkVersion")),
              row.get("vmName") + " " + row.get("vmVersion"),
              jvmArgs));
    }
    return out;
  }

  private static double number(Object v) {
    if (v instanceof Double) {
      return (Double) v;
    }
    try {
      return Double.parseDouble(String.valueOf(v)); // "NaN", "Infinity"
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }
}
