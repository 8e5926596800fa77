package org.ame4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bank: transfers between random accounts never change the total, and an audit that sums
 * every account inside a transaction never sees a wrong total, not even in an attempt that is
 * later rolled back (opacity). Wrong totals are counted with a plain {@link AtomicInteger}
 * outside the STM, so a zombie attempt's observation is counted too.
 */
class BankTest {
  private static final int ACCOUNTS = 64;
  private static final long INITIAL = 1_000;
  private static final long TOTAL = ACCOUNTS * INITIAL;

  private static LongRef[] accounts() {
    LongRef[] a = new LongRef[ACCOUNTS];
    for (int i = 0; i < ACCOUNTS; i++) {
      a[i] = new LongRef(INITIAL);
    }
    return a;
  }

  private static long sum(LongRef[] a) {
    long s = 0;
    for (LongRef r : a) {
      s += r.get();
    }
    return s;
  }

  private static void transfer(LongRef[] a, int from, int to, long amount) {
    a[from].set(a[from].get() - amount);
    TestUtil.spin(1_000); // widen the window between the two writes
    a[to].set(a[to].get() + amount);
  }

  @ParameterizedTest(name = "{0} workers")
  @ValueSource(ints = {1, 2, 4, 8})
  void transfersPreserveTheTotalAndAuditsNeverSeeAWrongOne(int workers) {
    int transfers = TestUtil.scale(4_000, 100_000);
    int audits = TestUtil.scale(200, 5_000);
    LongRef[] a = accounts();
    AtomicInteger wrongTotals = new AtomicInteger();
    AtomicInteger auditsCommitted = new AtomicInteger();
    AtomicInteger transfersCommitted = new AtomicInteger();
    // Per-account expected balance, computed from the committed transfers (afterCommit).
    AtomicLong[] expected = new AtomicLong[ACCOUNTS];
    for (int i = 0; i < ACCOUNTS; i++) {
      expected[i] = new AtomicLong(INITIAL);
    }
    TransactionQueue q = new TransactionQueue();
    SplittableRandom r = new SplittableRandom(workers);
    int auditEvery = transfers / audits;
    for (int i = 0; i < transfers; i++) {
      int from = r.nextInt(ACCOUNTS);
      int to = r.nextInt(ACCOUNTS);
      long amount = 1 + r.nextInt(100);
      q.add(
          () -> {
            transfer(a, from, to, amount);
            Ame.afterCommit(
                () -> {
                  transfersCommitted.incrementAndGet();
                  expected[from].addAndGet(-amount);
                  expected[to].addAndGet(amount);
                });
          });
      if (i % auditEvery == 0) {
        q.add(
            () -> {
              if (sum(a) != TOTAL) {
                wrongTotals.incrementAndGet();
              }
              Ame.afterCommit(auditsCommitted::incrementAndGet);
            });
      }
    }
    q.run(workers);
    assertEquals(0, q.size());
    assertEquals(0, wrongTotals.get(), "an audit transaction observed a wrong total");
    assertEquals(transfers, transfersCommitted.get());
    assertEquals(audits, auditsCommitted.get(), "the audits must have run");
    assertEquals(TOTAL, sum(a));
    for (int i = 0; i < ACCOUNTS; i++) {
      assertEquals(expected[i].get(), a[i].get(), "balance of account " + i + " (lost update?)");
    }
  }

  /** Transfers that add follow-up transfers: the tree of adds must run completely, once. */
  @ParameterizedTest(name = "{0} workers")
  @ValueSource(ints = {1, 2, 4, 8})
  void chainedTransfersAddedFromTasks(int workers) {
    LongRef[] a = accounts();
    IntRef done = new IntRef(0);
    AtomicInteger wrongTotals = new AtomicInteger();
    TransactionQueue q = new TransactionQueue();
    int roots = 200;
    int depth = 4; // each root spawns a chain: 1 + 2 + 4 + 8 + 16 tasks
    for (int i = 0; i < roots; i++) {
      long seed = i;
      q.add(chain(q, a, done, wrongTotals, seed, depth));
    }
    q.run(workers);
    assertEquals(roots * 31, done.get());
    assertEquals(TOTAL, sum(a));
    assertEquals(0, wrongTotals.get());
  }

