package org.ame4jtest.thirdparty;

import com.google.common.base.CharMatcher;
import com.google.common.base.Joiner;
import com.google.common.base.Splitter;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMultiset;
import com.google.common.collect.ImmutableSortedMap;
import com.google.common.collect.Lists;
import com.google.common.collect.Ordering;
import com.google.common.primitives.Ints;
import it.unimi.dsi.fastutil.ints.Int2IntOpenHashMap;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.ints.IntArrays;
import it.unimi.dsi.fastutil.objects.Object2IntAVLTreeMap;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.collections4.CollectionUtils;
import org.apache.commons.collections4.ListUtils;
import org.apache.commons.collections4.bag.TreeBag;
import org.apache.commons.collections4.queue.CircularFifoQueue;
import org.apache.commons.lang3.ArrayUtils;
import org.apache.commons.lang3.StringUtils;

/**
 * Calls into real third-party libraries, for ThirdPartyBytecodeTest: each method returns a
 * deterministic string. The test loads this class and the libraries from their instrumented bytes
 * in a child-first loader and compares the results with the uninstrumented ones, outside any
 * transaction (the prologues' dispatch path) and inside {@code Ame.atomic} (the twins). The
 * arrays and collections are created here, so inside a transaction they are private to it.
 */
public final class LibraryUse {
  private LibraryUse() {}

  public static String commonsLang3() {
    int[] xs = {5, 3, 9, 1};
    ArrayUtils.reverse(xs);
    String[] words = {"alpha", "beta", null, "gamma"};
    ArrayUtils.shift(words, 1);
    return StringUtils.join(xs, ',') + "|" + StringUtils.join(words, "-")
        + "|" + StringUtils.abbreviate("transactional memory", 12)
        + "|" + StringUtils.capitalize("twin") + StringUtils.reverse("prologue")
        + "|" + StringUtils.leftPad("7", 4, '0')
        + "|" + String.join("/", StringUtils.splitByCharacterTypeCamelCase("automaticMutualExclusion42"))
        + "|" + StringUtils.getLevenshteinDistance("kitten", "sitting")
        + "|" + Arrays.toString(ArrayUtils.addAll(new long[] {1, 2}, 3, 4));
  }

  public static String commonsCollections4() {
    List<Integer> a = Arrays.asList(1, 2, 2, 3);
    List<Integer> b = Arrays.asList(2, 3, 4);
    TreeBag<String> bag = new TreeBag<>(Arrays.asList("x", "y", "x"));
    CircularFifoQueue<Integer> q = new CircularFifoQueue<>(3);
    for (int i = 0; i < 5; i++) {
      q.add(i);
    }
    return CollectionUtils.union(a, b) + "|" + CollectionUtils.intersection(a, b)
        + "|" + ListUtils.partition(Arrays.asList(1, 2, 3, 4, 5), 2)
        + "|" + bag + bag.getCount("x") + "|" + q + "|" + ListUtils.longestCommonSubsequence(a, b);
  }

  public static String guava() {
    ImmutableList<Integer> list = ImmutableList.of(4, 1, 3, 1, 5);
    return list.reverse() + "|" + Joiner.on(';').skipNulls().join(Arrays.asList("a", null, "b"))
        + "|" + Splitter.on(',').trimResults().omitEmptyStrings().splitToList(" x, ,y ,z")
        + "|" + Ordering.natural().reverse().sortedCopy(list)
        + "|" + ImmutableMultiset.copyOf(list).count(1)
        + "|" + Lists.partition(list, 2)
        + "|" + ImmutableSortedMap.of("b", 2, "a", 1)
        + "|" + Ints.join("+", Ints.toArray(list)) + "=" + Ints.max(Ints.toArray(list))
        + "|" + CharMatcher.inRange('0', '9').retainFrom("a1b22c333");
  }

