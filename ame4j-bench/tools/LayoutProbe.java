package org.ame4j.layoutprobe;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.*;
import org.openjdk.jol.vm.VM;
import org.openjdk.jol.vm.VirtualMachine;

/**
 * Diagnostic, not part of any build (DESIGN-NOTES, "Two workers' objects apart"): runs
 * {@code CorpusMain} in this JVM and, from a sampler thread, prints the addresses (JOL) of every
 * object reachable from each queue worker (its thread object, batch arrays, add buffer,
 * descriptor, logs and counters; objects both workers reach are left out) when a queue run's
 * workers appear and again whenever a collection moved them, then every pair of objects of
 * different workers that share a 128-byte block (a pair of cache lines). Object granularity: a
 * padded object next to the other worker's is reported although its own fields lie 128 bytes in.
 *
 * <p>Run from the repository root after {@code mvn -q -DskipTests package -pl
 * ame4j-agent,ame4j-examples -am} (JOL must not be instrumented, hence {@code excludes}):
 * <pre>
 * JOL=$HOME/.m2/repository/org/openjdk/jol/jol-core/0.17/jol-core-0.17.jar
 * javac -d /tmp/layout-probe -cp $JOL ame4j-bench/tools/LayoutProbe.java
 * java -javaagent:ame4j-agent/target/ame4j-agent-0.1.0-SNAPSHOT.jar=excludes=org.openjdk.jol.* \
 *   -cp "ame4j-examples/target/classes:ame4j-core/target/classes:ame4j-examples/target/lib/*:/tmp/layout-probe:$JOL" \
 *   org.ame4j.layoutprobe.LayoutProbe components --bench-size --mode unordered --workers 2 --warmup 0 --repeat 4
 * </pre>
 * JOL takes seconds to start (it tries to attach to the JVM first), so the first queue run or two
 * go unreported: give {@code --warmup} or {@code --repeat} room. Its run numbers count the runs
 * it saw, not the corpus's.
 * Lines: {@code LAYOUT run=N start|moved}, one per object ({@code address +size Wi path}),
 * {@code SHARED-128} per pair, then the corpus's {@code RESULT} line of that run.
 */
public final class LayoutProbe {
  record Obj(long addr, long size, String path, int worker) {}

  static final Set<String> STOP = Set.of(
      "org.ame4j.internal.queue.ParallelRun", "org.ame4j.internal.queue.QueueCore",
      "java.lang.Class", "java.lang.ThreadGroup", "java.lang.ClassLoader");

  public static void main(String[] args) throws Throwable {
    Thread t = new Thread(LayoutProbe::sample, "layout-probe");
    t.setDaemon(true);
    t.start();
    Class.forName("org.ame4jexamples.corpus.CorpusMain").getMethod("main", String[].class)
        .invoke(null, (Object) args);
  }

