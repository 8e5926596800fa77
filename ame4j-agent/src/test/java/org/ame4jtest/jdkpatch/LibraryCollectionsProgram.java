package org.ame4jtest.jdkpatch;

import com.google.common.collect.ArrayListMultimap;
import com.google.common.collect.HashMultiset;
import com.google.common.collect.ListMultimap;
import com.google.common.collect.Multiset;
import com.google.common.collect.TreeMultimap;
import java.util.List;
import java.util.Random;
import org.ame4j.Ame;
import org.ame4j.TransactionQueue;
import org.apache.commons.collections4.Bag;
import org.apache.commons.collections4.MultiValuedMap;
import org.apache.commons.collections4.bag.HashBag;
import org.apache.commons.collections4.multimap.ArrayListValuedHashMap;

/**
 * Third-party collections whose code uses the JDK's internally (Guava's multisets and
 * multimaps over HashMap/TreeMap/ArrayList, commons-collections4's bags and multi-valued maps
 * over HashMap/ArrayList), driven from many tasks under the agent and the java.base patch
 * (issue 4): the same result as the plain sequential loop. Prints one line per check and the
 * inevitable sites; exits 1 on a difference.
 *
 * <p>Usage: {@code LibraryCollectionsProgram ordered|unordered WORKERS}.
 */
public final class LibraryCollectionsProgram {
  static final class State {
    final Multiset<String> words = HashMultiset.create();
    final ListMultimap<Integer, String> byLength = ArrayListMultimap.create();
    final TreeMultimap<String, Integer> positions = TreeMultimap.create();
    final Bag<String> bag = new HashBag<>();
    final MultiValuedMap<Character, String> byInitial = new ArrayListValuedHashMap<>();
  }

  public static void main(String[] args) {
    boolean ordered = args[0].equals("ordered");
    int workers = Integer.parseInt(args[1]);
    int n = 4_000;
    String[] w = new String[n];
    Random r = new Random(3);
    for (int i = 0; i < n; i++) {
      w[i] = "k" + r.nextInt(700) + (i % 3 == 0 ? "x" : "");
    }
    State seq = new State();
    State par = new State();
    Ame.resetStats();
    TransactionQueue q = ordered ? TransactionQueue.ordered() : new TransactionQueue();
    for (State s : List.of(seq, par)) {
      for (int i = 0; i < n; i++) {
        int k = i;
        Runnable step = () -> {
          s.words.add(w[k]);
          s.positions.put(w[k], k);
          s.bag.add(w[k], 2);
          if (k % 2 == 0) {
            s.byLength.put(w[k].length(), w[k]);
            s.byInitial.put(w[k].charAt(1), w[k]);
          }
        };
        if (s == seq) {
          step.run();
        } else {
          q.add(step);
        }
      }
    }
    q.run(workers);
    int failures = 0;
    failures += check("Guava HashMultiset", sortedString(seq.words), sortedString(par.words));
    failures += check("Guava TreeMultimap", seq.positions.toString(), par.positions.toString());
    failures += check("commons HashBag", new java.util.TreeMap<>(counts(seq.bag)).toString(),
        new java.util.TreeMap<>(counts(par.bag)).toString());
    if (ordered) {
      failures += check("Guava ArrayListMultimap", seq.byLength.toString(), par.byLength.toString());
      failures += check("commons ArrayListValuedHashMap", seq.byInitial.toString(), par.byInitial.toString());
    } else {
      failures += check("Guava ArrayListMultimap size", seq.byLength.size(), par.byLength.size());
      failures += check("commons ArrayListValuedHashMap size", seq.byInitial.size(), par.byInitial.size());
    }
    System.out.println("commits: " + (Ame.stats().commits() >= n));
    System.out.println("inevitable: " + Ame.stats().inevitable() + " " + Ame.stats().inevitableSites());
    System.exit(failures == 0 ? 0 : 1);
  }

  private static String sortedString(Multiset<String> m) {
    return new java.util.TreeMap<>(counts(m)).toString();
  }

  private static java.util.Map<String, Integer> counts(java.util.Collection<String> c) {
    java.util.Map<String, Integer> out = new java.util.HashMap<>();
    for (String s : c) {
      out.merge(s, 1, Integer::sum);
    }
    return out;
  }

  private static int check(String name, Object seq, Object par) {
    boolean ok = seq.equals(par);
    System.out.println(name + ": " + (ok ? "ok" : "DIFFERENT\n  sequential " + seq + "\n  tasks      " + par));
    return ok ? 0 : 1;
  }
}
