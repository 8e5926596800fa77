package org.ame4jtest.jdkpatch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntFunction;
import org.ame4j.Ame;
import org.ame4j.TaskFailedException;
import org.ame4j.TransactionQueue;

/**
 * Plain sequential code over the JDK's own collections, run as tasks under the agent with the
 * java.base patch (issue 4): each check runs the same steps once as the plain sequential loop
 * and once as tasks of a queue (ordered or unordered, N workers), then compares. Ordered runs
 * must equal the sequential run exactly (same {@code toString}); unordered runs must keep the
 * invariant named in the check (same multiset, same counts). Prints one line per check and the
 * transactions that went inevitable, with their sites; exits 1 if a check failed.
 *
 * <p>Usage: {@code JdkCollectionsProgram ordered|unordered WORKERS [SCALE]}.
 */
public final class JdkCollectionsProgram {
  private static boolean ordered;
  private static int workers;
  private static int failures;

  public static void main(String[] args) {
    ordered = args[0].equals("ordered");
    workers = Integer.parseInt(args[1]);
    int scale = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    Ame.resetStats();
    wordCount(6_000 * scale);
    lists(2_000 * scale);
    sorting(200 * scale);
    comparisons(300 * scale);
    builders(1_000 * scale);
    sets(2_000 * scale);
    atomics(2_000 * scale);
    records(1_000 * scale);
    readers(500 * scale);
    System.out.println("commits: " + (Ame.stats().commits() > 0));
    System.out.println("inevitable: " + Ame.stats().inevitable() + " " + Ame.stats().inevitableSites());
    System.exit(failures == 0 ? 0 : 1);
  }

  private static void check(String name, Object sequential, Object parallel, boolean exactly) {
    boolean ok = sequential.equals(parallel);
    if (!ok) {
      failures++;
    }
    System.out.println(name + ": " + (ok ? "ok" : "DIFFERENT\n  sequential " + sequential + "\n  tasks      " + parallel));
  }

  /** Runs {@code step(0..n-1)} sequentially, or as one task each. */
  private static void run(int n, IntFunction<Runnable> step, boolean tasks) {
    if (!tasks) {
      for (int i = 0; i < n; i++) {
        step.apply(i).run();
      }
      return;
    }
    TransactionQueue q = ordered ? TransactionQueue.ordered() : new TransactionQueue();
    for (int i = 0; i < n; i++) {
      q.add(step.apply(i));
    }
    q.run(workers);
  }

  // ---- HashMap and TreeMap: word count -------------------------------------------------------

  static String[] words(int n, long seed) {
    Random r = new Random(seed);
    String[] w = new String[n];
    for (int i = 0; i < n; i++) {
      w[i] = "w" + r.nextInt(n / 2 + 1);
    }
    return w;
  }

  static final class Counts {
    final Map<String, Integer> hash = new HashMap<>(); // default capacity: resizes as it grows
    final TreeMap<String, Integer> tree = new TreeMap<>();
    final LinkedHashMap<String, Integer> linked = new LinkedHashMap<>();
  }

  private static void wordCount(int n) {
    String[] w = words(n, 1);
    Counts seq = new Counts();
    Counts par = new Counts();
    for (Counts c : List.of(seq, par)) {
      run(n / 4, i -> () -> {
        for (int j = 4 * i; j < 4 * i + 4; j++) {
          c.hash.merge(w[j], 1, Integer::sum);
          c.tree.merge(w[j], 1, Integer::sum);
          Integer old = c.linked.get(w[j]);
          c.linked.put(w[j], old == null ? 1 : old + 1);
        }
      }, c == par);
    }
    check("HashMap word count (" + par.hash.size() + " keys: resized "
        + Integer.numberOfTrailingZeros(Integer.highestOneBit((int) (par.hash.size() / 0.75f)) / 16)
        + "+ times)", seq.hash, par.hash, false);
    check("TreeMap word count", seq.tree.toString(), par.tree.toString(), false);
    check("LinkedHashMap", ordered ? seq.linked.toString() : new TreeMap<>(seq.linked).toString(),
        ordered ? par.linked.toString() : new TreeMap<>(par.linked).toString(), ordered);
    // Iteration over views inside tasks: sum of the values through entrySet/values/keySet.
    long[] sums = new long[3];
    run(3, i -> () -> {
      long s = 0;
      if (i == 0) {
        for (Map.Entry<String, Integer> e : par.hash.entrySet()) {
          s += e.getValue();
        }
      } else if (i == 1) {
        for (int v : par.tree.values()) {
          s += v;
        }
      } else {
        for (Iterator<String> it = par.linked.keySet().iterator(); it.hasNext(); ) {
          s += par.linked.get(it.next());
        }
      }
      sums[i] = s;
    }, true);
    check("map views iterated in tasks", n * 3L, sums[0] + sums[1] + sums[2], true);
  }

