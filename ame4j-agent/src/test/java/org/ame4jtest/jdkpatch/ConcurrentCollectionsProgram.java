package org.ame4jtest.jdkpatch;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.ame4j.Ame;
import org.ame4j.TransactionQueue;

/**
 * {@code java.util.concurrent} structures used inside tasks (issue 4, the decision: they are not
 * twinned and run inevitable, see docs/semantics.md): the results are still those of the
 * sequential program, and the statistics name the concurrent class as the reason.
 *
 * <p>Usage: {@code ConcurrentCollectionsProgram WORKERS}; ordered runs.
 */
public final class ConcurrentCollectionsProgram {
  static final class State {
    final Map<String, Integer> map = new ConcurrentHashMap<>();
    final ConcurrentLinkedQueue<Integer> queue = new ConcurrentLinkedQueue<>();
    final List<Integer> list = new CopyOnWriteArrayList<>();
  }

  public static void main(String[] args) {
    int workers = Integer.parseInt(args[0]);
    int n = 600;
    State seq = new State();
    State par = new State();
    Ame.resetStats();
    TransactionQueue q = TransactionQueue.ordered();
    for (State s : List.of(seq, par)) {
      for (int i = 0; i < n; i++) {
        int k = i;
        Runnable step = () -> {
          s.map.merge("k" + (k % 37), 1, Integer::sum);
          s.queue.add(k);
          if (k % 4 == 0) {
            s.list.add(s.queue.poll());
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
    boolean ok = new TreeMap<>(seq.map).equals(new TreeMap<>(par.map))
        && List.copyOf(seq.queue).equals(List.copyOf(par.queue)) && seq.list.equals(par.list);
    System.out.println("equal to the sequential run: " + ok);
    System.out.println("inevitable: " + Ame.stats().inevitable() + " " + Ame.stats().inevitableSites());
    System.exit(ok ? 0 : 1);
  }
}
