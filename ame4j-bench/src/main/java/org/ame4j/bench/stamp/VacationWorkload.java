package org.ame4j.bench.stamp;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.ame4j.TransactionQueue;
import org.ame4j.bench.stamp.cells.Stm;
import org.ame4j.bench.stamp.cells.TVacation;
import org.ame4jbench.plain.Vacation;

/**
 * STAMP's {@code vacation} (Minh et al., IISWC 2008): a travel agency's database of cars, flights
 * and rooms ({@code relations} of each, 100 to 500 units at a price of 50 to 90) and customers, all
 * red-black trees; a stream of client tasks, each one transaction. With probability {@code user}%
 * a task is a reservation: it queries up to {@code queries} random items among the first
 * {@code range}% ids and reserves the most expensive available one of each type for a random
 * customer. Otherwise, half the time it deletes a customer (cancelling its reservations), half
 * the time it updates the tables (adds 100 units of an item at a new price, or deletes an item that
 * nobody reserved). STAMP's parameters: low contention {@code -n2 -q90 -u98}, high contention
 * {@code -n4 -q60 -u90}; STAMP's {@code -r} (relations) and {@code -t} (tasks) are scaled down
 * here to keep a full run of every variant within minutes.
 *
 * <p>Validation, as STAMP's {@code checkTables}: every item has {@code used + free == total},
 * neither negative; every customer's bookings name existing items, and each item's {@code used}
 * equals the number of bookings of it. On one thread, the whole final database must equal the
 * sequential program's (a fingerprint over every table in key order).
 */
final class VacationWorkload implements Workload {
  private static final byte RESERVE = 0;
  private static final byte DELETE_CUSTOMER = 1;
  private static final byte UPDATE = 2;

  private final boolean high;
  private int relations;
  private int[] initOrder;
  private int[] initNum;
  private int[] initPrice;
  private byte[] action;
  private int[] customer;
  private int[] offset;
  private int[] count;
  private int[] qType;
  private int[] qId;
  private int[] qPrice;
  private long expectedFingerprint;

  VacationWorkload(boolean high) {
    this.high = high;
  }

  @Override
  public String name() {
    return high ? "vacation-high" : "vacation-low";
  }

  @Override
  public String description() {
    return relations + " relations per table, " + action.length + " tasks, " + (high
        ? "-n4 -q60 -u90" : "-n2 -q90 -u98");
  }

  @Override
  public boolean lowContention() {
    return !high;
  }

  @Override
  public Set<Variant> variants() {
    return EnumSet.complementOf(EnumSet.of(Variant.JUC));
  }

  @Override
  public void generate(Size s, long seed) {
    int queries = high ? 4 : 2;
    int range = high ? 60 : 90;
    int user = high ? 90 : 98;
    relations = s.pick(256, 2048, 16384);
    int tasks = s.pick(2_000, 5_000, 30_000);
    SplittableRandom rnd = new SplittableRandom(seed * 13 + (high ? 5 : 3));
    // 3 tables + customers, each id 1..relations, inserted in a random order
    initOrder = new int[4 * relations];
    initNum = new int[4 * relations];
    initPrice = new int[4 * relations];
    for (int table = 0; table < 4; table++) {
      int[] perm = new int[relations];
      for (int i = 0; i < relations; i++) {
        perm[i] = i + 1;
      }
      for (int i = relations - 1; i > 0; i--) {
        int j = rnd.nextInt(i + 1);
        int x = perm[i];
        perm[i] = perm[j];
        perm[j] = x;
      }
      for (int i = 0; i < relations; i++) {
        int at = table * relations + i;
        initOrder[at] = perm[i];
        initNum[at] = (rnd.nextInt(5) + 1) * 100;
        initPrice[at] = rnd.nextInt(5) * 10 + 50;
      }
    }
    int queryRange = Math.max(1, (int) (relations * (range / 100.0)));
    action = new byte[tasks];
    customer = new int[tasks];
    offset = new int[tasks];
    count = new int[tasks];
    qType = new int[tasks * queries];
    qId = new int[tasks * queries];
    qPrice = new int[tasks * queries];
    int q = 0;
    for (int i = 0; i < tasks; i++) {
      int r = rnd.nextInt(100);
      action[i] = r < user ? RESERVE : (r & 1) == 1 ? DELETE_CUSTOMER : UPDATE;
      customer[i] = 1 + rnd.nextInt(queryRange);
      offset[i] = q;
      count[i] = action[i] == DELETE_CUSTOMER ? 0 : 1 + rnd.nextInt(queries);
      for (int k = 0; k < count[i]; k++, q++) {
        qType[q] = rnd.nextInt(3);
        qId[q] = 1 + rnd.nextInt(queryRange);
        qPrice[q] = rnd.nextBoolean() ? -1 : rnd.nextInt(5) * 10 + 50;
      }
    }
    Vacation v = newPlain();
    for (int i = 0; i < tasks; i++) {
      runPlain(v, i);
    }
    expectedFingerprint = snapshot(v).fingerprint();
  }