  // ---- ArrayList, LinkedList, ArrayDeque, PriorityQueue ---------------------------------------

  static final class Queues {
    final List<Integer> array = new ArrayList<>();
    final LinkedList<Integer> linked = new LinkedList<>();
    final ArrayDeque<Integer> deque = new ArrayDeque<>();
    final PriorityQueue<Integer> heap = new PriorityQueue<>();
    final HashMap<Integer, Integer> tally = new HashMap<>();
    long iterated;
    int removed;
    long copied;
    long cloned;
  }

  private static void lists(int n) {
    Queues seq = new Queues();
    Queues par = new Queues();
    for (Queues q : List.of(seq, par)) {
      run(n, i -> () -> {
        int v = (i * 7919) % 1000;
        q.array.add(v);
        q.linked.addFirst(v);
        if (i % 3 == 0 && !q.deque.isEmpty()) {
          q.deque.pollFirst();
          q.removed++;
        }
        q.deque.addLast(v);
        q.heap.offer(v);
        q.tally.merge(v % 37, 1, Integer::sum);
        if (i % 100 == 25) {
          // clone() reaches Object.clone (native) through super.clone(): a tracked copy instead.
          @SuppressWarnings("unchecked")
          HashMap<Integer, Integer> tallyCopy = (HashMap<Integer, Integer>) q.tally.clone();
          tallyCopy.merge(-1, 1, Integer::sum); // the copy is its own
          q.cloned += ((ArrayList<?>) q.array).clone().hashCode() + q.deque.clone().size() + tallyCopy.size();
        }
        if (i % 5 == 4 && q.heap.poll() != null) {
          q.removed++;
        }
        if (i % 100 == 50) {
          // Copy constructors read their argument: tracked through the patch's twin constructors.
          q.copied += new ArrayList<>(q.array).size() + new ArrayDeque<>(q.deque).size()
              + new TreeMap<>(Map.of(i, q.array.size())).firstKey();
        }
        if (i % 100 == 99) {
          long s = 0;
          for (int x : q.array) {
            s += x;
          }
          for (int x : q.deque) {
            s += x;
          }
          q.iterated += s;
        }
      }, q == par);
    }
    if (ordered) {
      check("ArrayList", seq.array, par.array, true);
      check("LinkedList", seq.linked, par.linked, true);
      check("ArrayDeque", List.copyOf(seq.deque), List.copyOf(par.deque), true);
      check("PriorityQueue", drain(seq.heap), drain(par.heap), true);
      check("iterations inside tasks", seq.iterated, par.iterated, true);
      check("copy constructors inside tasks", seq.copied, par.copied, true);
      check("clone() inside tasks", seq.cloned, par.cloned, true);
    } else {
      check("ArrayList (as a multiset)", sorted(seq.array), sorted(par.array), false);
      check("LinkedList (as a multiset)", sorted(seq.linked), sorted(par.linked), false);
      // Whether a poll found the queue empty depends on the order: count what was taken.
      check("ArrayDeque and PriorityQueue sizes", 2 * n, par.deque.size() + par.heap.size() + par.removed, false);
      check("PriorityQueue heap order", sorted(par.heap), drain(new PriorityQueue<>(par.heap)), false);
    }
    check("HashMap tallies (clones change only themselves)", seq.tally, par.tally, true);
  }

  private static List<Integer> drain(PriorityQueue<Integer> q) {
    List<Integer> out = new ArrayList<>();
    while (!q.isEmpty()) {
      out.add(q.poll());
    }
    return out;
  }

  private static List<Integer> sorted(java.util.Collection<Integer> c) {
    List<Integer> l = new ArrayList<>(c);
    Collections.sort(l);
    return l;
  }

  // ---- Arrays.sort of slices of a shared array, Collections.sort ------------------------------