  private static Runnable chain(
      TransactionQueue q, LongRef[] a, IntRef done, AtomicInteger wrong, long seed, int depth) {
    return () -> {
      SplittableRandom r = new SplittableRandom(seed);
      transfer(a, r.nextInt(ACCOUNTS), r.nextInt(ACCOUNTS), 1 + r.nextInt(50));
      if (r.nextInt(8) == 0 && sum(a) != TOTAL) {
        wrong.incrementAndGet();
      }
      done.set(done.get() + 1);
      if (depth > 0) {
        q.add(chain(q, a, done, wrong, TestUtil.mix(seed, 1), depth - 1));
        Ame.add(chain(q, a, done, wrong, TestUtil.mix(seed, 2), depth - 1));
      }
    };
  }

  /** The same from plain threads with {@code Ame.atomic}, plus an auditing thread. */
  @Test
  void plainThreadsWithAtomicBlocks() {
    LongRef[] a = accounts();
    int threads = 4;
    int perThread = TestUtil.scale(3_000, 50_000);
    AtomicInteger wrongTotals = new AtomicInteger();
    AtomicInteger audits = new AtomicInteger();
    AtomicInteger transfersDone = new AtomicInteger();
    TestUtil.Threads ts = new TestUtil.Threads();
    for (int t = 0; t < threads; t++) {
      int id = t;
      ts.start(
          "bank-" + t,
          () -> {
            SplittableRandom r = new SplittableRandom(id);
            for (int i = 0; i < perThread; i++) {
              int from = r.nextInt(ACCOUNTS);
              int to = r.nextInt(ACCOUNTS);
              long amount = 1 + r.nextInt(100);
              Ame.atomic(() -> transfer(a, from, to, amount));
              transfersDone.incrementAndGet();
            }
          });
    }
    ts.start(
        "auditor",
        () -> {
          do {
            long s =
                Ame.atomic(
                    () -> {
                      long total = sum(a);
                      if (total != TOTAL) {
                        wrongTotals.incrementAndGet();
                      }
                      return total;
                    });
            assertEquals(TOTAL, s);
            audits.incrementAndGet();
          } while (transfersDone.get() < threads * perThread);
        });
    ts.joinAll();
    assertEquals(0, wrongTotals.get(), "an audit observed a wrong total");
    assertTrue(audits.get() > 0, "the auditor must have audited");
    assertEquals(TOTAL, sum(a));
  }

  /**
   * Ordered mode: the final balances are exactly those of the sequential program (including
   * transfers that are refused for lack of funds, which makes the result order-dependent).
   */
  @ParameterizedTest(name = "{0} workers")
  @ValueSource(ints = {1, 2, 4, 8})
  void orderedBankEqualsTheSequentialRun(int workers) {
    int transfers = TestUtil.scale(3_000, 50_000);
    LongRef[] a = accounts();
    long[] plain = new long[ACCOUNTS];
    java.util.Arrays.fill(plain, INITIAL);
    AtomicInteger wrongTotals = new AtomicInteger();
    TransactionQueue q = TransactionQueue.ordered();
    SplittableRandom r = new SplittableRandom(100 + workers);
    for (int i = 0; i < transfers; i++) {
      int from = r.nextInt(8); // few accounts: many conflicts
      int to = r.nextInt(8);
      long amount = 1 + r.nextInt(1_500);
      if (plain[from] >= amount) {
        plain[from] -= amount;
        plain[to] += amount;
      }
      q.add(
          () -> {
            long f = a[from].get();
            if (f >= amount) {
              transfer(a, from, to, amount);
            }
          });
      if (i % 50 == 0) {
        q.add(
            () -> {
              if (sum(a) != TOTAL) {
                wrongTotals.incrementAndGet();
              }
            });
      }
    }
    TestUtil.runBounded(q, workers, 60); // 3000 small tasks: a hang bound, not a speed limit
    assertEquals(0, wrongTotals.get());
    for (int i = 0; i < ACCOUNTS; i++) {
      assertEquals(plain[i], a[i].get(), "account " + i);
    }
  }
}
