package org.ame4jtest.agenttest;

/** A plain account: one plain {@code long} field, no annotations. */
public class Account {
  long balance;
  final int id;

  public Account(int id, long balance) {
    this.id = id;
    this.balance = balance;
  }

  void withdraw(long amount) {
    balance -= amount;
  }

  void deposit(long amount) {
    balance += amount;
  }

  public long balance() {
    return balance;
  }
}