  private static void sorting(int slices) {
    int len = 50;
    int[] seqInts = new int[slices * len];
    String[] seqStrings = new String[slices * len];
    Random r = new Random(7);
    for (int i = 0; i < seqInts.length; i++) {
      seqInts[i] = r.nextInt();
      seqStrings[i] = Integer.toString(r.nextInt(100_000));
    }
    int[] parInts = seqInts.clone();
    String[] parStrings = seqStrings.clone();
    List<List<String>> seqLists = new ArrayList<>();
    List<List<String>> parLists = new ArrayList<>();
    for (int i = 0; i < slices; i++) {
      seqLists.add(new ArrayList<>(Arrays.asList(seqStrings).subList(i * len, i * len + len)));
      parLists.add(new ArrayList<>(Arrays.asList(seqStrings).subList(i * len, i * len + len)));
    }
    for (boolean tasks : new boolean[] {false, true}) {
      int[] ints = tasks ? parInts : seqInts;
      String[] strings = tasks ? parStrings : seqStrings;
      List<List<String>> lists = tasks ? parLists : seqLists;
      run(slices, i -> () -> {
        Arrays.sort(ints, i * len, i * len + len);
        Arrays.sort(strings, i * len, i * len + len);
        Collections.sort(lists.get(i));
        Arrays.fill(ints, i * len, i * len + 2, i);
      }, tasks);
    }
    check("Arrays.sort(int[]) slices", Arrays.toString(seqInts), Arrays.toString(parInts), true);
    check("Arrays.sort(Object[]) slices", Arrays.toString(seqStrings), Arrays.toString(parStrings), true);
    check("Collections.sort", seqLists, parLists, true);
  }

  // ---- Arrays.equals, mismatch and compare of primitive arrays (ArraysSupport.vectorizedMismatch)

  private static void comparisons(int slices) {
    int len = 40;
    int[][] results = new int[2][];
    for (boolean tasks : new boolean[] {false, true}) {
      int[] ints = new int[slices * len];
      double[] doubles = new double[slices * len];
      char[] chars = new char[slices * len];
      byte[] bytes = new byte[slices * len];
      int[] intsRef = ints.clone();
      double[] doublesRef = doubles.clone();
      char[] charsRef = chars.clone();
      byte[] bytesRef = bytes.clone();
      int[] result = new int[slices];
      run(slices, i -> () -> {
        int lo = i * len;
        int hi = lo + len;
        int at = lo + (i * 7) % len;
        ints[at] = i;         // task 0 writes the value already there: its slices stay equal
        doubles[at] = i;
        chars[lo + len - 1] = (char) (i % 3);
        bytes[lo + i % len] = (byte) (i % 2);
        int r = Arrays.mismatch(ints, lo, hi, intsRef, lo, hi);
        r = 31 * r + Arrays.mismatch(doubles, lo, hi, doublesRef, lo, hi);
        r = 31 * r + (Arrays.equals(chars, lo, hi, charsRef, lo, hi) ? 1 : 0);
        r = 31 * r + Arrays.compare(bytes, lo, hi, bytesRef, lo, hi);
        result[i] = r;
      }, tasks);
      results[tasks ? 1 : 0] = result;
    }
    check("Arrays.mismatch/equals/compare of primitive slices", Arrays.toString(results[0]),
        Arrays.toString(results[1]), true);
  }

  // ---- StringBuilder, shared and private ------------------------------------------------------

  static final class Texts {
    final StringBuilder shared = new StringBuilder();
    final Map<Integer, String> built = new HashMap<>();
    final List<String> described = new ArrayList<>();
  }

  private static void builders(int n) {
    Texts seq = new Texts();
    Texts par = new Texts();
    for (Texts t : List.of(seq, par)) {
      run(n, i -> () -> {
        StringBuilder own = new StringBuilder("item ").append(i).append(':');
        for (int k = 0; k < i % 7; k++) {
          own.append((char) ('a' + k));
        }
        t.built.put(i, own.toString());
        t.shared.append(i % 10);
        if (i % 50 == 49) {
          t.shared.append('\n');
          // Collections' toString inside a task: string concatenation and String.valueOf.
          t.described.add("after " + i + ": " + new TreeMap<>(Map.of(i, t.built.size())) + " "
              + String.valueOf(List.of(t.described.size(), i)));
        }
      }, t == par);
    }
    check("private StringBuilder", seq.built, par.built, true);
    if (ordered) {
      check("toString of collections inside tasks", seq.described, par.described, true);
    }
    if (ordered) {
      check("shared StringBuilder", seq.shared.toString(), par.shared.toString(), true);
    } else {
      check("shared StringBuilder length", seq.shared.length(), par.shared.length(), false);
    }
  }

  // ---- java.util.concurrent.atomic (the agent's intrinsics) -----------------------------------

