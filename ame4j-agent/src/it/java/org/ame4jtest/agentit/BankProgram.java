package org.ame4jtest.agentit;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.ame4j.Ame;
import org.ame4j.TransactionQueue;

/**
 * A plain sequential bank over plain {@code long} fields, run by the integration tests in a child
 * JVM under {@code -javaagent} (or offline-instrumented): nothing here knows about transactions
 * except the queue. Prints {@code key: value} lines that the tests assert on, and exits 1 if a
 * parallel run differs from the sequential one.
 */
public final class BankProgram {
  /** A plain account: one plain long field. */
  static final class Account {
    long balance;

    Account(long balance) {
      this.balance = balance;
    }
  }

  static Account[] accounts;
  static long transfers;

  static void init(int n, long initial) {
    accounts = new Account[n];
    for (int i = 0; i < n; i++) {
      accounts[i] = new Account(initial);
    }
    transfers = 0;
  }

  /**
   * Order-dependent: a transfer that would overdraw is skipped. Reads both balances, works a
   * little on locals, then writes: without tracking, two tasks on 2 workers lose updates.
   */
  static void transfer(int from, int to, long amount) {
    Account a = accounts[from];
    Account b = accounts[to];
    long fromBalance = a.balance;
    long toBalance = b.balance;
    if (fromBalance >= amount) {
      if (work(amount) == 0) {
        return; // never: work() is odd
      }
      a.balance = fromBalance - amount;
      b.balance = toBalance + amount;
      transfers++;
    }
  }

  /** Local computation only (nothing shared): widens the window between reads and writes. */
  static long work(long x) {
    for (int i = 0; i < 1_000; i++) {
      x = x * 6364136223846793005L + 1442695040888963407L;
    }
    return x | 1;
  }

  static long[] balances() {
    long[] out = new long[accounts.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = accounts[i].balance;
    }
    return out;
  }

  static long total() {
    long sum = 0;
    for (Account a : accounts) {
      sum += a.balance;
    }
    return sum;
  }

  public static void main(String[] args) {
    int n = 16;
    long initial = 100;
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int[][] ops = new int[count][];
    SplittableRandom rnd = new SplittableRandom(42);
    for (int i = 0; i < count; i++) {
      int from = rnd.nextInt(n);
      ops[i] = new int[] {from, (from + 1 + rnd.nextInt(n - 1)) % n, 1 + rnd.nextInt(150)};
    }

    init(n, initial);
    for (int[] op : ops) {
      transfer(op[0], op[1], op[2]);
    }
    long[] expected = balances();
    long expectedTransfers = transfers;

    init(n, initial);
    TransactionQueue ordered = TransactionQueue.ordered();
    for (int[] op : ops) {
      ordered.add(() -> transfer(op[0], op[1], op[2]));
    }
    ordered.run(2);
    boolean orderedOk = Arrays.equals(expected, balances()) && transfers == expectedTransfers;

    init(n, initial);
    TransactionQueue unordered = new TransactionQueue();
    for (int[] op : ops) {
      unordered.add(() -> transfer(op[0], op[1], op[2]));
    }
    unordered.run(2);
    boolean unorderedOk = total() == n * initial;

    System.out.println("instrumented: " + hasTwins(Account.class.getEnclosingClass()));
    System.out.println("ordered equals sequential: " + orderedOk);
    System.out.println("unordered total: " + total() + " of " + n * initial);
    System.out.println("commits: " + Ame.stats().commits());
    System.exit(orderedOk && unorderedOk ? 0 : 1);
  }

  /** True if the agent gave the class its transactional twins ({@code m$ame}). */
  static boolean hasTwins(Class<?> c) {
    return Arrays.stream(c.getDeclaredMethods()).anyMatch(m -> m.getName().endsWith("$ame"));
  }
}