  public static String fastutil() {
    IntArrayList l = new IntArrayList(new int[] {9, 2, 7, 4});
    l.add(1);
    l.sort(null);
    int[] raw = {5, -1, 3, 3, 0};
    IntArrays.quickSort(raw);
    Int2IntOpenHashMap m = new Int2IntOpenHashMap();
    for (int i = 0; i < 50; i++) {
      m.addTo(i % 7, i);
    }
    Object2IntAVLTreeMap<String> t = new Object2IntAVLTreeMap<>();
    t.put("b", 2);
    t.put("a", 1);
    t.put("c", 3);
    return l + "|" + Arrays.toString(raw) + "|" + m.get(3) + "," + m.size() + "|" + t.firstKey()
        + t.getInt("c") + t.headMap("c");
  }

  public static String kotlin() {
    List<Integer> xs = Arrays.asList(5, 1, 4, 2, 3);
    return kotlin.collections.CollectionsKt.sorted(xs)
        + "|" + kotlin.collections.CollectionsKt.chunked(xs, 2)
        + "|" + kotlin.collections.CollectionsKt.windowed(xs, 3, 1, false)
        + "|" + kotlin.text.StringsKt.reversed("kotlin")
        + "|" + kotlin.text.StringsKt.padStart("42", 5, '.')
        + "|" + kotlin.text.StringsKt.repeat("ab", 3)
        + "|" + kotlin.ranges.RangesKt.coerceIn(17, 0, 10);
  }

  public static String scala213() {
    scala.collection.immutable.List<Integer> list =
        scala.jdk.javaapi.CollectionConverters.asScala(Arrays.asList(3, 1, 2)).toList();
    scala.collection.immutable.Vector<Integer> vec =
        scala.jdk.javaapi.CollectionConverters.asScala(Arrays.asList(7, 8, 9)).toVector();
    return list.reverse().mkString(",") + "|" + list.size() + list.contains(2)
        + "|" + vec.drop(1).mkString("[", " ", "]") + vec.apply(2)
        + "|" + scala.math.BigInt.apply(2).pow(100)
        + "|" + scala.collection.StringOps$.MODULE$.capitalize$extension("scala")
        + "|" + scala.util.hashing.MurmurHash3$.MODULE$.stringHash("ame4j")
        + "|" + scala.collection.immutable.Range$.MODULE$.inclusive(1, 10).length();
  }

  public static String scala3() {
    scala.Product t = scala.runtime.Tuples.fromArray(new Object[] {"a", 1, 2.5});
    scala.Product longer = scala.runtime.Tuples.cons("head", t);
    return scala.runtime.Tuples.size(longer) + "|" + scala.runtime.Tuples.reverse(longer)
        + "|" + scala.runtime.Tuples.apply(longer, 1) + "|" + scala.runtime.Tuples.concat(t, t)
        + "|" + scala.runtime.Tuples.take(longer, 2) + "|" + scala.runtime.Tuples.last(t);
  }

  // ---- code that stays tracked: array and arithmetic code only, no JDK call on the way ---------

  /**
   * One step over a shared array with each library's pure array code (no JDK call on the way, so
   * inside a transaction every access goes through the barriers and nothing becomes inevitable).
   * Deterministic in {@code (data, step)}: ordered runs must equal the sequential one.
   */
  public static long step(int[] data, int step) {
    int n = data.length;
    int from = step % (n - 1);
    int to = from + 1 + (step * 7) % (n - from - 1);
    ArrayUtils.reverse(data, from, to);                           // commons-lang3
    com.google.common.primitives.Ints.rotate(data, step % 5, from, to); // guava
    IntArrays.quickSort(data, from, Math.min(n, to + 3));        // fastutil
    kotlin.collections.ArraysKt.reverse(data, from, Math.min(n, from + 4)); // kotlin-stdlib
    data[to - 1] += com.google.common.math.IntMath.gcd(data[from] & 0xfff, 24) + step;
    long h = scala.util.hashing.MurmurHash3$.MODULE$.arrayHash$mIc$sp(data); // scala-library
    return h + com.google.common.primitives.Ints.indexOf(data, data[from]);
  }

  /** {@link #step} over a fresh array, {@code steps} times: one transaction's worth of work. */
  public static long steps(int steps) {
    int[] data = new int[32];
    for (int i = 0; i < data.length; i++) {
      data[i] = (i * 37) % 101;
    }
    long h = 0;
    for (int s = 0; s < steps; s++) {
      h = h * 31 + step(data, s);
    }
    return h;
  }
}
