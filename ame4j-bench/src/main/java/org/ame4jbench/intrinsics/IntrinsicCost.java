package org.ame4jbench.intrinsics;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.ame4j.Ame;

/**
 * The cost of the agent's JDK intrinsics ({@code System.arraycopy}, array {@code clone()}, the
 * {@code AtomicInteger} stand-ins) per element or per call inside a transaction, run <em>under
 * the agent</em> so that the calls reach the stand-ins exactly as a program's do. Timed by thread
 * CPU time, variants alternated round by round (as {@code org.ame4j.bench.BarrierCost}); each
 * variant is one {@code Ame.atomic} doing {@value #N} elements or calls; {@code _plain} variants
 * do the same outside any transaction (the original method runs, not its twin).
 *
 * <p>Meant for before/after comparisons of the agent: run it in alternate JVMs with the two agent
 * jars ({@code ame4j-bench/run-intrinsic-cost.sh}) and compare the medians. Output: one line per
 * variant, {@code RESULT variant median-ns min-ns}.
 *
 * <pre>java -javaagent:ame4j-agent.jar -cp ame4j-bench/target/classes:ame4j-core/target/classes \
 *     org.ame4jbench.intrinsics.IntrinsicCost [rounds] [batch] [filter]</pre>
 *
 * <p>Not under {@code org.ame4j}: the agent never instruments ame4j's own packages.
 */
public final class IntrinsicCost {
  static final int N = 64;

  private final int[] ints = new int[N];
  private final int[] ints2 = new int[N];
  private final long[] longs = new long[N];
  private final long[] longs2 = new long[N];
  private final byte[] bytes = new byte[N];
  private final byte[] bytes2 = new byte[N];
  private final Object[] objects = new Object[N];
  private final Object[] objects2 = new Object[N];
  private final String[] strings = new String[N];
  private final String[] strings2 = new String[N];
  private final int[] shifted = new int[N + 1];
  private final AtomicInteger[] atomics = new AtomicInteger[N];
  private int sink;