  static final class Counters {
    final java.util.concurrent.atomic.AtomicLong total = new java.util.concurrent.atomic.AtomicLong();
    final java.util.concurrent.atomic.AtomicInteger max = new java.util.concurrent.atomic.AtomicInteger();
    final java.util.concurrent.atomic.LongAdder adds = new java.util.concurrent.atomic.LongAdder();
    final java.util.concurrent.atomic.AtomicReference<String> last = new java.util.concurrent.atomic.AtomicReference<>("");
    final List<Long> seen = new ArrayList<>();
  }

  private static void atomics(int n) {
    Counters seq = new Counters();
    Counters par = new Counters();
    for (Counters c : List.of(seq, par)) {
      run(n, i -> () -> {
        long t = c.total.addAndGet(i % 13);
        c.max.accumulateAndGet(i % 97, Math::max);
        c.adds.increment();
        c.last.set("task " + i);
        if (i % 100 == 0) {
          c.seen.add(t);
        }
      }, c == par);
    }
    check("AtomicLong/AtomicInteger/LongAdder", seq.total.get() + " " + seq.max.get() + " " + seq.adds.sum(),
        par.total.get() + " " + par.max.get() + " " + par.adds.sum(), false);
    if (ordered) {
      check("AtomicLong values seen inside tasks", seq.seen + " " + seq.last.get(), par.seen + " " + par.last.get(), true);
    }
  }

  // ---- HashSet, TreeSet, BitSet, Collections wrappers -----------------------------------------

  static final class Sets {
    final Set<Integer> hash = new HashSet<>();
    final TreeSet<Integer> tree = new TreeSet<>();
    final BitSet bits = new BitSet();
    final List<Integer> log = Collections.synchronizedList(new ArrayList<>());
    final List<Integer> view = Collections.unmodifiableList(log);
    int viewSum;
  }

  private static void sets(int n) {
    Sets seq = new Sets();
    Sets par = new Sets();
    for (Sets s : List.of(seq, par)) {
      run(n, i -> () -> {
        int v = (i * 31) % (n / 2);
        if (!s.hash.add(v)) {
          s.hash.remove(v / 2);
        }
        s.tree.add(v);
        if (i % 4 == 0) {
          s.tree.pollFirst();
        }
        s.bits.set(v);
        s.bits.flip(i % 64);
        if (i % 10 == 0) {
          s.log.add(v);
          int sum = 0;
          for (int x : s.view) {
            sum += x;
          }
          s.viewSum = Math.max(s.viewSum, sum);
        }
      }, s == par);
    }
    if (ordered) {
      check("HashSet", new TreeSet<>(seq.hash).toString(), new TreeSet<>(par.hash).toString(), true);
      check("TreeSet", seq.tree.toString(), par.tree.toString(), true);
      check("BitSet", seq.bits, par.bits, true);
      check("Collections wrappers", seq.log + " " + seq.viewSum, par.log + " " + par.viewSum, true);
    } else {
      check("Collections wrappers (as a multiset)", sorted(seq.log), sorted(par.log), false);
      check("TreeSet sorted and distinct", new ArrayList<>(new TreeSet<>(par.tree)), new ArrayList<>(par.tree), false);
    }
  }

  // ---- the patch's record fields: objects born in tasks, published, written again, rolled back --

  /** State shared by the tasks of {@link #records}. */
  private static final class Published {
    final HashMap<String, Integer> counts = new HashMap<>(); // made outside tasks: record installed later
    final ArrayList<HashMap<String, Integer>> born = new ArrayList<>();
    final StringBuilder log = new StringBuilder();
    int writes;
  }

