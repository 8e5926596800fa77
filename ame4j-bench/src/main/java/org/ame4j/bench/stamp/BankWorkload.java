package org.ame4j.bench.stamp;

import java.util.EnumSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntToLongFunction;
import org.ame4j.TransactionQueue;
import org.ame4j.bench.stamp.cells.Stm;
import org.ame4j.bench.stamp.cells.Stm.TLong;
import org.ame4jbench.plain.Bank;

/**
 * The bank of {@code BankBench}, in the suite: {@code accounts} accounts, seeded random transfers
 * (from != to, amount 1..100), each one transaction that always moves the money. Because every
 * transfer is unconditional, each account's final balance is determined whatever the commit
 * order: the validation checks every account (initial + incoming - outgoing), not only the total.
 *
 * <p>The j.u.c. variant is two independent {@code AtomicLongArray.getAndAdd}s: correct here only
 * because unconditional transfers commute and nobody reads mid-run (a transfer is not atomic).
 */
final class BankWorkload implements Workload {
  static final long INITIAL = 1_000;

  private int accounts;
  private int[] from;
  private int[] to;
  private int[] amount;
  private long[] expected;

  @Override
  public String name() {
    return "bank";
  }

  @Override
  public String description() {
    return accounts + " accounts, " + from.length + " random transfers";
  }

  @Override
  public boolean lowContention() {
    return true;
  }

  @Override
  public Set<Variant> variants() {
    return EnumSet.allOf(Variant.class);
  }

  @Override
  public void generate(Size s, long seed) {
    accounts = s.pick(1_000, 20_000, 1_000_000);
    int n = s.pick(5_000, 50_000, 500_000);
    SplittableRandom rnd = new SplittableRandom(seed);
    from = new int[n];
    to = new int[n];
    amount = new int[n];
    expected = new long[accounts];
    java.util.Arrays.fill(expected, INITIAL);
    for (int i = 0; i < n; i++) {
      int f = rnd.nextInt(accounts);
      int t = rnd.nextInt(accounts - 1);
      from[i] = f;
      to[i] = t >= f ? t + 1 : t;
      amount[i] = 1 + rnd.nextInt(100);
      expected[from[i]] -= amount[i];
      expected[to[i]] += amount[i];
    }
  }

  @Override
  public Run prepare(Variant v, int threads) {
    int n = from.length;
    return switch (v) {
      case SEQUENTIAL, LOCK, AME_AUTO -> {
        Bank bank = new Bank(accounts, INITIAL);
        TransactionQueue q = v == Variant.AME_AUTO
            ? Threads.queue(n, i -> () -> bank.transfer(from[i], to[i], amount[i])) : null;
        Object lock = new Object();
        yield new Checked(i -> bank.balance[i]) {
          @Override
          public void execute() {
            if (v == Variant.SEQUENTIAL) {
              for (int i = 0; i < n; i++) {
                bank.transfer(from[i], to[i], amount[i]);
              }
            } else if (v == Variant.AME_AUTO) {
              q.run(threads);
            } else {
              Threads.run(threads, n, (t, lo, hi) -> {
                for (int i = lo; i < hi; i++) {
                  synchronized (lock) {
                    bank.transfer(from[i], to[i], amount[i]);
                  }
                }
              });
            }
          }
        };
      }
      case JUC -> {
        AtomicLongArray balance = new AtomicLongArray(accounts);
        for (int i = 0; i < accounts; i++) {
          balance.set(i, INITIAL);
        }
        yield new Checked(balance::get) {
          @Override
          public void execute() {
            Threads.run(threads, n, (t, lo, hi) -> {
              for (int i = lo; i < hi; i++) {
                balance.getAndAdd(from[i], -amount[i]);
                balance.getAndAdd(to[i], amount[i]);
              }
            });
          }
        };
      }
      default -> {
        Stm stm = v.stm();
        TLong[] balance = new TLong[accounts];
        for (int i = 0; i < accounts; i++) {
          balance[i] = stm.newLong(INITIAL);
        }
        Threads.Attempts attempts = new Threads.Attempts(threads);
        yield new Checked(i -> balance[i].peek()) {
          @Override
          public void execute() {
            Threads.run(threads, n, (t, lo, hi) -> {
              for (int i = lo; i < hi; i++) {
                TLong f = balance[from[i]];
                TLong d = balance[to[i]];
                long a = amount[i];
                stm.atomic(txn -> {
                  attempts.hit(t);
                  f.set(txn, f.get(txn) - a);
                  d.set(txn, d.get(txn) + a);
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
    };
  }

  private abstract class Checked implements Run {
    private final IntToLongFunction balance;

    Checked(IntToLongFunction balance) {
      this.balance = balance;
    }

    @Override
    public long operations() {
      return from.length;
    }

    @Override
    public void validate() {
      long total = 0;
      for (int i = 0; i < accounts; i++) {
        long b = balance.applyAsLong(i);
        total += b;
        if (b != expected[i]) {
          throw new ValidationError("bank: account " + i + " holds " + b + ", expected "
              + expected[i] + " (lost or duplicated transfer)");
        }
      }
      if (total != INITIAL * accounts) {
        throw new ValidationError("bank: total " + total + ", expected " + INITIAL * accounts);
      }
    }
  }
}
