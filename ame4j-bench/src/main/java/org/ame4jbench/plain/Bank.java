package org.ame4jbench.plain;

/** Accounts in a plain {@code long[]}; a transfer always moves the money (2 reads, 2 writes). */
public final class Bank {
  public final long[] balance;

  public Bank(int accounts, long initial) {
    balance = new long[accounts];
    java.util.Arrays.fill(balance, initial);
  }

  public void transfer(int from, int to, long amount) {
    balance[from] -= amount;
    balance[to] += amount;
  }
}
