package org.ame4jtest.agenttest;

/** A sequential bank over plain fields, statics and an object array. */
public class Bank {
  static Account[] accounts;
  static long transfers;

  public static void init(int n, long initial) {
    accounts = new Account[n];
    for (int i = 0; i < n; i++) {
      accounts[i] = new Account(i, initial);
    }
    transfers = 0;
  }

  /** Order-dependent: a transfer that would overdraw is skipped. */
  public static void transfer(int from, int to, long amount) {
    Account a = accounts[from];
    Account b = accounts[to];
    if (a.balance >= amount) {
      a.withdraw(amount);
      b.deposit(amount);
      transfers++;
    }
  }

  public static void forEach(AccountOp op) {
    for (Account a : accounts) {
      op.apply(a);
    }
  }

  /** Through a user interface, a lambda and a default method. */
  public static void addBonus(long x) {
    forEach(a -> a.balance += x);
    AccountOp twice = a -> a.deposit(1);
    twice.applyTwice(accounts[0]);
  }

  public static long total() {
    long sum = 0;
    for (Account a : accounts) {
      sum += a.balance;
    }
    return sum;
  }

  public static long[] balances() {
    long[] out = new long[accounts.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = accounts[i].balance();
    }
    return out;
  }

  public static long transfers() {
    return transfers;
  }
}