  private Vacation newPlain() {
    Vacation v = new Vacation();
    for (int table = 0; table < 4; table++) {
      for (int i = 0; i < relations; i++) {
        int at = table * relations + i;
        if (table == 3) {
          v.addCustomer(initOrder[at]);
        } else {
          v.addItem(table, initOrder[at], initNum[at], initPrice[at]);
        }
      }
    }
    return v;
  }

  private void runPlain(Vacation v, int i) {
    switch (action[i]) {
      case RESERVE -> v.makeReservation(customer[i], qType, qId, offset[i], count[i]);
      case DELETE_CUSTOMER -> v.deleteCustomer(customer[i]);
      default -> v.updateTables(qType, qId, qPrice, offset[i], count[i]);
    }
  }

  private void runCells(TVacation v, Object txn, int i) {
    switch (action[i]) {
      case RESERVE -> v.makeReservation(txn, customer[i], qType, qId, offset[i], count[i]);
      case DELETE_CUSTOMER -> v.deleteCustomer(txn, customer[i]);
      default -> v.updateTables(txn, qType, qId, qPrice, offset[i], count[i]);
    }
  }

  @Override
  public Run prepare(Variant v, int threads) {
    int n = action.length;
    if (v == Variant.SEQUENTIAL || v == Variant.LOCK || v == Variant.AME_AUTO) {
      Vacation db = newPlain();
      TransactionQueue q = v == Variant.AME_AUTO ? Threads.queue(n, i -> () -> runPlain(db, i)) : null;
      Object lock = new Object();
      return new Checked(threads, () -> snapshot(db)) {
        @Override
        public void execute() {
          switch (v) {
            case SEQUENTIAL -> {
              for (int i = 0; i < n; i++) {
                runPlain(db, i);
              }
            }
            case AME_AUTO -> q.run(threads);
            default -> Threads.run(threads, n, (t, lo, hi) -> {
              for (int i = lo; i < hi; i++) {
                synchronized (lock) {
                  runPlain(db, i);
                }
              }
            });
          }
        }
      };
    }
    Stm stm = v.stm();
    TVacation db = new TVacation(stm);
    int batch = 256; // set-up transactions: small enough for every peer, few enough to be quick
    for (int from = 0; from < 4 * relations; from += batch) {
      int lo = from;
      int hi = Math.min(4 * relations, from + batch);
      stm.atomic(txn -> {
        for (int at = lo; at < hi; at++) {
          int table = at / relations;
          if (table == 3) {
            db.addCustomer(txn, initOrder[at]);
          } else {
            db.addItem(txn, table, initOrder[at], initNum[at], initPrice[at]);
          }
        }
        return null;
      });
    }
    Threads.Attempts attempts = new Threads.Attempts(threads);
    return new Checked(threads, () -> snapshot(db)) {
      @Override
      public void execute() {
        Threads.run(threads, n, (t, lo, hi) -> {
          for (int i = lo; i < hi; i++) {
            int task = i;
            stm.atomic(txn -> {
              attempts.hit(t);
              runCells(db, txn, task);
              return null;
            });
          }
        });
      }

      @Override
      public long attempts() {
        return attempts.total();
      }
    };
  }

