package org.ame4j.bench.stamp;

import java.util.BitSet;
import java.util.EnumSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.IntPredicate;
import org.ame4j.TransactionQueue;
import org.ame4j.bench.stamp.cells.Stm;
import org.ame4j.bench.stamp.cells.TChainedHashSet;
import org.ame4j.bench.stamp.cells.TIntSet;
import org.ame4j.bench.stamp.cells.TLinkedListSet;
import org.ame4j.bench.stamp.cells.TRedBlackTree;
import org.ame4j.bench.stamp.cells.TSkipListSet;
import org.ame4jbench.plain.ChainedHashSet;
import org.ame4jbench.plain.IntSet;
import org.ame4jbench.plain.LinkedListSet;
import org.ame4jbench.plain.RedBlackTree;
import org.ame4jbench.plain.SkipListSet;

/**
 * Synchrobench's integer sets (Gramoli, PPoPP 2015): a set of {@code size} keys drawn from
 * {@code [0, 2 size)}, then a stream of operations on uniformly random keys: {@code update}% of
 * them updates (half insertions, half removals), the rest lookups. Each operation is one
 * transaction. With a range twice the size, half the updates succeed and the size stays near its
 * initial value, as in Synchrobench's default "attempted updates" mode.
 *
 * <p>Validation, after every run:
 * <ul>
 *   <li>the structure's own invariants (ascending order, skip-list levels, red-black colours and
 *       black heights, hash chains in their buckets);
 *   <li>per key: initial membership + successful insertions - successful removals of that key
 *       must be 0 or 1 and equal its final membership. Every serial order of the operations
 *       satisfies this; a lost update or a phantom insertion breaks it;
 *   <li>on one thread, every operation's result and the final set must equal those of a
 *       {@link BitSet} model run in the same order.
 * </ul>
 */
final class IntSetWorkload implements Workload {
  enum Structure {
    LIST("list", "sorted linked list"),
    SKIP("skiplist", "skip list"),
    HASH("hashset", "chained hash set"),
    TREE("rbtree", "red-black tree");

    final String id;
    final String label;

    Structure(String id, String label) {
      this.id = id;
      this.label = label;
    }
  }

  private static final byte CONTAINS = 0;
  private static final byte ADD = 1;
  private static final byte REMOVE = 2;

  private final Structure structure;
  private final int update;
  private int size;
  private int range;
  private int[] initial;
  private int[] initialLevels;
  private byte[] op;
  private int[] key;
  private int[] level;
  private boolean[] expected;
  private BitSet expectedFinal;
  private BitSet initialSet;

  IntSetWorkload(Structure structure, int update) {
    this.structure = structure;
    this.update = update;
  }

  @Override
  public String name() {
    return structure.id + "-" + update;
  }

  @Override
  public String description() {
    return structure.label + ", " + size + " keys in [0, " + range + "), " + update + "% updates, "
        + op.length + " operations";
  }

  @Override
  public boolean lowContention() {
    return structure != Structure.LIST || update == 0;
  }

  @Override
  public Set<Variant> variants() {
    Set<Variant> vs = EnumSet.complementOf(EnumSet.of(Variant.JUC));
    if (structure == Structure.SKIP || structure == Structure.HASH) {
      vs.add(Variant.JUC);
    }
    return vs;
  }

  @Override
  public void generate(Size s, long seed) {
    boolean list = structure == Structure.LIST;
    size = list ? s.pick(64, 256, 1024) : s.pick(256, 2048, 16384);
    range = 2 * size;
    int ops = list ? s.pick(2_000, 5_000, 20_000) : s.pick(5_000, 20_000, 200_000);
    SplittableRandom rnd = new SplittableRandom(seed * 31 + structure.ordinal() * 7 + update);
    initialSet = new BitSet(range);
    initial = new int[size];
    initialLevels = new int[size];
    for (int n = 0; n < size; ) {
      int k = rnd.nextInt(range);
      if (!initialSet.get(k)) {
        initialSet.set(k);
        initial[n] = k;
        initialLevels[n] = randomLevel(rnd);
        n++;
      }
    }
    op = new byte[ops];
    key = new int[ops];
    level = new int[ops];
    for (int i = 0; i < ops; i++) {
      op[i] = rnd.nextInt(100) < update ? (rnd.nextBoolean() ? ADD : REMOVE) : CONTAINS;
      key[i] = rnd.nextInt(range);
      level[i] = randomLevel(rnd);
    }
    // the sequential model: every operation's result in this order, and the final set
    BitSet model = (BitSet) initialSet.clone();
    expected = new boolean[ops];
    for (int i = 0; i < ops; i++) {
      int k = key[i];
      boolean in = model.get(k);
      switch (op[i]) {
        case ADD -> {
          expected[i] = !in;
          model.set(k);
        }
        case REMOVE -> {
          expected[i] = in;
          model.clear(k);
        }
        default -> expected[i] = in;
      }
    }
    expectedFinal = model;
  }

  private static int randomLevel(SplittableRandom rnd) {
    int l = 1;
    while (l < SkipListSet.MAX_LEVEL && rnd.nextBoolean()) {
      l++;
    }
    return l;
  }

  private IntSet newPlain() {
    return switch (structure) {
      case LIST -> new LinkedListSet();
      case SKIP -> new SkipListSet();
      case HASH -> new ChainedHashSet(size);
      case TREE -> new RedBlackTree<Object>();
    };
  }

  private TIntSet newCells(Stm stm) {
    return switch (structure) {
      case LIST -> new TLinkedListSet(stm);
      case SKIP -> new TSkipListSet(stm);
      case HASH -> new TChainedHashSet(stm, size);
      case TREE -> new TRedBlackTree<Object>(stm);
    };
  }