  static void sample() {
    VirtualMachine vm = VM.current();
    ThreadGroup g = Thread.currentThread().getThreadGroup();
    Set<Thread> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    int run = 0;
    String lastSig = null;
    List<Thread> cur = List.of();
    while (true) {
      try {
        Thread.sleep(cur.isEmpty() ? 5 : 100);
        Thread[] ts = new Thread[64];
        int n = g.enumerate(ts);
        List<Thread> ws = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          if (ts[i].getName().startsWith("ame4j-worker-") && ts[i].isAlive()) ws.add(ts[i]);
        }
        ws.sort(Comparator.comparing(Thread::getName));
        if (ws.isEmpty()) { cur = List.of(); continue; }
        boolean fresh = !seen.contains(ws.get(0));
        if (fresh) {
          // wait until every descriptor is made
          boolean ready = true;
          for (Thread w : ws) if (get(w, "txn") == null) ready = false;
          if (!ready) continue;
          seen.addAll(ws);
          cur = ws;
          run++;
          Thread.sleep(20);
          lastSig = report(vm, run, ws, "start");
        } else if (cur == ws || cur.equals(ws)) {
          String sig = signature(vm, ws);
          if (!sig.equals(lastSig)) { lastSig = report(vm, run, ws, "moved"); }
        }
      } catch (Throwable e) {
        System.out.println("LAYOUT error " + e);
      }
    }
  }

  static String signature(VirtualMachine vm, List<Thread> ws) {
    StringBuilder sb = new StringBuilder();
    for (Thread w : ws) { sb.append(vm.addressOf(w)).append(',').append(vm.addressOf(get(w, "txn"))).append(';'); }
    return sb.toString();
  }

  static String report(VirtualMachine vm, int run, List<Thread> ws, String why) {
    List<List<Obj>> per = new ArrayList<>();
    IdentityHashMap<Object, Integer> owner = new IdentityHashMap<>();
    IdentityHashMap<Object, String> paths = new IdentityHashMap<>();
    for (int i = 0; i < ws.size(); i++) {
      walk(ws.get(i), "W" + i, 0, i, owner, paths, ws);
    }
    List<Obj> all = new ArrayList<>();
    for (Map.Entry<Object, Integer> e : owner.entrySet()) {
      if (e.getValue() < 0) continue; // shared
      Object o = e.getKey();
      all.add(new Obj(vm.addressOf(o), vm.sizeOf(o), paths.get(o), e.getValue()));
    }
    all.sort(Comparator.comparingLong(Obj::addr));
    StringBuilder out = new StringBuilder();
    out.append("LAYOUT run=").append(run).append(' ').append(why).append(" objects=").append(all.size()).append('\n');
    for (Obj o : all) {
      out.append(String.format("LAYOUT   %x +%d W%d %s (blk %x, mod128 %d)%n", o.addr, o.size, o.worker, o.path, o.addr >>> 7, o.addr & 127));
    }
    int pairs = 0;
    for (int i = 0; i < all.size(); i++) {
      for (int j = i + 1; j < all.size(); j++) {
        Obj a = all.get(i), b = all.get(j);
        if (b.addr >>> 7 > (a.addr + a.size - 1) >>> 7) break;
        if (a.worker != b.worker) {
          pairs++;
          out.append(String.format("LAYOUT   SHARED-128 run=%d W%d %s @%x+%d  <->  W%d %s @%x%n", run, a.worker, a.path, a.addr, a.size, b.worker, b.path, b.addr));
        }
      }
    }
    out.append("LAYOUT run=").append(run).append(" shared128pairs=").append(pairs).append('\n');
    System.out.print(out);
    System.out.flush();
    return signature(vm, ws);
  }

  static void walk(Object o, String path, int depth, int w, IdentityHashMap<Object, Integer> owner,
      IdentityHashMap<Object, String> paths, List<Thread> ws) {
    if (o == null) return;
    Class<?> c = o.getClass();
    if (STOP.contains(c.getName()) || c.isEnum() || o instanceof Class) return;
    if (o instanceof Thread && depth > 0) return; // other threads (waiter, parked)
    if (o instanceof String || o instanceof Number || o instanceof Boolean) return;
    Integer prev = owner.get(o);
    if (prev != null) {
      if (prev != w) owner.put(o, -1);
      return;
    }
    owner.put(o, w);
    paths.put(o, path + ":" + c.getSimpleName());
    if (depth >= 4) return;
    if (c.isArray()) {
      if (!c.getComponentType().isPrimitive()) {
        int n = Array.getLength(o);
        for (int i = 0; i < Math.min(n, 4); i++) walk(Array.get(o, i), path + "[" + i + "]", depth + 1, w, owner, paths, ws);
      }
      return;
    }
    for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
      if (k == Thread.class) continue; // Thread internals: not opened
      for (Field f : k.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) continue;
        try {
          f.setAccessible(true);
          walk(f.get(o), path + "." + f.getName(), depth + 1, w, owner, paths, ws);
        } catch (Throwable e) {
          // not accessible
        }
      }
    }
  }

  static Object get(Object o, String name) {
    for (Class<?> k = o.getClass(); k != null; k = k.getSuperclass()) {
      try {
        Field f = k.getDeclaredField(name);
        f.setAccessible(true);
        return f.get(o);
      } catch (NoSuchFieldException e) {
        // up
      } catch (IllegalAccessException e) {
        throw new RuntimeException(e);
      }
    }
    return null;
  }
}
