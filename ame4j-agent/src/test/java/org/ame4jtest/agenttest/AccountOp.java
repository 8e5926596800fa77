package org.ame4jtest.agenttest;

/** A user interface implemented by lambdas (hidden classes the agent never sees). */
public interface AccountOp {
  void apply(Account a);

  default void applyTwice(Account a) {
    apply(a);
    apply(a);
  }
}