  @Override
  public Run prepare(Variant v, int threads) {
    boolean[] result = new boolean[op.length];
    return switch (v) {
      case SEQUENTIAL, LOCK, AME_AUTO -> plainRun(v, threads, result);
      case JUC -> jucRun(threads, result);
      default -> cellsRun(v.stm(), threads, result);
    };
  }

  private boolean apply(IntSet set, int i) {
    return switch (op[i]) {
      case ADD -> set.add(key[i], level[i]);
      case REMOVE -> set.remove(key[i]);
      default -> set.contains(key[i]);
    };
  }

  private Run plainRun(Variant v, int threads, boolean[] result) {
    IntSet set = newPlain();
    for (int n = 0; n < initial.length; n++) {
      set.add(initial[n], initialLevels[n]);
    }
    int ops = op.length;
    TransactionQueue queue = v == Variant.AME_AUTO
        ? Threads.queue(ops, i -> () -> result[i] = apply(set, i)) : null;
    Object lock = new Object();
    return new Checked(threads, result, set::toArray, set::check) {
      @Override
      public void execute() {
        switch (v) {
          case SEQUENTIAL -> {
            for (int i = 0; i < ops; i++) {
              result[i] = apply(set, i);
            }
          }
          case AME_AUTO -> queue.run(threads);
          default -> Threads.run(threads, ops, (t, lo, hi) -> {
            for (int i = lo; i < hi; i++) {
              synchronized (lock) {
                result[i] = apply(set, i);
              }
            }
          });
        }
      }
    };
  }

  private Run cellsRun(Stm stm, int threads, boolean[] result) {
    TIntSet set = newCells(stm);
    stm.atomic(txn -> {
      for (int n = 0; n < initial.length; n++) {
        set.add(txn, initial[n], initialLevels[n]);
      }
      return null;
    });
    Threads.Attempts attempts = new Threads.Attempts(threads);
    return new Checked(threads, result, set::toArray, set::check) {
      @Override
      public void execute() {
        Threads.run(threads, op.length, (t, lo, hi) -> {
          for (int i = lo; i < hi; i++) {
            int k = key[i];
            int l = level[i];
            result[i] = switch (op[i]) {
              case ADD -> stm.atomic(txn -> {
                attempts.hit(t);
                return set.add(txn, k, l);
              });
              case REMOVE -> stm.atomic(txn -> {
                attempts.hit(t);
                return set.remove(txn, k);
              });
              default -> stm.atomic(txn -> {
                attempts.hit(t);
                return set.contains(txn, k);
              });
            };
          }
        });
      }

      @Override
      public long attempts() {
        return attempts.total();
      }
    };
  }

  private Run jucRun(int threads, boolean[] result) {
    Set<Integer> set = structure == Structure.SKIP ? new ConcurrentSkipListSet<>()
        : ConcurrentHashMap.newKeySet(size);
    for (int k : initial) {
      set.add(k);
    }
    return new Checked(threads, result,
        () -> set.stream().mapToInt(Integer::intValue).sorted().toArray(), () -> null) {
      @Override
      public void execute() {
        Threads.run(threads, op.length, (t, lo, hi) -> {
          for (int i = lo; i < hi; i++) {
            result[i] = switch (op[i]) {
              case ADD -> set.add(key[i]);
              case REMOVE -> set.remove(key[i]);
              default -> set.contains(key[i]);
            };
          }
        });
      }
    };
  }

  /** The validation shared by every variant (see the class comment). */
  private abstract class Checked implements Run {
    private final int threads;
    private final boolean[] result;
    private final java.util.function.Supplier<int[]> keys;
    private final java.util.function.Supplier<String> invariants;

    Checked(int threads, boolean[] result, java.util.function.Supplier<int[]> keys,
        java.util.function.Supplier<String> invariants) {
      this.threads = threads;
      this.result = result;
      this.keys = keys;
      this.invariants = invariants;
    }

    @Override
    public long operations() {
      return op.length;
    }

    @Override
    public void validate() {
      String broken = invariants.get();
      if (broken != null) {
        throw new ValidationError(name() + ": structure broken: " + broken);
      }
      int[] finalKeys = keys.get();
      BitSet present = new BitSet(range);
      for (int i = 0; i < finalKeys.length; i++) {
        int k = finalKeys[i];
        if (k < 0 || k >= range || (i > 0 && finalKeys[i - 1] >= k)) {
          throw new ValidationError(name() + ": key " + k + " out of range or duplicated");
        }
        present.set(k);
      }
      int[] balance = new int[range];
      initialSet.stream().forEach(k -> balance[k] = 1);
      for (int i = 0; i < op.length; i++) {
        if (result[i]) {
          if (op[i] == ADD) {
            balance[key[i]]++;
          } else if (op[i] == REMOVE) {
            balance[key[i]]--;
          }
        }
      }
      IntPredicate wrong = k -> balance[k] != (present.get(k) ? 1 : 0);
      for (int k = 0; k < range; k++) {
        if (wrong.test(k)) {
          throw new ValidationError(name() + ": key " + k + ": initial + successful adds - removes = "
              + balance[k] + " but the key is " + (present.get(k) ? "present" : "absent"));
        }
      }
      if (threads == 1) {
        for (int i = 0; i < op.length; i++) {
          if (result[i] != expected[i]) {
            throw new ValidationError(name() + ": operation " + i + " returned " + result[i]
                + ", the sequential model " + expected[i]);
          }
        }
        if (!present.equals(expectedFinal)) {
          throw new ValidationError(name() + ": final set differs from the sequential model");
        }
      }
    }
  }
}
