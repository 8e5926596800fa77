package org.ame4j.bench.stamp;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One measured run: a workload, a variant, a thread count, its time, and what it did. {@code
 * check} is {@code ok} or what the validation found (or how the run failed). {@code commits},
 * {@code aborts} and {@code inevitable} come from {@code Ame.stats()} (ame4j variants, else -1);
 * {@code attempts} counts atomic-block bodies started (cells variants, else -1). {@code detail} is
 * the run's own summary of what it computed ({@link Workload.Run#detail}; "-" if none).
 */
record Result(String workload, Variant variant, int threads, int rep, long nanos, long ops,
    long attempts, long commits, long aborts, long inevitable, String detail, String check) {

  Result {
    detail = detail == null || detail.isBlank() ? "-" : detail.replace(' ', '_');
  }

  boolean ok() {
    return "ok".equals(check);
  }

  /** Aborts per transaction attempt, from the engine's statistics or from the body count. */
  double abortRate() {
    if (commits >= 0 && aborts >= 0) {
      return commits + aborts == 0 ? 0 : aborts / (double) (commits + aborts);
    }
    if (attempts > 0) {
      return Math.max(0, attempts - ops) / (double) attempts;
    }
    return Double.NaN;
  }

  /** The child's output line; {@link #parse} reads it back. */
  String line() {
    return String.format(Locale.ROOT,
        "RESULT workload=%s variant=%s threads=%d rep=%d nanos=%d ops=%d attempts=%d commits=%d"
            + " aborts=%d inevitable=%d detail=%s check=%s",
        workload, variant.id, threads, rep, nanos, ops, attempts, commits, aborts, inevitable,
        detail, check.replace('\n', ' '));
  }

  static Result parse(String line) {
    int c = line.indexOf(" check=");
    Map<String, String> kv = new LinkedHashMap<>();
    for (String token : line.substring("RESULT ".length(), c).split(" ")) {
      int eq = token.indexOf('=');
      kv.put(token.substring(0, eq), token.substring(eq + 1));
    }
    return new Result(kv.get("workload"), Variant.byId(kv.get("variant")),
        Integer.parseInt(kv.get("threads")), Integer.parseInt(kv.get("rep")),
        Long.parseLong(kv.get("nanos")), Long.parseLong(kv.get("ops")),
        Long.parseLong(kv.get("attempts")), Long.parseLong(kv.get("commits")),
        Long.parseLong(kv.get("aborts")), Long.parseLong(kv.get("inevitable")),
        kv.getOrDefault("detail", "-"), line.substring(c + " check=".length()));
  }

  static String csvHeader() {
    return "workload,variant,threads,rep,seconds,ops,mops_per_s,attempts,commits,aborts,inevitable,"
        + "abort_rate,check,detail\n";
  }

  String csv() {
    return String.format(Locale.ROOT, "%s,%s,%d,%d,%.6f,%d,%.4f,%d,%d,%d,%d,%.6f,\"%s\",%s%n",
        workload, variant.id, threads, rep, nanos / 1e9, ops, nanos == 0 ? 0 : ops * 1e3 / nanos,
        attempts, commits, aborts, inevitable, abortRate(), check.replace("\"", "'"), detail);
  }
}
