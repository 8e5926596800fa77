package org.ame4jtest.agenttest;

/** A class whose {@code applyTwice} is AccountOp's default method (invokevirtual DoubleOp.applyTwice). */
public class DoubleOp implements AccountOp {
  @Override
  public void apply(Account a) {
    a.balance *= 2;
  }

  public static void quadruple(int index) {
    DoubleOp op = new DoubleOp();
    op.applyTwice(Bank.accounts[index]);
  }
}
