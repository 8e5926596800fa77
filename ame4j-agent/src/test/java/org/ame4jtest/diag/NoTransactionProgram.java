package org.ame4jtest.diag;

/** A program that never touches ame4j: run with the agent and {@code -Dame4j.report=true}. */
public final class NoTransactionProgram {
  private NoTransactionProgram() {}

  public static void main(String[] args) {
    System.out.println("no transactions here");
  }
}
