package org.ame4j.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * {@link BarrierBench}'s benchmarks timed by <em>thread CPU time</em>, variants alternated round by
 * round, for a machine too loaded for JMH's wall-clock figures (other processes' time is not
 * counted; what is left of the noise is cache and frequency sharing). Each round runs every
 * variant for one batch; the report gives, per variant, the median and the minimum over rounds of
 * ns per access, and the same minus the matching {@code _plain} variant.
 *
 * <pre>java -cp ame4j-bench/target/benchmarks.jar org.ame4j.bench.BarrierCost [rounds] [batch] [filter]</pre>
 */
public final class BarrierCost {
  private BarrierCost() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
    int batch = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    String filter = args.length > 2 ? args[2] : "";
    BarrierBench b = new BarrierBench();
    b.setup();
    Map<String, IntSupplier> variants = new LinkedHashMap<>();
    variants.put("read_plain", b::read_plain);
    variants.put("read_fieldBarrier", b::read_fieldBarrier);
    variants.put("read_objPending", b::read_objPending);
    variants.put("read_objSite", b::read_objSite);
    variants.put("read_tableSite", b::read_tableSite);
    variants.put("read_intRef", b::read_intRef);
    variants.put("read_intCell", b::read_intCell);
    variants.put("write_plain", () -> { b.write_plain(); return 0; });
    variants.put("write_fieldBarrier", () -> { b.write_fieldBarrier(); return 0; });
    variants.put("write_objHandle", () -> { b.write_objHandle(); return 0; });
    variants.put("write_objSite", () -> { b.write_objSite(); return 0; });
    variants.put("write_objSiteTwice", () -> { b.write_objSiteTwice(); return 0; });
    variants.put("write_tableSite", () -> { b.write_tableSite(); return 0; });
    variants.put("write_intRef", () -> { b.write_intRef(); return 0; });
    variants.put("write_intCell", () -> { b.write_intCell(); return 0; });
    variants.put("alloc_plain", b::alloc_plain);
    variants.put("alloc_born", b::alloc_born);
    variants.put("alloc_freshSet", b::alloc_freshSet);
    variants.put("nested_plain", b::nested_plain);
    variants.put("nested_born", b::nested_born);
    variants.put("tx_empty", () -> { b.tx_empty(); return 0; });
    variants.put("elem_plain", b::elem_plain);
    variants.put("elem_readOnly", b::elem_readOnly);
    variants.put("elem_hoisted", b::elem_hoisted);
    variants.put("elem_written", b::elem_written);
    variants.put("elemwrite_plain", () -> { b.elemwrite_plain(); return 0; });
    variants.put("elemwrite_site", () -> { b.elemwrite_site(); return 0; });
    variants.put("elemwrite_scattered", () -> { b.elemwrite_scattered(); return 0; });
    Cold cold = new Cold();
    variants.put("cold_plain", cold::plain);
    variants.put("cold_table", cold::table);
    variants.put("cold_object", cold::object);
    variants.keySet().removeIf(k -> !k.contains(filter) && !k.endsWith("_plain"));
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Map<String, List<Double>> nsPerOp = new LinkedHashMap<>();
    int sink = 0;
    for (int r = -10; r < rounds; r++) { // 10 warm-up rounds
      for (Map.Entry<String, IntSupplier> v : variants.entrySet()) {
        IntSupplier s = v.getValue();
        long t0 = mx.getCurrentThreadCpuTime();
        for (int i = 0; i < batch; i++) {
          sink += s.getAsInt();
        }
        long t = mx.getCurrentThreadCpuTime() - t0;
        if (r >= 0) {
          int ops = v.getKey().equals("tx_empty") ? 1
              : v.getKey().endsWith("Twice") ? 2 * BarrierBench.N : BarrierBench.N;
          nsPerOp.computeIfAbsent(v.getKey(), k -> new ArrayList<>()).add((double) t / batch / ops);
        }
      }
    }
    System.out.printf("%-20s %9s %9s %12s %12s%n", "variant", "median", "min", "median-plain", "min-plain");
    for (Map.Entry<String, List<Double>> e : nsPerOp.entrySet()) {
      double[] x = sorted(e.getValue());
      String kind = e.getKey().substring(0, e.getKey().indexOf('_'));
      double[] plain = nsPerOp.containsKey(kind + "_plain") ? sorted(nsPerOp.get(kind + "_plain")) : null;
      System.out.printf("%-20s %9.2f %9.2f %12s %12s%n", e.getKey(), median(x), x[0],
          plain == null ? "" : String.format("%.2f", median(x) - median(plain)),
          plain == null ? "" : String.format("%.2f", x[0] - plain[0]));
    }
    System.out.println("(rounds " + rounds + ", batch " + batch + ", sink " + (sink & 1) + ")");
  }

  /**
   * Reads of {@value BarrierBench#N} random objects out of 2^20 per transaction (a data set far
   * larger than the caches): the plain program, today's striped-table barrier (a second miss on
   * the table's line), and the object's own word (next to the field read anyway).
   */
  static final class Cold {
    private static final int SIZE = 1 << 20;
    private static final int ID = "value".hashCode();
    private final BarrierBench.Holder[] holders = new BarrierBench.Holder[SIZE];
    private final BarrierBench.ObjHolder[] objs = new BarrierBench.ObjHolder[SIZE];
    private final int[] order = new int[BarrierBench.N * 1000];
    private int next;
    private int result;

    Cold() {
      java.util.Random r = new java.util.Random(42);
      for (int i = 0; i < SIZE; i++) {
        holders[i] = new BarrierBench.Holder();
        holders[i].value = i;
        objs[i] = new BarrierBench.ObjHolder();
        objs[i].value = i;
      }
      // Shuffle the objects so that neighbours in the array are not neighbours in memory.
      for (int i = SIZE - 1; i > 0; i--) {
        int j = r.nextInt(i + 1);
        BarrierBench.Holder h = holders[i];
        holders[i] = holders[j];
        holders[j] = h;
        BarrierBench.ObjHolder o = objs[i];
        objs[i] = objs[j];
        objs[j] = o;
      }
      for (int i = 0; i < order.length; i++) {
        order[i] = r.nextInt(SIZE);
      }
    }

    private int start() {
      int s = next;
      next = s + BarrierBench.N == order.length ? 0 : s + BarrierBench.N;
      return s;
    }

    int plain() {
      int s = start();
      int sum = 0;
      for (int i = 0; i < BarrierBench.N; i++) {
        sum += holders[order[s + i]].value;
      }
      return sum;
    }

    int table() {
      int s = start();
      org.ame4j.Ame.atomic(() -> {
        org.ame4j.internal.engine.Txn tx = org.ame4j.internal.engine.Txn.active();
        int sum = 0;
        for (int i = 0; i < BarrierBench.N; i++) {
          BarrierBench.Holder o = holders[order[s + i]];
          org.ame4j.internal.engine.FieldBarriers.beforeRead(o, ID, tx);
          int v = o.value;
          org.ame4j.internal.engine.FieldBarriers.afterRead(tx);
          sum += v;
        }
        result = sum;
      });
      return result;
    }

    int object() {
      int s = start();
      org.ame4j.Ame.atomic(() -> {
        org.ame4j.internal.engine.Txn tx = org.ame4j.internal.engine.Txn.active();
        int sum = 0;
        for (int i = 0; i < BarrierBench.N; i++) {
          BarrierBench.ObjHolder o = objs[order[s + i]];
          long w = org.ame4j.internal.engine.SiteBarriers.openRead(o, ID, tx);
          int v = o.value;
          org.ame4j.internal.engine.SiteBarriers.closeRead(o, w, tx);
          sum += v;
        }
        result = sum;
      });
      return result;
    }
  }

  private static double[] sorted(List<Double> l) {
    double[] x = l.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(x);
    return x;
  }

  private static double median(double[] x) {
    return x[x.length / 2];
  }
}