  /** The database in a variant-neutral form, for validation. */
  private record Snapshot(Map<Long, int[]> items, Map<Integer, int[]> bookings) {
    long fingerprint() {
      long h = 1;
      for (var e : new java.util.TreeMap<>(items).entrySet()) {
        h = h * 31 + e.getKey();
        for (int x : e.getValue()) {
          h = h * 31 + x;
        }
      }
      for (var e : new java.util.TreeMap<>(bookings).entrySet()) {
        h = h * 37 + e.getKey();
        for (int x : e.getValue()) {
          h = h * 37 + x;
        }
      }
      return h;
    }
  }

  private static long itemKey(int type, int id) {
    return (long) type << 32 | id;
  }

  private static Snapshot snapshot(Vacation db) {
    Map<Long, int[]> items = new HashMap<>();
    for (int type = 0; type < 3; type++) {
      int ty = type;
      db.tables[type].forEach((id, it) -> items.put(itemKey(ty, id),
          new int[] {it.numUsed, it.numFree, it.numTotal, it.price}));
    }
    Map<Integer, int[]> bookings = new HashMap<>();
    db.customers.forEach((id, c) -> {
      java.util.List<Integer> l = new java.util.ArrayList<>();
      for (Vacation.Booking b = c.bookings; b != null; b = b.next) {
        l.add(b.type);
        l.add(b.id);
        l.add(b.price);
      }
      bookings.put(id, l.stream().mapToInt(Integer::intValue).toArray());
    });
    return new Snapshot(items, bookings);
  }

  private static Snapshot snapshot(TVacation db) {
    Map<Long, int[]> items = new HashMap<>();
    for (int type = 0; type < 3; type++) {
      int ty = type;
      db.tables[type].forEach((id, it) -> items.put(itemKey(ty, id), new int[] {
        it.numUsed.peek(), it.numFree.peek(), it.numTotal.peek(), it.price.peek()}));
    }
    Map<Integer, int[]> bookings = new HashMap<>();
    db.customers.forEach((id, c) -> {
      java.util.List<Integer> l = new java.util.ArrayList<>();
      for (TVacation.Booking b = c.bookings.peek(); b != null; b = b.next) {
        l.add(b.type);
        l.add(b.id);
        l.add(b.price);
      }
      bookings.put(id, l.stream().mapToInt(Integer::intValue).toArray());
    });
    return new Snapshot(items, bookings);
  }

  private abstract class Checked implements Run {
    private final int threads;
    private final java.util.function.Supplier<Snapshot> state;

    Checked(int threads, java.util.function.Supplier<Snapshot> state) {
      this.threads = threads;
      this.state = state;
    }

    @Override
    public long operations() {
      return action.length;
    }

    @Override
    public void validate() {
      Snapshot s = state.get();
      Map<Long, Integer> booked = new HashMap<>();
      for (var e : s.bookings().entrySet()) {
        int[] b = e.getValue();
        for (int i = 0; i < b.length; i += 3) {
          long key = itemKey(b[i], b[i + 1]);
          if (!s.items().containsKey(key)) {
            throw new ValidationError(name() + ": customer " + e.getKey() + " holds item "
                + b[i + 1] + " of type " + b[i] + ", which does not exist");
          }
          booked.merge(key, 1, Integer::sum);
        }
      }
      for (var e : s.items().entrySet()) {
        int[] it = e.getValue();
        if (it[0] < 0 || it[1] < 0 || it[0] + it[1] != it[2]) {
          throw new ValidationError(name() + ": item " + (e.getKey() & 0xffffffffL) + " of type "
              + (e.getKey() >> 32) + ": used " + it[0] + " + free " + it[1] + " != total " + it[2]);
        }
        int b = booked.getOrDefault(e.getKey(), 0);
        if (b != it[0]) {
          throw new ValidationError(name() + ": item " + (e.getKey() & 0xffffffffL) + " of type "
              + (e.getKey() >> 32) + ": used " + it[0] + " but " + b + " bookings hold it");
        }
      }
      if (threads == 1 && s.fingerprint() != expectedFingerprint) {
        throw new ValidationError(name() + ": one thread, but the database differs from the"
            + " sequential program's");
      }
    }
  }
}