  private IntrinsicCost() {
    for (int i = 0; i < N; i++) {
      ints[i] = i;
      longs[i] = i;
      bytes[i] = (byte) i;
      objects[i] = "s" + i;
      strings[i] = "s" + i;
      atomics[i] = new AtomicInteger(i);
    }
  }

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    int batch = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    String filter = args.length > 2 ? args[2] : "";
    IntrinsicCost b = new IntrinsicCost();
    Map<String, IntSupplier> variants = new LinkedHashMap<>();
    variants.put("copy_int_plain", b::copyIntPlain);
    variants.put("copy_int_shared", () -> b.atomically(b::copyIntPlain));
    variants.put("copy_int_toFresh", () -> b.atomically(b::copyIntToFresh));
    variants.put("copy_int_fromFresh", () -> b.atomically(b::copyIntFromFresh));
    variants.put("copy_int_overlap", () -> b.atomically(b::copyIntOverlap));
    variants.put("copy_long_shared", () -> b.atomically(b::copyLong));
    variants.put("copy_byte_shared", () -> b.atomically(b::copyByte));
    variants.put("copy_object_shared", () -> b.atomically(b::copyObject));
    variants.put("copy_object_checked", () -> b.atomically(b::copyObjectChecked));
    variants.put("clone_int", () -> b.atomically(b::cloneInt));
    variants.put("atomic_get_plain", b::atomicGet);
    variants.put("atomic_get", () -> b.atomically(b::atomicGet));
    variants.put("atomic_getAcquire", () -> b.atomically(b::atomicGetAcquire));
    variants.put("atomic_getPlain", () -> b.atomically(b::atomicGetPlain));
    variants.put("atomic_set", () -> b.atomically(b::atomicSet));
    variants.put("atomic_setRelease", () -> b.atomically(b::atomicSetRelease));
    variants.put("atomic_lazySet", () -> b.atomically(b::atomicLazySet));
    variants.put("atomic_cas", () -> b.atomically(b::atomicCas));
    variants.put("atomic_weakCasPlain", () -> b.atomically(b::atomicWeakCasPlain));
    variants.put("atomic_weakCasAcquire", () -> b.atomically(b::atomicWeakCasAcquire));
    variants.keySet().removeIf(k -> !k.contains(filter));
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Map<String, List<Double>> nsPerOp = new LinkedHashMap<>();
    for (int r = -10; r < rounds; r++) { // 10 warm-up rounds
      for (Map.Entry<String, IntSupplier> v : variants.entrySet()) {
        IntSupplier s = v.getValue();
        long t0 = mx.getCurrentThreadCpuTime();
        for (int i = 0; i < batch; i++) {
          b.sink += s.getAsInt();
        }
        long t = mx.getCurrentThreadCpuTime() - t0;
        if (r >= 0) {
          nsPerOp.computeIfAbsent(v.getKey(), k -> new ArrayList<>()).add((double) t / batch / N);
        }
      }
    }
    for (Map.Entry<String, List<Double>> e : nsPerOp.entrySet()) {
      double[] x = e.getValue().stream().mapToDouble(Double::doubleValue).toArray();
      Arrays.sort(x);
      System.out.printf("RESULT %s %.3f %.3f%n", e.getKey(), x[x.length / 2], x[0]);
    }
    System.out.println("(rounds " + rounds + ", batch " + batch + ", N " + N + ", sink " + (b.sink & 1) + ")");
  }

  private int atomically(IntSupplier body) {
    Ame.atomic(() -> {
      sink += body.getAsInt();
    });
    return sink;
  }

  // ---- System.arraycopy and clone: N elements per transaction ---------------------------------

  int copyIntPlain() {
    System.arraycopy(ints, 0, ints2, 0, N);
    return ints2[N - 1];
  }

  int copyIntToFresh() {
    int[] d = new int[N]; // allocated by the attempt: only the source goes through barriers
    System.arraycopy(ints, 0, d, 0, N);
    return d[N - 1];
  }

  int copyIntFromFresh() {
    int[] s = new int[N]; // allocated by the attempt: only the destination goes through barriers
    s[N - 1] = sink;
    System.arraycopy(s, 0, ints2, 0, N);
    return 1;
  }

  int copyIntOverlap() {
    System.arraycopy(shifted, 0, shifted, 1, N); // src == dest, srcPos < destPos: backwards
    return 1;
  }

  int copyLong() {
    System.arraycopy(longs, 0, longs2, 0, N);
    return 1;
  }

  int copyByte() {
    System.arraycopy(bytes, 0, bytes2, 0, N);
    return 1;
  }

  int copyObject() {
    System.arraycopy(strings, 0, objects2, 0, N); // String[] into Object[]: no element check
    return 1;
  }

  int copyObjectChecked() {
    System.arraycopy(objects, 0, strings2, 0, N); // Object[] into String[]: each element checked
    return 1;
  }

  int cloneInt() {
    return ints.clone()[N - 1];
  }

  // ---- AtomicInteger: N calls on N distinct atomics per transaction ----------------------------

  int atomicGet() {
    int s = 0;
    for (AtomicInteger a : atomics) {
      s += a.get();
    }
    return s;
  }

  int atomicGetAcquire() {
    int s = 0;
    for (AtomicInteger a : atomics) {
      s += a.getAcquire();
    }
    return s;
  }

  int atomicGetPlain() {
    int s = 0;
    for (AtomicInteger a : atomics) {
      s += a.getPlain();
    }
    return s;
  }

  int atomicSet() {
    for (int i = 0; i < N; i++) {
      atomics[i].set(i);
    }
    return 1;
  }

  int atomicSetRelease() {
    for (int i = 0; i < N; i++) {
      atomics[i].setRelease(i);
    }
    return 1;
  }

  int atomicLazySet() {
    for (int i = 0; i < N; i++) {
      atomics[i].lazySet(i);
    }
    return 1;
  }

  int atomicCas() {
    int s = 0;
    for (int i = 0; i < N; i++) {
      s += atomics[i].compareAndSet(i, i) ? 1 : 0;
    }
    return s;
  }

  int atomicWeakCasPlain() {
    int s = 0;
    for (int i = 0; i < N; i++) {
      s += atomics[i].weakCompareAndSetPlain(i, i) ? 1 : 0;
    }
    return s;
  }

  int atomicWeakCasAcquire() {
    int s = 0;
    for (int i = 0; i < N; i++) {
      s += atomics[i].weakCompareAndSetAcquire(i, i) ? 1 : 0;
    }
    return s;
  }
}
