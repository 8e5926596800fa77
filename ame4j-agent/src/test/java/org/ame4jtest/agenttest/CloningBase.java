package org.ame4jtest.agenttest;

/** {@link Cloning}'s superclass, with fields of its own (copied by the same clone). */
public class CloningBase {
  long total;
  private String label = "base";

  public String label() {
    return label;
  }
}
