package org.ame4jtest.agenttest;

import java.io.Serializable;

/** Serializable without a declared serialVersionUID: its computed UID must survive twins. */
public class Ledger implements Serializable {
  long balance;
  String owner = "n/a";

  public void deposit(long amount) {
    balance += amount;
  }

  public long balance() {
    return balance;
  }
}