  /**
   * Maps born in tasks are published and written again by later tasks (their records must have
   * been released at commit); a task that throws after writing a shared map, a map born earlier
   * and a builder leaves all three as they were (the records' undo); and the field is transient
   * and synthetic, so serializers skip it.
   */
  private static void records(int n) {
    Published[] runs = {new Published(), new Published()};
    for (int t = 0; t < 2; t++) {
      Published p = runs[t];
      run(n, i -> () -> {
        p.counts.merge("k" + (i % 17), 1, Integer::sum);
        if (i % 10 == 0) {
          HashMap<String, Integer> m = new HashMap<>();
          m.put("born", i);
          p.born.add(m);
        } else if (!p.born.isEmpty()) {
          p.born.get(i % p.born.size()).merge("writes", 1, Integer::sum);
          p.writes++;
        }
      }, t == 1);
    }
    int writes = 0;
    for (HashMap<String, Integer> m : runs[1].born) {
      writes += m.getOrDefault("writes", 0);
    }
    // Sorted: an unordered run inserts the keys in some serial order, not the loop's, and a
    // HashMap's iteration order follows the insertion order of keys that share a bucket.
    check("maps born in tasks, published and written again",
        new TreeMap<>(runs[0].counts) + " " + runs[0].born.size(),
        new TreeMap<>(runs[1].counts) + " " + runs[1].born.size(), true);
    check("writes to maps born in earlier tasks", runs[1].writes, writes, true);
    boolean agent = underAgent();
    Published p = runs[1];
    if (!agent) {
      return; // plain tasks: a throwing one keeps its writes, nothing to check
    }
    String before = p.counts + " " + p.born.get(0) + " " + p.log;
    TransactionQueue q = new TransactionQueue();
    q.add(() -> {
      p.counts.put("rolled back", 1);
      p.born.get(0).clear();
      p.log.append("rolled back");
      throw new IllegalStateException("thrown on purpose");
    });
    boolean threw = false;
    try {
      q.run(workers);
    } catch (TaskFailedException e) {
      threw = e.getCause() instanceof IllegalStateException;
    }
    check("a task that throws leaves JDK objects as they were", before + " true",
        p.counts + " " + p.born.get(0) + " " + p.log + " " + threw, true);
    check("the record field is transient and synthetic", "absent",
        recordField(java.util.AbstractMap.class), true);
  }

  // ---- A program's own Reader (the patch's record field in java.io.Reader) --------------------

  /** What {@code StringReader} does, in program code: a {@code Reader} subclass, as Gson reads. */
  static final class Chars extends java.io.Reader {
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

  private static void readers(int n) {
    String text = "0123456789abcdefghijklmnopqrstuvwxyz".repeat(n / 36 + 1).substring(0, n);
    // Readers born in tasks (their record born owned), read a few characters at a time.
    long[] sums = new long[2];
    for (int t = 0; t < 2; t++) {
      int slot = t;
      run(n / 10, i -> () -> {
        Chars r = new Chars(text.substring(10 * i, 10 * i + 10));
        char[] buf = new char[3];
        long s = 0;
        for (int k; (k = r.read(buf, 0, buf.length)) > 0; ) {
          for (int j = 0; j < k; j++) {
            s += buf[j];
          }
        }
        sums[slot] += s;
      }, t == 1);
    }
    check("Readers born in tasks", sums[0], sums[1], true);
    // One shared reader: every task takes the next four characters; each is read exactly once.
    StringBuilder[] read = {new StringBuilder(), new StringBuilder()};
    Chars[] shared = {new Chars(text), new Chars(text)};
    for (int t = 0; t < 2; t++) {
      int slot = t;
      run(n / 4, i -> () -> {
        char[] buf = new char[4];
        int k = shared[slot].read(buf, 0, 4);
        read[slot].append(buf, 0, Math.max(k, 0));
      }, t == 1);
    }
    char[] seq = read[0].toString().toCharArray();
    char[] par = read[1].toString().toCharArray();
    Arrays.sort(seq);
    Arrays.sort(par);
    check("a shared Reader read by tasks", new String(seq), new String(par), false);
    boolean agent = underAgent();
    if (agent) {
      Chars r = new Chars(text);
      TransactionQueue q = new TransactionQueue();
      q.add(() -> {
        r.read(new char[5], 0, 5);
        throw new IllegalStateException("thrown on purpose");
      });
      try {
        q.run(workers);
      } catch (TaskFailedException e) {
        // expected
      }
      char[] first = new char[1];
      r.read(first, 0, 1);
      check("a task that throws leaves a Reader where it was", text.charAt(0), first[0], true);
    }
    check("Reader's record field is transient and synthetic", "absent",
        recordField(java.io.Reader.class), true);
  }

  /** Twins of this class exist only under the agent. */
  private static boolean underAgent() {
    return Arrays.stream(JdkCollectionsProgram.class.getDeclaredMethods())
        .anyMatch(m -> m.getName().endsWith("$ame"));
  }

  /**
   * "absent" when {@code root} has no record field (records off, or no patch) or has it transient
   * and synthetic, as the patch adds it; "visible" otherwise.
   */
  private static String recordField(Class<?> root) {
    try {
      java.lang.reflect.Field f = root.getDeclaredField("$ame4j$rec");
      return java.lang.reflect.Modifier.isTransient(f.getModifiers()) && f.isSynthetic() ? "absent" : "visible";
    } catch (NoSuchFieldException e) {
      return "absent";
    }
  }
}
