package org.ame4jtest.agenttest;

import java.util.concurrent.atomic.AtomicBoolean;
import org.ame4j.Ame;

/**
 * Enum switches (javac's switch map {@code Switches$1.$SwitchMap$…}, read with no barrier) and a
 * {@code static final int[]} that is no switch map (read through its barrier): the first switch
 * of a run initialises the map's class inside a task.
 */
public class Switches {
  enum Token { BEGIN, END, NAME, VALUE }

  /** Final, but its elements are the tasks' to write: not a switch map. */
  static final int[] TABLE = new int[4];

  static int weight(Token t) {
    switch (t) {
      case BEGIN:
        return 1;
      case END:
        return 2;
      case NAME:
        return 3;
      default:
        return 4;
    }
  }

  /** Switches (a switch map read) and reads {@link #TABLE} in three branches (three barriers). */
  static int table(Token t) {
    switch (t) {
      case BEGIN:
        return TABLE[0];
      case END:
        return TABLE[1];
      default:
        return TABLE[t.ordinal()];
    }
  }

  /** In a task: each token's weight, as digits (1234). */
  public static long weights() {
    return Ame.atomic(
        () -> {
          long s = 0;
          for (Token t : Token.values()) {
            s = s * 10 + weight(t);
          }
          return s;
        });
  }

  /** {@code n} tasks, each setting every element of {@link #TABLE} to its own number. */
  public static void fillMany(int n) {
    for (int k = 1; k <= n; k++) {
      int v = k;
      Ame.atomic(
          () -> {
            for (int i = 0; i < TABLE.length; i++) {
              TABLE[i] = v;
            }
          });
    }
  }

  /** Read-only tasks until {@code done}, each also switching: {reads, reads of TABLE not uniform or wrong weights}. */
  public static long[] checkUntil(AtomicBoolean done) {
    long reads = 0;
    long broken = 0;
    while (!done.get()) {
      for (int i = 0; i < 200; i++) {
        boolean ok = Ame.atomic(
            () -> table(Token.BEGIN) == table(Token.END) && table(Token.END) == table(Token.NAME)
                && table(Token.NAME) == table(Token.VALUE) && weight(Token.NAME) == 3
                && weight(Token.VALUE) == 4);
        if (!ok) {
          broken++;
        }
      }
      reads += 200;
    }
    return new long[] {reads, broken};
  }
}
